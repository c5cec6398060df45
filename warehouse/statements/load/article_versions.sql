-- Texts of one run's extracted articles ($files): a new row when the text of a stored
-- article differs from every text it had (a revisit found it edited).
INSERT OR IGNORE INTO article_versions
SELECT x.article_id, x.text_sha1, x.capture_id, x.title, x.text, $run_id, x.extracted_at
FROM read_json($files, format = 'newline_delimited', columns = {
    article_id: 'VARCHAR', capture_id: 'VARCHAR', title: 'VARCHAR', text: 'VARCHAR',
    text_sha1: 'VARCHAR', extracted_at: 'TIMESTAMPTZ'
}) x
WHERE x.article_id IN (SELECT article_id FROM articles)
QUALIFY row_number() OVER (PARTITION BY x.article_id, x.text_sha1 ORDER BY x.extracted_at) = 1;
