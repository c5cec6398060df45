-- One page of a search's hits ($ids, a JSON array) the workspace's filters select: the same
-- rows, order and columns as stories/list with $ids, chosen from the hits alone.
-- stories/list probes every article against each filter's table (a topic or a country:
-- 70-100 ms at 100,000 articles); here the hits' topics and places are looked up first
-- and the filters read those (at most 2,000 rows). The filters (and the places' join,
-- needed by the country's alone) are marked as in stories/list; from `tags` on the
-- statement is stories/list's (its comments say why).
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
), page AS (
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
    ORDER BY coalesce(a.published_at, a.extracted_at) DESC, a.article_id
    LIMIT $limit OFFSET $offset
), tags AS (
    SELECT article_id, list(topic ORDER BY topic) AS topics, max(score) AS top_score
    FROM article_topics
    WHERE article_id IN (SELECT article_id FROM page)
    GROUP BY article_id
), texts AS (
    -- Joined on published_at too, whose range in the page prunes the scan of the texts
    -- (rows are stored about in time order); the page's undated rows on their own.
    SELECT x.article_id, x.title, x.description, x.url, x.text
    FROM page JOIN articles x ON x.article_id = page.article_id
                             AND x.published_at = page.published_at
    UNION ALL
    SELECT x.article_id, x.title, x.description, x.url, x.text
    FROM (SELECT article_id FROM page WHERE published_at IS NULL) undated
    JOIN articles x ON x.article_id = undated.article_id
), places AS (
    SELECT * FROM article_places WHERE article_id IN (SELECT article_id FROM page)
)
SELECT page.article_id, page.source_id, s.name AS outlet,
       CASE WHEN len(p.countries) > 0 THEN p.countries ELSE s.countries END AS countries,
       coalesce(p.places, []::VARCHAR[]) AS places, page.language, page.published_at,
       page.first_seen_at,
       timezone('Asia/Almaty', coalesce(page.published_at, page.first_seen_at))::DATE AS day,
       x.title, x.description, x.url,
       coalesce(t.topics, []::VARCHAR[]) AS topics, t.top_score, page.capture_id,
       c.fetched_at, x.text
FROM page
JOIN sources s USING (source_id)
JOIN texts x USING (article_id)
LEFT JOIN captures c ON c.capture_id = page.capture_id
LEFT JOIN places p ON p.article_id = page.article_id
LEFT JOIN tags t ON t.article_id = page.article_id
ORDER BY coalesce(page.published_at, page.first_seen_at) DESC, page.article_id;
