-- The backfill date of a run (NULL for an ordinary nightly run).
UPDATE crawl_runs SET since = $since::DATE WHERE run_id = $run_id;
