-- Stories narrowed by the workspace's filters, newest first (NULL or empty: no filter).
-- $ids: the article ids a search found (NULL: no search); $matched_only: only tagged ones.
SELECT article_id, source_id, outlet, countries, places, language, published_at,
       first_seen_at, day, title, description, url, topics, top_score, capture_id,
       fetched_at, text
FROM stories
WHERE ($matched_only = false OR len(topics) > 0)
  AND (len($topics) = 0 OR list_has_any(topics, $topics))
  AND ($country IS NULL OR list_contains(countries, $country))
  AND ($outlet IS NULL OR source_id = $outlet)
  AND ($language IS NULL OR language = $language)
  AND ($day_from IS NULL OR day >= $day_from)
  AND ($day_to IS NULL OR day <= $day_to)
  AND ($ids IS NULL OR list_contains($ids, article_id))
ORDER BY coalesce(published_at, first_seen_at) DESC, article_id
LIMIT $limit OFFSET $offset;
