-- The borderline model's probability for a tag it decided (flows/tagging/borderline.py):
-- a story the topic's query matched below the score a tag needs, or a tag of low score the
-- model kept. NULL: the queries alone decided the tag (and every tag stored before).
ALTER TABLE article_topics ADD COLUMN IF NOT EXISTS borderline DOUBLE;

COMMENT ON COLUMN article_topics.borderline IS 'The borderline model''s probability when it decided this tag (a query match below the score, or a low-score tag it kept); NULL when the queries alone decided';
