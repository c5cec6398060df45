-- Drop a batch's places before its new ones are inserted (same transaction).
DELETE FROM article_places WHERE list_contains($ids::VARCHAR[], article_id);
