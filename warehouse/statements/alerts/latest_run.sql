-- The newest run (its id names a preview's report), NULL when none has run.
SELECT max(run_id) FROM crawl_runs;
