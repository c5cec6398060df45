-- What became of each archived response the crawl handed on as an article page: the
-- article extracted from it, or the error recorded for it. An archived 2xx article response
-- without a row here was fetched but never processed (a crash between the archive write and
-- the hand-over): the next run extracts it from the WARC record, and `steppewatch verify`
-- lists any that are left.

CREATE TABLE capture_outcomes (
    capture_id  VARCHAR PRIMARY KEY,
    run_id      VARCHAR NOT NULL,      -- the run that processed the capture
    outcome     VARCHAR NOT NULL,      -- 'article', else the error kind (no_text, duplicate, …)
    article_id  VARCHAR                -- the article extracted from it, if any
);

INSERT INTO capture_outcomes
SELECT capture_id, any_value(run_id), any_value(outcome), any_value(article_id)
FROM (
    SELECT capture_id, first_run_id AS run_id, 'article' AS outcome, article_id FROM articles
    UNION ALL
    SELECT capture_id, run_id, 'article', article_id FROM article_versions
    UNION ALL
    SELECT capture_id, run_id, kind, NULL FROM run_errors WHERE capture_id IS NOT NULL
)
GROUP BY capture_id;

COMMENT ON TABLE capture_outcomes IS 'Each archived article response and what became of it: the article extracted from it, or the error kind recorded for it.';
