-- How many search documents the index is built from.
SELECT count(*) FROM search_docs;
