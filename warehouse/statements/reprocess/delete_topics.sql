-- Drop a batch's tags before its new ones are inserted (same transaction).
DELETE FROM article_topics WHERE list_contains($ids::VARCHAR[], article_id);
