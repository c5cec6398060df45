-- The tags a batch of articles ($ids) has now, with the run that first tagged each.
SELECT article_id, topic, run_id
FROM article_topics
WHERE list_contains($ids::VARCHAR[], article_id);
