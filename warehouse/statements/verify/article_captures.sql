-- Every capture an article text was extracted from (its first text and each version), with
-- the digest the crawl recorded for the response; $run_id NULL for all runs.
SELECT DISTINCT a.article_id, a.url, c.capture_id, c.warc_file, c.warc_offset, c.content_sha1
FROM articles a
JOIN article_versions v USING (article_id)
JOIN captures c ON c.capture_id IN (a.capture_id, v.capture_id)
WHERE $run_id IS NULL OR c.run_id = $run_id
ORDER BY c.warc_file, c.warc_offset;
