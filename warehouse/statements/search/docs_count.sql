-- How many articles the search index holds.
SELECT count(*) FROM search_indexed;
