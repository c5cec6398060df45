-- The latest $limit runs of one outlet, newest first.
SELECT run_id, started_at, mode, status, message, pages_fetched, article_pages, skipped_seen,
       articles_new, errors, errors_by_kind::VARCHAR AS errors_by_kind, not_modified,
       revisited, versions_new, coverage_gaps, held_back, bytes, seconds, failed_in_a_row,
       empty_in_a_row
FROM source_health
WHERE source_id = $source_id
ORDER BY started_at DESC
LIMIT $limit;
