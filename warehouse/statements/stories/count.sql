-- How many stories the workspace's filters select: the same rows as stories/list (its
-- comments say why it reads the tables, not the stories view, and takes $ids as JSON).
SELECT count(*)
FROM articles a
JOIN sources s USING (source_id)
WHERE ($matched_only = false OR a.article_id IN (SELECT article_id FROM article_topics))
  AND (len($topics) = 0 OR a.article_id IN (
           SELECT article_id FROM article_topics WHERE list_contains($topics, topic)))
  AND ($country IS NULL
       OR a.article_id IN (SELECT article_id FROM article_places
                           WHERE list_contains(countries, $country))
       OR (list_contains(s.countries, $country)
           AND a.article_id NOT IN (SELECT article_id FROM article_places
                                    WHERE len(countries) > 0)))
  AND ($outlet IS NULL OR a.source_id = $outlet)
  AND ($language IS NULL OR a.language = $language)
  AND ($day_from IS NULL
       OR timezone('Asia/Almaty', coalesce(a.published_at, a.extracted_at))::DATE >= $day_from)
  AND ($day_to IS NULL
       OR timezone('Asia/Almaty', coalesce(a.published_at, a.extracted_at))::DATE <= $day_to)
  AND ($ids IS NULL OR a.article_id IN (SELECT unnest(CAST($ids AS JSON)::VARCHAR[])));
