-- One page of `selected` (stories/selected.sql or selected_hits.sql, before this), newest
-- first, with the rows and columns of the stories view read from its tables: only the
-- page's $limit rows are joined to their topics, places, capture and text (the view would
-- aggregate the topics and join the places of every article first: seconds at 100,000
-- articles). Every article has its capture (the load step stores it first; `steppewatch
-- verify` checks it).
, page AS (
    SELECT * FROM selected
    ORDER BY coalesce(published_at, first_seen_at) DESC, article_id
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
