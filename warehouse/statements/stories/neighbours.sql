-- Stories of other outlets within $days days of a story: candidates for "also reported by".
-- The stories view's day, from its tables; published_at narrows the scan first (a day in
-- Asia/Almaty lies within a day of the same UTC date), so only those days' texts are read.
-- Only stories in the story's language: the reprint test compares word 3-shingles, which
-- texts in two languages never share, and each candidate costs a sketch in Python.
WITH near AS (
    SELECT a.article_id, a.source_id, a.title, a.url,
           timezone('Asia/Almaty', coalesce(a.published_at, a.extracted_at))::DATE AS day,
           left(a.text, 4000) AS lead
    FROM articles a
    WHERE (a.published_at IS NULL
           OR a.published_at BETWEEN CAST($day AS DATE) - CAST($days AS INTEGER) - 1
                                 AND CAST($day AS DATE) + CAST($days AS INTEGER) + 2)
      AND a.source_id <> $source_id
      AND a.article_id <> $article_id
      AND a.language IS NOT DISTINCT FROM (SELECT language FROM articles
                                           WHERE article_id = $article_id)
)
SELECT n.article_id, s.name AS outlet, n.title, n.url, n.day, n.lead
FROM near n
JOIN sources s USING (source_id)
WHERE n.day BETWEEN CAST($day AS DATE) - CAST($days AS INTEGER)
                AND CAST($day AS DATE) + CAST($days AS INTEGER);
