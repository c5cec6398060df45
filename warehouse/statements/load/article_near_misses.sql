-- Near misses of one run ($files: tagged.jsonl, rows with tagged = false): a topic's query
-- matched the story without tagging it.
INSERT OR IGNORE INTO article_near_misses
    (article_id, topic, score, matches, borderline, topics_version, run_id, tagged_at)
SELECT article_id, topic, score, matches, borderline, topics_version, $run_id, tagged_at
FROM read_json($files, format = 'newline_delimited', columns = {
    article_id: 'VARCHAR', topic: 'VARCHAR', tagged: 'BOOLEAN', score: 'DOUBLE',
    matches: 'JSON', topics_version: 'VARCHAR', tagged_at: 'TIMESTAMPTZ', borderline: 'DOUBLE'
})
WHERE tagged = false AND article_id IN (SELECT article_id FROM articles);
