-- One capture by its id: what the crawl recorded and where its WARC record lies.
SELECT capture_id, url, kind, http_status, content_type, content_sha1, fetched_at,
       warc_file, warc_offset, warc_length, run_id, source_id
FROM captures
WHERE capture_id = $capture_id;
