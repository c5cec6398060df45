-- A batch's new tags ($files), each with its topics version and the run that first tagged it.
INSERT INTO article_topics
    (article_id, topic, score, matches, topics_version, run_id, tagged_at, borderline)
SELECT article_id, topic, score, matches, topics_version, run_id, tagged_at, borderline
FROM read_json($files, format = 'newline_delimited', columns = {
    article_id: 'VARCHAR', topic: 'VARCHAR', score: 'DOUBLE', matches: 'JSON',
    topics_version: 'VARCHAR', run_id: 'VARCHAR', tagged_at: 'TIMESTAMPTZ',
    borderline: 'DOUBLE'
});
