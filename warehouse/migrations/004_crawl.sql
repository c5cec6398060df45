-- Incremental, polite, accountable crawling (docs/CRAWLING.md): validators of feeds and
-- sitemaps, the backfill date of a run, article versions, the links discovery found
-- (coverage gaps), URL aliases, and per-source figures by kind.

-- ETag / Last-Modified of each response, sent back on the next conditional request.
ALTER TABLE captures ADD COLUMN etag VARCHAR;
ALTER TABLE captures ADD COLUMN last_modified VARCHAR;

-- `steppewatch nightly --since DATE`: the run backfills to this day and stores nothing older.
ALTER TABLE crawl_runs ADD COLUMN since DATE;

ALTER TABLE source_runs ADD COLUMN not_modified INTEGER DEFAULT 0;   -- feeds/sitemaps answered 304
ALTER TABLE source_runs ADD COLUMN revisited INTEGER DEFAULT 0;      -- stored articles fetched again
ALTER TABLE source_runs ADD COLUMN versions_new INTEGER DEFAULT 0;   -- revisits whose text changed
ALTER TABLE source_runs ADD COLUMN coverage_gaps INTEGER DEFAULT 0;  -- listed, new, not stored
ALTER TABLE source_runs ADD COLUMN errors_by_kind JSON;              -- {"http_404": 2, "timeout": 1}

-- Every distinct text an article had: the first one, then each changed revisit.
CREATE TABLE article_versions (
    article_id      VARCHAR NOT NULL,
    text_sha1       VARCHAR NOT NULL,
    capture_id      VARCHAR NOT NULL,
    title           VARCHAR,
    text            VARCHAR NOT NULL,
    run_id          VARCHAR NOT NULL,      -- the run that fetched this text
    extracted_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (article_id, text_sha1)
);
INSERT INTO article_versions
SELECT article_id, text_sha1, capture_id, title, text, first_run_id, extracted_at FROM articles;

-- Article URLs that feeds, sitemaps and listing pages listed in a run.
CREATE TABLE listed_links (
    run_id          VARCHAR NOT NULL,
    source_id       VARCHAR NOT NULL,
    url             VARCHAR NOT NULL,      -- canonical
    found_on        VARCHAR NOT NULL,      -- the feed, sitemap or listing page
    seen_before     BOOLEAN NOT NULL,      -- stored (or answered for good) before this run
    published_at    TIMESTAMPTZ,           -- as the feed or sitemap dates it
    PRIMARY KEY (run_id, source_id, url)
);

-- A URL fetched for an article stored under another URL (redirect, canonical link).
CREATE TABLE url_aliases (
    url             VARCHAR PRIMARY KEY,
    article_url     VARCHAR NOT NULL,
    run_id          VARCHAR NOT NULL
);

COMMENT ON TABLE article_versions IS 'Each distinct text of an article: the first, then every revisit whose text changed.';
COMMENT ON TABLE listed_links IS 'Article URLs that discovery pages listed, per run and source (the base of coverage_gaps).';
