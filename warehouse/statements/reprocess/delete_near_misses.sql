-- Drop a batch's near misses before its new ones are inserted (same transaction).
DELETE FROM article_near_misses WHERE list_contains($ids::VARCHAR[], article_id);
