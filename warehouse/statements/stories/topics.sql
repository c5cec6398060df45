-- The topics of the given articles ($ids: a JSON array, see stories/selected) with their score
-- and the matches that carried them. Found by article id on that column alone, then read
-- by row id: rows stored together (a page of stories of the same days) then prune the scan
-- of the large matches column to their row groups (4-5x faster on a fresh connection at
-- 100,000 articles; about even for ids spread over the whole corpus).
WITH wanted AS (
    SELECT rowid AS row_number
    FROM article_topics
    WHERE article_id IN (SELECT unnest(CAST($ids AS JSON)::VARCHAR[]))
)
SELECT article_id, topic, score, matches, borderline
FROM article_topics
WHERE rowid IN (SELECT row_number FROM wanted)
ORDER BY article_id, topic;
