-- Topic tags of one run ($files), with the matched terms that explain each.
INSERT OR IGNORE INTO article_topics
    (article_id, topic, score, matches, topics_version, run_id, tagged_at, borderline)
SELECT article_id, topic, score, matches, topics_version, $run_id, tagged_at, borderline
FROM read_json($files, format = 'newline_delimited', columns = {
    article_id: 'VARCHAR', topic: 'VARCHAR', score: 'DOUBLE', matches: 'JSON',
    topics_version: 'VARCHAR', tagged_at: 'TIMESTAMPTZ', borderline: 'DOUBLE'
})
WHERE article_id IN (SELECT article_id FROM articles);
