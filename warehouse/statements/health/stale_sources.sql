-- Sources of run $run_id that stored no new article in it nor in the runs before it,
-- $stale_runs runs in a row (3 by default in the report): the health table's flag.
SELECT h.source_id, h.outlet, h.empty_in_a_row, h.status, h.message
FROM source_health h
WHERE h.run_id = $run_id AND h.empty_in_a_row >= $stale_runs
ORDER BY h.source_id;
