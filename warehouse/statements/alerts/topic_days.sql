-- Stories matching a rule per topic and day (publication day, else the day first seen),
-- over the 14 days ending $end_day, for the report's chart.
SELECT t.topic, coalesce(s.published_at, s.first_seen_at)::DATE AS day, count(*) AS stories
FROM stories s JOIN article_topics t USING (article_id)
WHERE list_contains($topics::VARCHAR[], t.topic)
  AND (len($countries::VARCHAR[]) = 0 OR len(list_intersect(s.countries, $countries::VARCHAR[])) > 0)
  AND (len($languages::VARCHAR[]) = 0 OR list_contains($languages::VARCHAR[], s.language))
  AND coalesce(s.top_score, 0) >= $min_score
  AND coalesce(s.published_at, s.first_seen_at)::DATE BETWEEN $end_day::DATE - 13 AND $end_day::DATE
GROUP BY ALL ORDER BY day, topic;
