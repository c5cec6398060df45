-- The topics of the given articles ($ids: a JSON array, see stories/list) with their score
-- and the matches that carried them.
SELECT article_id, topic, score, matches
FROM article_topics
WHERE article_id IN (SELECT unnest(CAST($ids AS JSON)::VARCHAR[]))
ORDER BY article_id, topic;
