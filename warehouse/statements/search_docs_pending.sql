-- Stored articles that have no search document yet.
SELECT count(*) FROM articles WHERE article_id NOT IN (SELECT article_id FROM search_docs);
