-- Stories that change or vanish (docs/CHANGES.md): every check a revisit made of a stored
-- article, and every change those checks found (edited, headline, removed, restored).
-- The texts stay in article_versions; a change names its versions by text_sha1.

CREATE TABLE article_checks (
    article_id        VARCHAR NOT NULL,
    run_id            VARCHAR NOT NULL,
    checked_at        TIMESTAMPTZ NOT NULL,  -- the run's start: the clock of the schedule
    state             VARCHAR NOT NULL,      -- present, not_modified, gone, failed
    reason            VARCHAR,               -- gone: http_404, http_410, redirected, soft_404; failed: the error kind
    http_status       INTEGER,               -- of the first answer (a redirect's 301)
    capture_id        VARCHAR,               -- the first answer's capture
    final_capture_id  VARCHAR,               -- the page the check ended on (a redirect's target)
    text_sha1         VARCHAR,               -- present: the text it had (article_versions)
    title             VARCHAR,               -- present: the headline it had
    PRIMARY KEY (article_id, run_id)
);

CREATE TABLE story_changes (
    change_id       VARCHAR PRIMARY KEY,     -- md5 of article, kind and run
    article_id      VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,        -- edited, headline, removed, restored
    run_id          VARCHAR NOT NULL,        -- the run whose check found it
    detected_at     TIMESTAMPTZ NOT NULL,
    previous_sha1   VARCHAR,                 -- article_versions of the text before ...
    new_sha1        VARCHAR,                 -- ... and after (edited, restored)
    previous_title  VARCHAR,
    new_title       VARCHAR,
    reason          VARCHAR,                 -- removed: http_404, http_410, redirected, soft_404
    evidence        JSON NOT NULL            -- [{capture_id, url, http_status, run_id, fetched_at, warc_file, warc_offset}]
);

COMMENT ON TABLE article_checks IS 'Each revisit of a stored article: present (with its text and headline), not_modified (304), gone (404, 410, a redirect off the article, a page-not-found page) or failed.';
COMMENT ON TABLE story_changes IS 'What revisits found: an article edited (its text, boilerplate aside), its headline changed, removed (gone on two checks in a row) or restored; with the captures that prove it.';
