-- Articles first stored by a run, per source.
SELECT source_id, count(*) FROM articles WHERE first_run_id = $run_id GROUP BY source_id;
