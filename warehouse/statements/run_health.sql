-- Per-source figures of one run, for the report.
SELECT source_id, status, pages_fetched, article_pages, skipped_seen, articles_new, errors,
       bytes, seconds, message
FROM source_runs WHERE run_id = $run_id ORDER BY source_id;
