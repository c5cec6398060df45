-- A page of near misses ($topic, $language and $day_from narrow it when set): the story, the
-- topic its query matched without tagging, and whether a monitor has marked that topic
-- missing on it. The model's likeliest first, then the higher score, then the newest.
SELECT n.article_id, a.title, s.name AS outlet, a.language,
       timezone('Asia/Almaty', coalesce(a.published_at, a.extracted_at))::DATE AS day,
       a.url, n.topic, n.score, n.borderline, n.matches,
       EXISTS (SELECT 1 FROM tag_feedback f
               WHERE f.article_id = n.article_id AND f.topic = n.topic
                 AND f.verdict = 'missing') AS marked_missing,
       count(*) OVER () AS total
FROM article_near_misses n
JOIN articles a USING (article_id)
JOIN sources s USING (source_id)
WHERE ($topic IS NULL OR n.topic = $topic)
  AND ($language IS NULL OR a.language = $language)
  AND ($day_from IS NULL
       OR timezone('Asia/Almaty', coalesce(a.published_at, a.extracted_at))::DATE >= $day_from)
ORDER BY n.borderline DESC NULLS LAST, n.score DESC, day DESC, n.article_id, n.topic
LIMIT $limit OFFSET $offset;
