-- Outlets whose latest run failed or stored nothing new for some runs in a row.
-- param runs: runs in a row that count as a problem (default 1)
SELECT source_id, outlet, status, message, failed_in_a_row, empty_in_a_row, last_ok_at,
       started_at AS latest_run_at
FROM source_health
WHERE is_latest
  AND (failed_in_a_row >= $runs::INTEGER OR empty_in_a_row >= $runs::INTEGER)
ORDER BY failed_in_a_row DESC, empty_in_a_row DESC, source_id;
