-- Views are the analysts' interface; tables may change behind them.

CREATE OR REPLACE VIEW stories AS
WITH topic_lists AS (
    SELECT article_id,
           list(topic ORDER BY topic) AS topics,
           max(score)                 AS top_score
    FROM article_topics
    GROUP BY article_id
)
SELECT
    a.article_id,
    a.source_id,
    s.name                                    AS outlet,
    s.countries,
    a.language,
    a.published_at,
    a.extracted_at                            AS first_seen_at,
    a.title,
    a.url,
    coalesce(tl.topics, []::VARCHAR[])        AS topics,
    tl.top_score,
    c.warc_file,
    c.warc_offset,
    a.first_run_id,
    a.text
FROM articles a
JOIN sources s USING (source_id)
JOIN captures c USING (capture_id)
LEFT JOIN topic_lists tl USING (article_id);

CREATE OR REPLACE VIEW source_health AS
SELECT
    r.run_id,
    cr.started_at,
    r.source_id,
    r.status,
    r.pages_fetched,
    r.article_pages,
    r.skipped_seen,
    r.articles_new,
    r.errors,
    r.bytes,
    r.seconds,
    r.message
FROM source_runs r
JOIN crawl_runs cr USING (run_id);
