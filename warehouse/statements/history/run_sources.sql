-- One run's figures per outlet.
SELECT h.source_id, h.outlet, h.status, h.message, h.pages_fetched, h.article_pages,
       h.skipped_seen, h.articles_new, h.errors, h.errors_by_kind::VARCHAR AS errors_by_kind,
       h.not_modified, h.revisited, h.versions_new, h.coverage_gaps, h.held_back, h.bytes,
       h.seconds, h.failed_in_a_row, h.empty_in_a_row
FROM source_health h
WHERE h.run_id = $run_id
ORDER BY h.outlet;
