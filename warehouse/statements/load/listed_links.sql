-- Article URLs that one run's feeds, sitemaps and listing pages listed ($files: links.jsonl).
INSERT OR IGNORE INTO listed_links
SELECT $run_id, source_id, url, any_value(found_on), bool_or(seen_before), max(published_at)
FROM read_json($files, format = 'newline_delimited', columns = {
    source_id: 'VARCHAR', url: 'VARCHAR', found_on: 'VARCHAR', seen_before: 'BOOLEAN',
    published_at: 'TIMESTAMPTZ'
})
GROUP BY source_id, url;
