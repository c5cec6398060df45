-- Which outlet first reported a topic in each country, and how many outlets followed.
-- param topic: topic id: police, protest or torture (default protest)
-- param since: first day to consider, YYYY-MM-DD (default 2000-01-01)
SELECT country,
       arg_min(outlet, coalesce(published_at, first_seen_at))  AS first_outlet,
       arg_min(title, coalesce(published_at, first_seen_at))   AS first_title,
       min(coalesce(published_at, first_seen_at))              AS first_published_at,
       count(DISTINCT outlet)                                  AS outlets,
       count(*)                                                AS stories
FROM stories, unnest(countries) AS u(country)
WHERE list_contains(topics, $topic) AND day >= $since::DATE
GROUP BY country
ORDER BY first_published_at;
