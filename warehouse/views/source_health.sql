-- Per run and outlet: what was fetched, stored and failed, and for how long.
CREATE OR REPLACE VIEW source_health AS
WITH runs AS (
    SELECT r.run_id, cr.started_at, cr.mode, r.source_id, r.status, r.message,
           r.pages_fetched, r.article_pages, r.skipped_seen, r.articles_new, r.errors,
           r.bytes, r.seconds, r.not_modified, r.revisited, r.versions_new, r.coverage_gaps,
           r.errors_by_kind, r.held_back,
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
       not_modified, revisited, versions_new, coverage_gaps, held_back, bytes, seconds,
       last_ok_at,
       count(*) FILTER (WHERE status <> 'ok') OVER (
           PARTITION BY source_id, ok_group ORDER BY started_at
           ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)     AS failed_in_a_row,
       count(*) FILTER (WHERE articles_new = 0) OVER (
           PARTITION BY source_id, productive_group ORDER BY started_at
           ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)     AS empty_in_a_row,
       is_latest
FROM runs
LEFT JOIN sources src USING (source_id);

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
COMMENT ON COLUMN source_health.held_back IS 'Article URLs not fetched in this run because their fetches failed before and their next try is later (see url_backoff).';
COMMENT ON COLUMN source_health.bytes IS 'Bytes downloaded.';
COMMENT ON COLUMN source_health.seconds IS 'Crawl time in seconds.';
COMMENT ON COLUMN source_health.last_ok_at IS 'Start of the latest run up to this one in which the outlet was ok.';
COMMENT ON COLUMN source_health.failed_in_a_row IS 'Runs up to this one in which the outlet failed, since it was last ok.';
COMMENT ON COLUMN source_health.empty_in_a_row IS 'Runs up to this one that stored no new article from the outlet.';
COMMENT ON COLUMN source_health.is_latest IS 'True on the outlet''s most recent run.';
