-- A run begins (or is resumed: the first start time is kept).
INSERT INTO crawl_runs (run_id, started_at, mode, status, flow_run_id, topics_version)
VALUES ($run_id, $started_at, $mode, 'running', $flow_run_id, $topics_version)
ON CONFLICT (run_id) DO UPDATE SET status = 'running', flow_run_id = excluded.flow_run_id;
