-- Telegram channels (sources of family "telegram", docs/TELEGRAM.md): what each night's
-- preview page showed of a post beyond its article row. A post is an article like any
-- story; its text changes go to article_versions, its deletions to run_errors (kind
-- 'deleted'); views telegram_links and telegram_changes read these.

CREATE TABLE telegram_posts (
    article_id          VARCHAR NOT NULL,   -- the post's article (https://t.me/CHANNEL/POST_ID)
    run_id              VARCHAR NOT NULL,   -- the run whose preview page showed it
    channel             VARCHAR NOT NULL,
    post_id             BIGINT NOT NULL,
    views               BIGINT,             -- as the page counted them that night
    edited              BOOLEAN NOT NULL,   -- the page marked the post "edited"
    forwarded_from      VARCHAR,            -- the channel or user it was forwarded from
    forwarded_from_url  VARCHAR,
    links               VARCHAR[] NOT NULL, -- links in its text and link preview (canonical)
    capture_id          VARCHAR NOT NULL,   -- the archived preview page it was read from
    text_sha1           VARCHAR NOT NULL,   -- the text it had that night (article_versions)
    PRIMARY KEY (article_id, run_id)
);

COMMENT ON TABLE telegram_posts IS 'Each sighting of a Telegram post on its channel''s preview page: views, the edited mark, forwarded-from, the links it carries, the text it had.';
COMMENT ON COLUMN telegram_posts.edited IS 'Whether the page marked the post as edited that night';
COMMENT ON COLUMN telegram_posts.links IS 'Links in the post''s text and link preview, canonical (tracking parameters dropped)';
