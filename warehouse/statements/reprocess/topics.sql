-- A batch's new tags ($files), each with its topics version and the run that first tagged it
-- (rows with tagged = false are near misses: reprocess/near_misses).
INSERT INTO article_topics
    (article_id, topic, score, matches, topics_version, run_id, tagged_at, borderline)
SELECT article_id, topic, score, matches, topics_version, run_id, tagged_at, borderline
FROM read_json($files, format = 'newline_delimited', columns = {
    article_id: 'VARCHAR', topic: 'VARCHAR', tagged: 'BOOLEAN', score: 'DOUBLE',
    matches: 'JSON', topics_version: 'VARCHAR', run_id: 'VARCHAR', tagged_at: 'TIMESTAMPTZ',
    borderline: 'DOUBLE'
})
WHERE tagged IS DISTINCT FROM false;
