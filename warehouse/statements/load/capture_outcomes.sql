-- What became of each article page of one run ($files: extracted.jsonl, errors.jsonl,
-- extract_errors.jsonl): the article extracted from its capture, or the error's kind.
INSERT OR IGNORE INTO capture_outcomes
SELECT capture_id, $run_id, CASE WHEN kind IS NULL THEN 'article' ELSE kind END,
       CASE WHEN kind IS NULL THEN article_id END
FROM read_json($files, format = 'newline_delimited', union_by_name = true, columns = {
    capture_id: 'VARCHAR', article_id: 'VARCHAR', kind: 'VARCHAR'
})
WHERE capture_id IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY capture_id ORDER BY kind NULLS FIRST) = 1;
