-- How many stories the workspace's filters select: the same rows as stories/list (its
-- comments say why it reads the tables, not the stories view, and takes $ids as JSON).
-- Each filter is marked `-- only with $name`: warehouse.stories.filtered leaves it out
-- when that parameter is empty.
SELECT count(*)
FROM articles a
JOIN sources s USING (source_id)
WHERE true
  -- only with $matched_only
  AND ($matched_only = false OR a.article_id IN (SELECT article_id FROM article_topics))
  -- only with $topics
  AND (len($topics) = 0 OR a.article_id IN (
           SELECT article_id FROM article_topics WHERE list_contains($topics, topic)))
  -- only with $country
  AND ($country IS NULL
       OR a.article_id IN (SELECT article_id FROM article_places
                           WHERE list_contains(countries, $country))
       OR (list_contains(s.countries, $country)
           AND a.article_id NOT IN (SELECT article_id FROM article_places
                                    WHERE len(countries) > 0)))
  -- only with $outlet
  AND ($outlet IS NULL OR a.source_id = $outlet)
  -- only with $language
  AND ($language IS NULL OR a.language = $language)
  -- only with $day_from
  AND ($day_from IS NULL
       OR timezone('Asia/Almaty', coalesce(a.published_at, a.extracted_at))::DATE >= $day_from)
  -- only with $day_to
  AND ($day_to IS NULL
       OR timezone('Asia/Almaty', coalesce(a.published_at, a.extracted_at))::DATE <= $day_to)
  -- only with $ids
  AND ($ids IS NULL OR a.article_id IN (SELECT unnest(CAST($ids AS JSON)::VARCHAR[])))
  -- end of the filters
;
