-- Stories holding the query's letters in title or text, most occurrences first (no stems).
-- Plain SQL, so it runs in any DuckDB; ranked, stemmed search in every language of the
-- region is `steppewatch search` (docs/QUERIES.md, "Full-text search").
-- param query: letters to find, e.g. пытк (finds пытки, пытками, пыток)
-- param limit: at most this many stories (default 20)
WITH found AS (
    SELECT s.*, lower(coalesce(s.title, '') || ' ' || coalesce(s.text, '')) AS haystack
    FROM stories s
    WHERE contains(lower(coalesce(s.title, '') || ' ' || coalesce(s.text, '')), lower($query))
)
SELECT (length(haystack) - length(replace(haystack, lower($query), '')))
           // length($query) AS score,
       day, outlet, language, topics, title, url
FROM found
ORDER BY score DESC, article_id
LIMIT $limit::INTEGER;
