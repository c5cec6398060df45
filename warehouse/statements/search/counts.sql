-- How many articles the search index holds, and how many are stored.
SELECT (SELECT count(*) FROM search_indexed), (SELECT count(*) FROM articles);
