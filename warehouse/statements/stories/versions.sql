-- Every distinct text a story had, oldest first, with the capture each came from.
SELECT v.text_sha1, v.capture_id, v.title, v.text, v.run_id, v.extracted_at, c.fetched_at
FROM article_versions v
LEFT JOIN captures c USING (capture_id)
WHERE v.article_id = $article_id
ORDER BY v.extracted_at, c.fetched_at, v.text_sha1;
