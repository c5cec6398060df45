-- Stories narrowed by the workspace's filters, newest first (NULL or empty: no filter).
-- $ids: the article ids a search found, as a JSON array (NULL: no search): binding a list
-- of 2,000 strings costs DuckDB's Python client half a second, a string nothing.
-- $matched_only: only tagged ones. Each filter is marked `-- only with $name`:
-- warehouse.stories.filtered leaves it out when that parameter is empty (DuckDB plans a
-- hash join over every article for each filter, its parameter empty or not).
-- The rows and columns of the stories view, read from its tables: the page is chosen on the
-- articles' narrow columns with the filters as semi-joins, and only its $limit rows are
-- joined to their topics, places, capture and text (the view would aggregate the topics
-- and join the places of every article first: seconds at 100,000 articles). Every article
-- has its capture (the load step stores it first; `steppewatch verify` checks it).
WITH page AS (
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
