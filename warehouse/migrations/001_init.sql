-- The corpus: sources, runs, raw captures (pointers into WARC), articles, topic tags.

CREATE TABLE sources (
    source_id   VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    family      VARCHAR NOT NULL,
    countries   VARCHAR[] NOT NULL,
    languages   VARCHAR[] NOT NULL,
    base_url    VARCHAR NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE crawl_runs (
    run_id          VARCHAR PRIMARY KEY,
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ,
    mode            VARCHAR NOT NULL,      -- 'nightly' (real web) or 'replay'
    status          VARCHAR NOT NULL,      -- 'running', 'completed', 'failed'
    flow_run_id     VARCHAR,
    topics_version  VARCHAR,
    report_path     VARCHAR
);

CREATE TABLE source_runs (
    run_id          VARCHAR NOT NULL,
    source_id       VARCHAR NOT NULL,
    status          VARCHAR NOT NULL,      -- 'ok', 'failed'
    message         VARCHAR,
    pages_fetched   INTEGER NOT NULL,
    article_pages   INTEGER NOT NULL,
    skipped_seen    INTEGER NOT NULL,
    articles_new    INTEGER NOT NULL,
    errors          INTEGER NOT NULL,
    bytes           BIGINT NOT NULL,
    seconds         DOUBLE NOT NULL,
    PRIMARY KEY (run_id, source_id)
);

CREATE TABLE captures (
    capture_id      VARCHAR PRIMARY KEY,   -- hash of WARC file and offset
    run_id          VARCHAR NOT NULL,
    source_id       VARCHAR NOT NULL,
    url             VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,      -- robots, feed, sitemap, listing, article
    http_status     INTEGER NOT NULL,
    content_type    VARCHAR,
    content_sha1    VARCHAR NOT NULL,
    bytes           BIGINT NOT NULL,
    warc_file       VARCHAR NOT NULL,      -- relative to the data folder
    warc_offset     BIGINT NOT NULL,
    warc_length     BIGINT NOT NULL,
    fetched_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE articles (
    article_id      VARCHAR PRIMARY KEY,   -- hash of the canonical URL
    url             VARCHAR NOT NULL UNIQUE,
    canonical_url   VARCHAR,               -- as the page itself declares it
    source_id       VARCHAR NOT NULL,
    capture_id      VARCHAR NOT NULL,
    title           VARCHAR,
    text            VARCHAR NOT NULL,
    author          VARCHAR,
    published_at    TIMESTAMPTZ,
    language        VARCHAR,
    description     VARCHAR,
    encoding        VARCHAR,
    text_sha1       VARCHAR NOT NULL,
    first_run_id    VARCHAR NOT NULL,
    extracted_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE article_topics (
    article_id      VARCHAR NOT NULL,
    topic           VARCHAR NOT NULL,
    score           DOUBLE NOT NULL,
    matches         JSON NOT NULL,         -- [{term, surface, field, start, end}]
    topics_version  VARCHAR NOT NULL,
    run_id          VARCHAR NOT NULL,      -- the run that first tagged it
    tagged_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (article_id, topic)
);

CREATE TABLE run_errors (
    run_id          VARCHAR NOT NULL,
    source_id       VARCHAR NOT NULL,
    url             VARCHAR NOT NULL,
    stage           VARCHAR NOT NULL,      -- crawl, extract
    kind            VARCHAR NOT NULL,      -- http_404, no_text, timeout, ...
    message         VARCHAR NOT NULL,
    http_status     INTEGER,
    capture_id      VARCHAR,
    PRIMARY KEY (run_id, source_id, url, stage)
);

CREATE TABLE alert_deliveries (
    rule            VARCHAR NOT NULL,
    channel         VARCHAR NOT NULL,
    article_id      VARCHAR NOT NULL,
    run_id          VARCHAR NOT NULL,
    report_path     VARCHAR,
    delivered_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (rule, channel, article_id)
);
