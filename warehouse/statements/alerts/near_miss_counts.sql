-- Stories of this run ($run_id) that a rule's topic nearly matched (near misses: the query
-- matched without tagging), per topic and within the rule's countries and languages: the
-- report's pointer to the workspace's stories to check.
SELECT n.topic, count(*) AS stories
FROM article_near_misses n
JOIN articles a USING (article_id)
JOIN sources src USING (source_id)
LEFT JOIN article_places p USING (article_id)
WHERE n.run_id = $run_id
  AND list_contains($topics::VARCHAR[], n.topic)
  AND (len($countries::VARCHAR[]) = 0
       OR len(list_intersect(CASE WHEN len(p.countries) > 0 THEN p.countries
                                  ELSE src.countries END, $countries::VARCHAR[])) > 0)
  AND (len($languages::VARCHAR[]) = 0 OR list_contains($languages::VARCHAR[], a.language))
GROUP BY n.topic
ORDER BY n.topic;
