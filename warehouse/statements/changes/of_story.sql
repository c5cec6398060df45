-- The changes revisits found in one story ($article_id), oldest first, with their evidence.
SELECT kind, detected_at, reason, previous_title, new_title, evidence
FROM story_changes
WHERE article_id = $article_id
ORDER BY detected_at, kind;
