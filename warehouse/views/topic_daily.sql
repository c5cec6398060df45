CREATE OR REPLACE VIEW topic_daily AS
SELECT s.day, t.topic, country,
       count(DISTINCT s.article_id) AS stories,
       count(DISTINCT s.source_id)  AS outlets
FROM stories s
JOIN article_topics t USING (article_id),
     unnest(s.countries) AS u(country)
GROUP BY ALL;

COMMENT ON VIEW topic_daily IS 'Stories per topic, country and day; a story about two countries counts for each.';
COMMENT ON COLUMN topic_daily.day IS 'Publication day (else the day first seen) in Asia/Almaty time.';
COMMENT ON COLUMN topic_daily.topic IS 'Topic id (police, protest, torture, ...).';
COMMENT ON COLUMN topic_daily.country IS 'Country ISO code (KZ, KG, TJ, UZ, TM).';
COMMENT ON COLUMN topic_daily.stories IS 'Stories of the topic about the country that day.';
COMMENT ON COLUMN topic_daily.outlets IS 'Outlets that published those stories.';
