-- When the search index was last brought in line with the warehouse (NULL: never).
SELECT max(finished_at) FROM search_refreshes;
