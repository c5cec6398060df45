-- For each feed and sitemap URL, the validators (ETag, Last-Modified) of its newest archived
-- 200 copy and that copy's WARC record, for the next conditional request.
SELECT url, etag, last_modified, warc_file, warc_offset
FROM captures
WHERE kind IN ('feed', 'sitemap') AND http_status = 200
  AND (etag IS NOT NULL OR last_modified IS NOT NULL)
QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) = 1
ORDER BY url;
