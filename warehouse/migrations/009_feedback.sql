-- Monitors' corrections of the topic tags: a topic marked wrong on a story, or added as
-- missing. Their own table, which `steppewatch reprocess` never touches: a correction
-- outlives every re-tagging, and `steppewatch feedback export` turns the corrections into
-- labelled examples for `steppewatch tag --eval`.

CREATE SEQUENCE tag_feedback_seq;

CREATE TABLE tag_feedback (
    feedback_id     VARCHAR PRIMARY KEY,   -- the form's key (a nonce made with the form), so
                                           -- a form sent twice is stored once
    seq             BIGINT NOT NULL DEFAULT nextval('tag_feedback_seq'),  -- order of arrival
    article_id      VARCHAR NOT NULL,
    topic           VARCHAR NOT NULL,      -- a topic id of topics.toml
    verdict         VARCHAR NOT NULL CHECK (verdict IN ('wrong', 'missing')),
    note            VARCHAR,
    was_tagged      BOOLEAN NOT NULL,      -- whether the story carried the topic then
    topics_version  VARCHAR,               -- the version of that tag, if it carried it
    created_at      TIMESTAMPTZ NOT NULL
);

COMMENT ON TABLE tag_feedback IS 'Monitors'' corrections of topic tags: a topic marked wrong on a story, or added as missing (never touched by reprocess).';
COMMENT ON COLUMN tag_feedback.verdict IS 'wrong (the story is not about the topic) or missing (it is, and was not tagged so)';
COMMENT ON COLUMN tag_feedback.was_tagged IS 'Whether the story carried the topic when the correction was made';
