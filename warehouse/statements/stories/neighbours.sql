-- Stories of other outlets within $days days of a story: candidates for "also reported by".
SELECT n.article_id, n.outlet, n.title, n.url, n.day, left(n.text, 4000) AS lead
FROM stories n
WHERE n.day BETWEEN CAST($day AS DATE) - CAST($days AS INTEGER)
                AND CAST($day AS DATE) + CAST($days AS INTEGER)
  AND n.source_id <> $source_id
  AND n.article_id <> $article_id;
