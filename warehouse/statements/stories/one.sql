-- One story with the capture its text came from: the stories view's columns, read from its
-- tables for this one article (the view would aggregate every article's topics first).
WITH tags AS (
    SELECT list(topic ORDER BY topic) AS topics, max(score) AS top_score
    FROM article_topics
    WHERE article_id = $article_id
)
SELECT a.article_id, a.source_id, s.name AS outlet,
       CASE WHEN len(p.countries) > 0 THEN p.countries ELSE s.countries END AS countries,
       coalesce(p.places, []::VARCHAR[]) AS places, a.language, a.published_at,
       a.extracted_at AS first_seen_at,
       timezone('Asia/Almaty', coalesce(a.published_at, a.extracted_at))::DATE AS day,
       a.title, a.description, a.author, a.url, a.canonical_url,
       coalesce(t.topics, []::VARCHAR[]) AS topics, t.top_score, a.capture_id, c.fetched_at,
       a.text, c.warc_file, c.warc_offset, c.content_sha1, c.http_status
FROM (SELECT * FROM articles WHERE article_id = $article_id) a
JOIN sources s USING (source_id)
JOIN captures c USING (capture_id)
LEFT JOIN (SELECT * FROM article_places WHERE article_id = $article_id) p USING (article_id)
CROSS JOIN tags t;
