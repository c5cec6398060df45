-- Near misses: a topic whose query matched a story without tagging it (the score was below
-- what a tag needs, or the borderline model declined). Kept apart from article_topics,
-- which holds tags only and which alerts, exports and SQL users read as such; the
-- workspace lists them so that monitors can check the stories a topic nearly got and add
-- the topic as missing (tag_feedback). Replaced with the tags when the corpus is re-tagged.

CREATE TABLE IF NOT EXISTS article_near_misses (
    article_id      VARCHAR NOT NULL,
    topic           VARCHAR NOT NULL,
    score           DOUBLE NOT NULL,       -- below the topic's tag score, or a weak tag dropped
    matches         JSON NOT NULL,         -- [{term, surface, field}]: what the query matched
    borderline      DOUBLE,                -- the borderline model's probability, if it decided
    topics_version  VARCHAR NOT NULL,
    run_id          VARCHAR NOT NULL,
    tagged_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (article_id, topic)
);

COMMENT ON TABLE article_near_misses IS 'Topics whose query matched a story without tagging it (below the score a tag needs, or the borderline model declined): the workspace''s list of stories to check for a missing topic.';
COMMENT ON COLUMN article_near_misses.borderline IS 'The borderline model''s probability when it decided against the tag; NULL when the queries alone decided';
COMMENT ON COLUMN article_near_misses.topic IS 'The topic id (topics.toml) whose query matched without tagging the story';
COMMENT ON COLUMN article_near_misses.score IS 'The query''s score: a title hit plus one per sentence with a hit, below what a tag needs (or a weak tag the model dropped)';
COMMENT ON COLUMN article_near_misses.matches IS 'JSON list of {term, surface, field}: each query term that matched and the words it matched';
COMMENT ON COLUMN article_near_misses.run_id IS 'The run (or reprocess) that tagged the story';
