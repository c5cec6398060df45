-- Stories of a topic about a country per month, with the outlets that published them.
-- param topic: topic id: police, protest or torture (default torture)
-- param country: country ISO code: KZ, KG, TJ, UZ or TM (default KG)
SELECT date_trunc('month', day)::DATE AS month,
       sum(stories)                  AS stories,
       count(DISTINCT outlet)        AS outlets,
       list(DISTINCT outlet ORDER BY outlet) AS outlet_names
FROM (
    SELECT s.day, s.outlet, 1 AS stories
    FROM stories s
    WHERE list_contains(s.topics, $topic) AND list_contains(s.countries, upper($country))
)
GROUP BY month
ORDER BY month;
