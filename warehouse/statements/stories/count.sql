-- How many stories the workspace's filters select (the same WHERE as stories/list).
SELECT count(*)
FROM stories
WHERE ($matched_only = false OR len(topics) > 0)
  AND (len($topics) = 0 OR list_has_any(topics, $topics))
  AND ($country IS NULL OR list_contains(countries, $country))
  AND ($outlet IS NULL OR source_id = $outlet)
  AND ($language IS NULL OR language = $language)
  AND ($day_from IS NULL OR day >= $day_from)
  AND ($day_to IS NULL OR day <= $day_to)
  AND ($ids IS NULL OR list_contains($ids, article_id));
