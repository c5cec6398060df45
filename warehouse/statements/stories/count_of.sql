-- How many articles `selected` holds (stories/selected.sql or selected_hits.sql, before
-- this).
SELECT count(*) FROM selected;
