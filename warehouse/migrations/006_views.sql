-- The analysts' interface: documented views `stories`, `topic_daily`, `source_health`, and the
-- full-text search documents (`search_docs`) with the normalisation both sides of a search use.
-- Views name every column they read, so a column added to a table later never breaks them
-- (a `SELECT *` view fails in DuckDB once its table gains a column). Countries and places
-- come from article_places (migration 003), the run figures from source_runs (001, 004).

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

CREATE OR REPLACE VIEW topic_daily AS
SELECT s.day, t.topic, country,
       count(DISTINCT s.article_id) AS stories,
       count(DISTINCT s.source_id)  AS outlets
FROM stories s
JOIN article_topics t USING (article_id),
     unnest(s.countries) AS u(country)
GROUP BY ALL;

CREATE OR REPLACE VIEW source_health AS
WITH runs AS (
    SELECT r.run_id, cr.started_at, cr.mode, r.source_id, r.status, r.message,
           r.pages_fetched, r.article_pages, r.skipped_seen, r.articles_new, r.errors,
           r.bytes, r.seconds, r.not_modified, r.revisited, r.versions_new, r.coverage_gaps,
           r.errors_by_kind,
           -- Runs since the last ok / productive run share a group number.
           count(*) FILTER (WHERE r.status = 'ok') OVER w          AS ok_group,
           count(*) FILTER (WHERE r.articles_new > 0) OVER w       AS productive_group,
           max(cr.started_at) FILTER (WHERE r.status = 'ok') OVER w AS last_ok_at,
           row_number() OVER (PARTITION BY r.source_id ORDER BY cr.started_at DESC) = 1
                                                                    AS is_latest
    FROM source_runs r
    JOIN crawl_runs cr USING (run_id)
    WINDOW w AS (PARTITION BY r.source_id ORDER BY cr.started_at
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT run_id, started_at, mode, source_id, src.name AS outlet, status, message,
       pages_fetched, article_pages, skipped_seen, articles_new, errors, errors_by_kind,
       not_modified, revisited, versions_new, coverage_gaps, bytes, seconds, last_ok_at,
       count(*) FILTER (WHERE status <> 'ok') OVER (
           PARTITION BY source_id, ok_group ORDER BY started_at
           ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)     AS failed_in_a_row,
       count(*) FILTER (WHERE articles_new = 0) OVER (
           PARTITION BY source_id, productive_group ORDER BY started_at
           ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)     AS empty_in_a_row,
       is_latest
FROM runs
LEFT JOIN sources src USING (source_id);

-- Full-text search. One document per article; title and text are stored as search terms:
-- lower case, ё→е, Uzbek oʻ/gʻ apostrophes unified, Tajik ҷ ҳ қ ғ folded to ч х к г, then
-- each Cyrillic word stemmed by the Russian and each Latin word by the English Snowball
-- stemmer. The fts index (stemmer 'none') is built over these terms, and a query goes
-- through the same `search_terms` first, so Russian and English words in any article match
-- their inflected forms. Words of the other languages match by their exact form.
CREATE TABLE IF NOT EXISTS search_docs (
    article_id  VARCHAR PRIMARY KEY,
    text_sha1   VARCHAR NOT NULL,      -- of the article text indexed: a changed text is redone
    title       VARCHAR NOT NULL,
    text        VARCHAR NOT NULL
);

CREATE OR REPLACE MACRO search_terms(words) AS array_to_string(list_transform(
    regexp_extract_all(
        translate(
            regexp_replace(lower(coalesce(words, '')), '([og])[''’‘`ʼ]', '\1ʻ', 'g'),
            'ёҷҳқғ', 'ечхкг'),
        '\p{L}+'),
    w -> CASE WHEN regexp_matches(w, '\p{Cyrillic}') THEN stem(w, 'russian')
              WHEN regexp_matches(w, '^[a-z]+$') THEN stem(w, 'english')
              ELSE w END), ' ');

COMMENT ON MACRO search_terms IS 'Search terms of a text as the fts index holds them (lower case, folded, Russian/English stems). Needs LOAD fts.';

COMMENT ON TABLE search_docs IS 'Full-text search documents, one per article: title and text as search terms (see search_terms). Rebuilt after each load with the fts index fts_main_search_docs.';

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

COMMENT ON VIEW topic_daily IS 'Stories per topic, country and day; a story about two countries counts for each.';
COMMENT ON COLUMN topic_daily.day IS 'Publication day (else the day first seen) in Asia/Almaty time.';
COMMENT ON COLUMN topic_daily.topic IS 'Topic id (police, protest, torture, ...).';
COMMENT ON COLUMN topic_daily.country IS 'Country ISO code (KZ, KG, TJ, UZ, TM).';
COMMENT ON COLUMN topic_daily.stories IS 'Stories of the topic about the country that day.';
COMMENT ON COLUMN topic_daily.outlets IS 'Outlets that published those stories.';

COMMENT ON VIEW source_health IS 'One row per nightly run and outlet: what was fetched, stored and failed, and how long an outlet has been failing or empty.';
COMMENT ON COLUMN source_health.run_id IS 'The nightly run.';
COMMENT ON COLUMN source_health.started_at IS 'When the run started.';
COMMENT ON COLUMN source_health.mode IS 'nightly (real web) or replay (demo, tests).';
COMMENT ON COLUMN source_health.source_id IS 'Id of the outlet in config/sources.toml.';
COMMENT ON COLUMN source_health.outlet IS 'Name of the outlet.';
COMMENT ON COLUMN source_health.status IS 'ok or failed.';
COMMENT ON COLUMN source_health.message IS 'Why the outlet failed (one line), else NULL.';
COMMENT ON COLUMN source_health.pages_fetched IS 'HTTP responses fetched (robots, feeds, sitemaps, listings, articles).';
COMMENT ON COLUMN source_health.article_pages IS 'Article pages fetched.';
COMMENT ON COLUMN source_health.skipped_seen IS 'Article URLs not fetched because they were already stored.';
COMMENT ON COLUMN source_health.articles_new IS 'Articles stored for the first time by this run.';
COMMENT ON COLUMN source_health.errors IS 'Pages that failed to fetch or held no article.';
COMMENT ON COLUMN source_health.errors_by_kind IS 'The errors counted by kind, as JSON: {"http_404": 2, "timeout": 1}.';
COMMENT ON COLUMN source_health.not_modified IS 'Feeds and sitemaps that answered 304 Not Modified to a conditional request.';
COMMENT ON COLUMN source_health.revisited IS 'Stored articles fetched again to catch edits.';
COMMENT ON COLUMN source_health.versions_new IS 'Revisited articles whose text had changed (see article_versions).';
COMMENT ON COLUMN source_health.coverage_gaps IS 'Articles listed for the first time but not stored (see the coverage_gaps view).';
COMMENT ON COLUMN source_health.bytes IS 'Bytes downloaded.';
COMMENT ON COLUMN source_health.seconds IS 'Crawl time in seconds.';
COMMENT ON COLUMN source_health.last_ok_at IS 'Start of the latest run up to this one in which the outlet was ok.';
COMMENT ON COLUMN source_health.failed_in_a_row IS 'Runs up to this one in which the outlet failed, since it was last ok.';
COMMENT ON COLUMN source_health.empty_in_a_row IS 'Runs up to this one that stored no new article from the outlet.';
COMMENT ON COLUMN source_health.is_latest IS 'True on the outlet''s most recent run.';
