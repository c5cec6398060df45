-- Record an update of the search index.
INSERT INTO search_refreshes VALUES (now(), $added, $removed, $checked_all);
