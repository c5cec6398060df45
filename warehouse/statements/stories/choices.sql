-- What the workspace's filters can choose from: outlets, countries and languages stored.
SELECT 'outlet' AS kind, source_id AS value, name AS label FROM sources
UNION ALL
SELECT DISTINCT 'country', unnest(countries), NULL FROM sources
UNION ALL
SELECT DISTINCT 'language', language, NULL FROM articles WHERE language IS NOT NULL
ORDER BY kind, label, value;
