-- Articles the search index holds that are no longer stored.
SELECT i.article_id FROM search_indexed i
WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.article_id = i.article_id);
