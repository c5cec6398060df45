-- Readable errors of one run ($files): fetch failures and pages without an article.
INSERT OR IGNORE INTO run_errors
SELECT $run_id, source_id, url, coalesce(stage, 'crawl'), kind, message, http_status, capture_id
FROM read_json($files, format = 'newline_delimited', columns = {
    source_id: 'VARCHAR', url: 'VARCHAR', stage: 'VARCHAR', kind: 'VARCHAR',
    message: 'VARCHAR', http_status: 'INTEGER', capture_id: 'VARCHAR'
})
QUALIFY row_number() OVER (PARTITION BY source_id, url, stage ORDER BY kind) = 1;
