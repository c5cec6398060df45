-- Raw captures of one run, from the crawl's captures.jsonl files ($files).
INSERT OR IGNORE INTO captures (capture_id, run_id, source_id, url, kind, http_status,
                                content_type, content_sha1, bytes, warc_file, warc_offset,
                                warc_length, fetched_at, etag, last_modified)
SELECT capture_id, $run_id, source_id, url, kind, http_status, content_type, content_sha1,
       bytes, warc_file, warc_offset, warc_length, fetched_at, etag, last_modified
FROM read_json($files, format = 'newline_delimited', columns = {
    capture_id: 'VARCHAR', source_id: 'VARCHAR', url: 'VARCHAR', kind: 'VARCHAR',
    http_status: 'INTEGER', content_type: 'VARCHAR', content_sha1: 'VARCHAR', bytes: 'BIGINT',
    warc_file: 'VARCHAR', warc_offset: 'BIGINT', warc_length: 'BIGINT', fetched_at: 'TIMESTAMPTZ',
    etag: 'VARCHAR', last_modified: 'VARCHAR'
});
