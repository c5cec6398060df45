-- Articles the search index lacks ($all false), or lacks or holds out of date ($all true:
-- text, title, link, outlet, language, day, countries or topics changed since), with what
-- it needs of them and their signature. The text is read for those articles only.
WITH topic_lists AS (
    SELECT article_id, list(topic ORDER BY topic) AS topics
    FROM article_topics
    GROUP BY article_id
), current AS (
    SELECT a.article_id, a.source_id, s.name AS outlet, a.language, a.title, a.url,
           a.text_sha1,
           timezone('Asia/Almaty', coalesce(a.published_at, a.extracted_at))::DATE AS day,
           CASE WHEN len(p.countries) > 0 THEN p.countries ELSE s.countries END AS countries,
           coalesce(t.topics, []::VARCHAR[]) AS topics
    FROM articles a
    JOIN sources s USING (source_id)
    LEFT JOIN article_places p USING (article_id)
    LEFT JOIN topic_lists t USING (article_id)
    WHERE $all OR a.article_id NOT IN (SELECT article_id FROM search_indexed)
), signed AS (
    SELECT *, hash(text_sha1, title, url, source_id, outlet, language, day, countries,
                   topics)::VARCHAR AS signature
    FROM current
), pending AS MATERIALIZED (
    SELECT c.* FROM signed c
    LEFT JOIN search_indexed i USING (article_id)
    WHERE i.signature IS DISTINCT FROM c.signature
)
SELECT c.article_id, c.title, a.text, c.language, c.source_id, c.outlet, c.countries,
       c.topics, c.day, c.url, c.signature
FROM pending c
JOIN articles a USING (article_id);
