-- A run ends.
UPDATE crawl_runs SET finished_at = now(), status = $status, report_path = $report_path
WHERE run_id = $run_id;
