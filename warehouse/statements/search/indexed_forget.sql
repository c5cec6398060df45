-- Forget $ids (the index dropped them), or every article when $ids is NULL (a rebuild).
DELETE FROM search_indexed WHERE $ids IS NULL OR article_id IN (SELECT unnest($ids::VARCHAR[]));
