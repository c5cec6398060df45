-- One row per stored article: the analysts' main view.
CREATE OR REPLACE VIEW stories AS
WITH topic_lists AS (
    SELECT article_id,
           list(topic ORDER BY topic) AS topics,
           max(score)                 AS top_score
    FROM article_topics
    GROUP BY article_id
), matched AS (
    SELECT t.article_id,
           list(DISTINCT lower(m.surface) ORDER BY lower(m.surface)) AS matched_terms
    FROM article_topics t,
         unnest(from_json(t.matches, '[{"surface": "VARCHAR"}]')) AS u(m)
    GROUP BY t.article_id
)
SELECT
    a.article_id,
    a.source_id,
    s.name                                                AS outlet,
    CASE WHEN len(p.countries) > 0 THEN p.countries ELSE s.countries END AS countries,
    s.countries                                           AS outlet_countries,
    coalesce(p.places, []::VARCHAR[])                     AS places,
    a.language,
    a.published_at,
    a.extracted_at                                        AS first_seen_at,
    c.fetched_at,
    timezone('Asia/Almaty', coalesce(a.published_at, a.extracted_at))::DATE AS day,
    a.title,
    a.description,
    a.author,
    a.url,
    a.canonical_url,
    coalesce(tl.topics, []::VARCHAR[])                    AS topics,
    tl.top_score,
    coalesce(m.matched_terms, []::VARCHAR[])              AS matched_terms,
    a.capture_id,
    c.warc_file,
    c.warc_offset,
    c.warc_length,
    a.first_run_id,
    a.text
FROM articles a
JOIN sources s USING (source_id)
JOIN captures c USING (capture_id)
LEFT JOIN article_places p USING (article_id)
LEFT JOIN topic_lists tl USING (article_id)
LEFT JOIN matched m USING (article_id);

COMMENT ON VIEW stories IS 'One row per stored article: outlet, countries, places, language, dates, topics with the terms that matched, URL and the WARC record it was extracted from.';
COMMENT ON COLUMN stories.article_id IS 'Stable id of the article (hash of its canonical URL).';
COMMENT ON COLUMN stories.source_id IS 'Id of the outlet in config/sources.toml.';
COMMENT ON COLUMN stories.outlet IS 'Name of the outlet.';
COMMENT ON COLUMN stories.countries IS 'Countries the story is about (ISO codes): those of the places it names, else the outlet''s countries.';
COMMENT ON COLUMN stories.outlet_countries IS 'Countries the outlet covers (ISO codes, from sources.toml).';
COMMENT ON COLUMN stories.places IS 'Places of the five countries the story names (English names from config/places.toml; empty when none is found).';
COMMENT ON COLUMN stories.language IS 'Language of the text: ru, en, kk, ky, uz or tg.';
COMMENT ON COLUMN stories.published_at IS 'Publication time the page declares (NULL when it declares none).';
COMMENT ON COLUMN stories.first_seen_at IS 'When steppewatch first extracted the article.';
COMMENT ON COLUMN stories.fetched_at IS 'When the page was fetched (time of the WARC record).';
COMMENT ON COLUMN stories.day IS 'Publication day (else the day first seen) in Asia/Almaty time; the day topic_daily counts.';
COMMENT ON COLUMN stories.title IS 'Headline.';
COMMENT ON COLUMN stories.description IS 'Summary the page declares (meta description), if any.';
COMMENT ON COLUMN stories.author IS 'Author the page declares, if any.';
COMMENT ON COLUMN stories.url IS 'Canonical URL of the article (tracking parameters removed).';
COMMENT ON COLUMN stories.canonical_url IS 'Canonical URL as the page itself declares it, if any.';
COMMENT ON COLUMN stories.topics IS 'Topics the story matches (police, protest, torture, ...); empty when none.';
COMMENT ON COLUMN stories.top_score IS 'Highest topic score of the story (NULL when it matches no topic).';
COMMENT ON COLUMN stories.matched_terms IS 'Words in the story that matched a topic query, lower case; article_topics.matches has their fields and offsets.';
COMMENT ON COLUMN stories.capture_id IS 'The capture (HTTP response) the article was extracted from.';
COMMENT ON COLUMN stories.warc_file IS 'WARC file holding the fetched page, relative to the data folder.';
COMMENT ON COLUMN stories.warc_offset IS 'Byte offset of the page''s WARC record in warc_file.';
COMMENT ON COLUMN stories.warc_length IS 'Length in bytes of the page''s WARC record.';
COMMENT ON COLUMN stories.first_run_id IS 'The nightly run that first stored the article.';
COMMENT ON COLUMN stories.text IS 'Main text of the article as extracted.';
