-- Archived 2xx article responses that no article and no error accounts for ($sources: the
-- source ids to look at, NULL for all): fetched, but never processed.
SELECT c.capture_id, c.source_id, c.url, c.kind, c.http_status, c.content_type, c.warc_file,
       c.warc_offset, c.run_id
FROM captures c
WHERE c.kind IN ('article', 'revisit')
  AND c.http_status BETWEEN 200 AND 299
  AND ($sources IS NULL OR list_contains($sources, c.source_id))
  AND NOT EXISTS (SELECT 1 FROM capture_outcomes o WHERE o.capture_id = c.capture_id)
ORDER BY c.source_id, c.fetched_at;
