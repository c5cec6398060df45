-- The hits of a search ($ids, a JSON array) the workspace's filters select, as the CTE
-- `selected`: the same articles as stories/selected.sql with $ids, chosen from the hits
-- alone. stories/selected probes every article against each filter's table (a topic or a
-- country: 70-100 ms at 100,000 articles); here the hits' topics and places are looked up
-- first and the filters read those (at most 2,000 rows). The filters (and the places'
-- join, needed by the country's alone) are marked as in stories/selected.
WITH hits AS (
    SELECT DISTINCT unnest(CAST($ids AS JSON)::VARCHAR[]) AS article_id
), tagged AS (
    SELECT article_id, list(topic) AS topics
    FROM article_topics
    WHERE article_id IN (SELECT article_id FROM hits)
    GROUP BY article_id
), placed AS (
    SELECT article_id, countries
    FROM article_places
    WHERE article_id IN (SELECT article_id FROM hits)
), selected AS (
    SELECT a.article_id, a.source_id, a.capture_id, a.language, a.published_at,
           a.extracted_at AS first_seen_at
    FROM articles a
    JOIN sources s USING (source_id)
    LEFT JOIN tagged t ON t.article_id = a.article_id
    -- only with $country
    LEFT JOIN placed p ON p.article_id = a.article_id
    -- end of the filters
    WHERE a.article_id IN (SELECT article_id FROM hits)
      -- only with $matched_only
      AND t.article_id IS NOT NULL
      -- only with $topics
      AND coalesce(list_has_any(t.topics, $topics), false)
      -- only with $country
      AND (coalesce(list_contains(p.countries, $country), false)
           OR (list_contains(s.countries, $country) AND coalesce(len(p.countries), 0) = 0))
      -- only with $outlet
      AND a.source_id = $outlet
      -- only with $language
      AND a.language = $language
      -- only with $day_from
      AND timezone('Asia/Almaty', coalesce(a.published_at, a.extracted_at))::DATE >= $day_from
      -- only with $day_to
      AND timezone('Asia/Almaty', coalesce(a.published_at, a.extracted_at))::DATE <= $day_to
      -- end of the filters
)
