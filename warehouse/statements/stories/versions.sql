-- Every distinct text a story had, oldest first, with the capture each came from (the
-- captures looked up by id: a join would hash every capture of the warehouse).
WITH v AS (
    SELECT * FROM article_versions WHERE article_id = $article_id
)
SELECT v.text_sha1, v.capture_id, v.title, v.text, v.run_id, v.extracted_at, c.fetched_at
FROM v
LEFT JOIN (SELECT capture_id, fetched_at FROM captures
           WHERE capture_id IN (SELECT capture_id FROM v)) c USING (capture_id)
ORDER BY v.extracted_at, c.fetched_at, v.text_sha1;
