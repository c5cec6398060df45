-- Runs still marked 'running' other than $current_run: a killed process left them, and the
-- next run finishes their work (flows/recovery.py). Oldest first.
SELECT run_id FROM crawl_runs
WHERE status = 'running' AND run_id <> $current_run
ORDER BY started_at;
