-- One capture by its id: what the crawl recorded, where its WARC record lies, and the
-- article first extracted from it (NULL for a feed, a listing, an error or a later version).
SELECT c.capture_id, c.url, c.kind, c.http_status, c.content_type, c.content_sha1,
       c.fetched_at, c.warc_file, c.warc_offset, c.warc_length, c.run_id, c.source_id,
       a.article_id, a.title AS article_title
FROM captures c
LEFT JOIN articles a ON a.capture_id = c.capture_id
WHERE c.capture_id = $capture_id
LIMIT 1;
