-- Articles of a backfill run ($files) published before its `since` date: fetched (their
-- date was not known before), archived, not stored; one readable row each.
INSERT OR IGNORE INTO run_errors
SELECT $run_id, x.source_id, x.url, 'load', 'older_than_since',
       'published ' || strftime(x.published_at, '%Y-%m-%d') || ', before the backfill date '
       || strftime(r.since, '%Y-%m-%d') || '; archived, not stored',
       NULL, x.capture_id
FROM read_json($files, format = 'newline_delimited', columns = {
    source_id: 'VARCHAR', url: 'VARCHAR', capture_id: 'VARCHAR', published_at: 'TIMESTAMPTZ'
}) x
JOIN crawl_runs r ON r.run_id = $run_id
WHERE r.since IS NOT NULL AND x.published_at < r.since::TIMESTAMPTZ;
