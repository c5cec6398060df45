-- The articles the workspace's filters select (NULL or empty: no filter), as the CTE
-- `selected`; stories/page_of.sql (one page of them, with their rows) or
-- stories/count_of.sql (how many) follows it (warehouse.stories.story_query).
-- $ids: the article ids a search found, as a JSON array (NULL: no search): binding a list
-- of 2,000 strings costs DuckDB's Python client half a second, a string nothing.
-- $matched_only: only tagged ones. Each filter is marked `-- only with $name`:
-- warehouse.stories.filtered leaves it out when that parameter is empty (DuckDB plans a
-- hash join over every article for each filter, its parameter empty or not).
-- The filters are semi-joins on the articles' narrow columns; the texts, topics and places
-- are joined for the page alone (stories/page_of.sql).
WITH selected AS (
    SELECT a.article_id, a.source_id, a.capture_id, a.language, a.published_at,
           a.extracted_at AS first_seen_at
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
)
