-- Coverage gaps of one run per source and reason, with an example URL (for the report).
SELECT source_id, reason, count(*) AS gaps, min(url) AS example_url, any_value(message) AS message
FROM coverage_gaps
WHERE run_id = $run_id
GROUP BY source_id, reason
ORDER BY source_id, gaps DESC, reason;
