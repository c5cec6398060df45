-- The texts of the articles whose rowid is between $first and $last (one batch of
-- search/index_pending.sql: rows next to each other, so only their part of the table is read).
SELECT rowid, text FROM articles WHERE rowid BETWEEN $first AND $last;
