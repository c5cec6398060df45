-- The topics of the given articles with their score and the matches that carried them.
SELECT article_id, topic, score, matches
FROM article_topics
WHERE list_contains($ids, article_id)
ORDER BY article_id, topic;
