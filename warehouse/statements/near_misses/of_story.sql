-- The near misses of one story: each topic whose query matched it without tagging it.
SELECT topic, score, matches, borderline
FROM article_near_misses
WHERE article_id = $article_id
ORDER BY topic;
