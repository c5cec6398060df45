-- Topic tags of one run ($files), with the matched terms that explain each (rows with
-- tagged = false are near misses: load/article_near_misses; rows staged before they were
-- kept have no tagged and are all tags).
INSERT OR IGNORE INTO article_topics
    (article_id, topic, score, matches, topics_version, run_id, tagged_at, borderline)
SELECT article_id, topic, score, matches, topics_version, $run_id, tagged_at, borderline
FROM read_json($files, format = 'newline_delimited', columns = {
    article_id: 'VARCHAR', topic: 'VARCHAR', tagged: 'BOOLEAN', score: 'DOUBLE',
    matches: 'JSON', topics_version: 'VARCHAR', tagged_at: 'TIMESTAMPTZ', borderline: 'DOUBLE'
})
WHERE tagged IS DISTINCT FROM false AND article_id IN (SELECT article_id FROM articles);
