-- The ETag / Last-Modified of each article's newest archived 200 that became the article
-- (not a page-not-found page answered 200), for a conditional revisit ($urls: comma-separated).
SELECT c.url, c.etag, c.last_modified
FROM captures c JOIN capture_outcomes o USING (capture_id)
WHERE c.kind IN ('article', 'revisit') AND c.http_status = 200 AND o.outcome = 'article'
  AND list_contains(string_split($urls, ','), c.url)
  AND (c.etag IS NOT NULL OR c.last_modified IS NOT NULL)
QUALIFY row_number() OVER (PARTITION BY c.url ORDER BY c.fetched_at DESC) = 1
ORDER BY c.url;
