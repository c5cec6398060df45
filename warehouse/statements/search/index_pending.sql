-- Articles the search index lacks ($all false), or lacks or holds out of date ($all true:
-- text, title, link, outlet, language, day, countries or topics changed since), with what
-- it needs of them (not the text: search/texts.sql by `rid`, in this order) and their
-- signature. Articles are found again by rowid, so a night reads the rows of its new
-- articles only, not the whole table.
WITH candidates AS MATERIALIZED (
    SELECT rowid AS rid FROM articles WHERE $all
    UNION ALL
    SELECT a.rowid FROM articles a ANTI JOIN search_indexed i USING (article_id)
    WHERE NOT $all
), chosen AS MATERIALIZED (
    SELECT c.rid, a.article_id, a.source_id, a.language, a.title, a.url, a.text_sha1,
           timezone('Asia/Almaty', coalesce(a.published_at, a.extracted_at))::DATE AS day
    FROM candidates c
    JOIN articles a ON a.rowid = c.rid
), topic_lists AS (
    SELECT article_id, list(topic ORDER BY topic) AS topics
    FROM article_topics
    WHERE article_id IN (SELECT article_id FROM chosen)
    GROUP BY article_id
), current AS (
    SELECT a.*, s.name AS outlet,
           CASE WHEN len(p.countries) > 0 THEN p.countries ELSE s.countries END AS countries,
           coalesce(t.topics, []::VARCHAR[]) AS topics
    FROM chosen a
    JOIN sources s USING (source_id)
    LEFT JOIN article_places p USING (article_id)
    LEFT JOIN topic_lists t USING (article_id)
), signed AS (
    SELECT *, hash(text_sha1, title, url, source_id, outlet, language, day, countries,
                   topics)::VARCHAR AS signature
    FROM current
), pending AS MATERIALIZED (
    SELECT c.* FROM signed c
    LEFT JOIN search_indexed i USING (article_id)
    WHERE i.signature IS DISTINCT FROM c.signature
)
SELECT article_id, title, language, source_id, outlet, countries, topics, day, url,
       signature, rid
FROM pending
ORDER BY rid;
