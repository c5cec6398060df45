-- Remember that the index now holds $ids with $signatures (lists of the same length).
INSERT OR REPLACE INTO search_indexed
SELECT unnest($ids::VARCHAR[]), unnest($signatures::VARCHAR[]);
