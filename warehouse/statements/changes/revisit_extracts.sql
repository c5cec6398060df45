-- The text version (text_sha1) and headline extracted from each revisit capture of run
-- $run_id, from the run's staged extracted.jsonl files ($files).
SELECT x.capture_id, x.text_sha1, x.title
FROM read_json($files, format = 'newline_delimited', columns = {
    capture_id: 'VARCHAR', title: 'VARCHAR', text_sha1: 'VARCHAR'
}) x
JOIN captures c ON c.capture_id = x.capture_id
WHERE c.run_id = $run_id AND c.kind = 'revisit';
