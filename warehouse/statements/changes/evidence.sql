-- The archived answers a change rests on ($ids: capture ids, comma-separated), in fetch order.
SELECT c.capture_id, c.url, c.http_status, c.run_id, c.fetched_at, c.warc_file, c.warc_offset
FROM captures c
WHERE list_contains(string_split($ids, ','), c.capture_id)
ORDER BY c.fetched_at, c.capture_id;
