-- Full-text search: stories holding every word of a query, best BM25 match first.
-- param query: words to find; Russian and English words match their inflected forms
-- param limit: at most this many stories (default 20)
SELECT round(f.score, 3) AS score, s.day, s.outlet, s.language, s.topics, s.title, s.url
FROM find_stories($query) f
JOIN stories s USING (article_id)
ORDER BY f.score DESC, s.article_id
LIMIT $limit::INTEGER;
