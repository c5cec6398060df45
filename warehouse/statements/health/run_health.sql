-- Per-source figures of one run, for the report's health table: coverage gaps with their
-- reasons, and a `flag` for a source that failed or stored no new article 3 runs in a row.
WITH gaps AS (
    SELECT source_id, string_agg(reason || ': ' || n, ', ' ORDER BY n DESC) AS gap_reasons
    FROM (SELECT source_id, reason, count(*) AS n FROM coverage_gaps
          WHERE run_id = $run_id GROUP BY ALL)
    GROUP BY source_id
)
SELECT h.source_id, h.outlet, h.status, h.message, h.failed_in_a_row, h.empty_in_a_row,
       h.pages_fetched, h.article_pages, h.skipped_seen,
       h.not_modified, h.revisited, h.articles_new, h.versions_new, h.errors,
       h.errors_by_kind::VARCHAR AS errors_by_kind, h.coverage_gaps, g.gap_reasons, h.held_back, h.seconds,
       CASE WHEN h.status <> 'ok' THEN 'failed: ' || coalesce(h.message, '')
            WHEN h.empty_in_a_row >= 3 THEN 'no new article for ' || h.empty_in_a_row || ' runs'
       END AS flag
FROM source_health h
LEFT JOIN gaps g USING (source_id)
WHERE h.run_id = $run_id ORDER BY h.source_id;
