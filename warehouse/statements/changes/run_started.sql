-- When run $run_id started: the time of its checks (the clock the revisit schedule reads).
SELECT started_at FROM crawl_runs WHERE run_id = $run_id;
