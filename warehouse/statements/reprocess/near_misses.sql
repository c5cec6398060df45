-- A batch's new near misses ($files, rows with tagged = false), recorded by the reprocess run.
INSERT INTO article_near_misses
    (article_id, topic, score, matches, borderline, topics_version, run_id, tagged_at)
SELECT article_id, topic, score, matches, borderline, topics_version, $run_id, tagged_at
FROM read_json($files, format = 'newline_delimited', columns = {
    article_id: 'VARCHAR', topic: 'VARCHAR', tagged: 'BOOLEAN', score: 'DOUBLE',
    matches: 'JSON', topics_version: 'VARCHAR', tagged_at: 'TIMESTAMPTZ', borderline: 'DOUBLE'
})
WHERE tagged = false;
