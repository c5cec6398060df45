-- The run history, newest first, with each run's figures summed over its outlets; with
-- $run_id set, that one run alone (no row for a run the warehouse does not hold).
SELECT r.run_id, r.started_at, r.finished_at, r.mode, r.status, r.report_path,
       count(s.source_id)                               AS sources,
       count(s.source_id) FILTER (WHERE s.status <> 'ok') AS sources_failed,
       coalesce(sum(s.pages_fetched), 0)                AS pages_fetched,
       coalesce(sum(s.articles_new), 0)                 AS articles_new,
       coalesce(sum(s.errors), 0)                       AS errors,
       coalesce(sum(s.versions_new), 0)                 AS versions_new,
       coalesce(sum(s.bytes), 0)                        AS bytes
FROM crawl_runs r
LEFT JOIN source_runs s USING (run_id)
WHERE $run_id IS NULL OR r.run_id = $run_id
GROUP BY ALL
ORDER BY r.started_at DESC
LIMIT $limit;
