-- Stories matching $query (BM25 over title and text), best first, narrowed by topic,
-- country and day (NULL: no filter).
SELECT s.article_id, f.score, s.day, s.outlet, s.countries, s.language, s.topics, s.title,
       s.url, s.text
FROM find_stories($query, all_terms := $all_terms) f
JOIN stories s USING (article_id)
WHERE ($topic IS NULL OR list_contains(s.topics, $topic))
  AND ($country IS NULL OR list_contains(s.countries, upper($country)))
  AND ($since IS NULL OR s.day >= CAST($since AS DATE))
ORDER BY f.score DESC, s.article_id
LIMIT $limit;
