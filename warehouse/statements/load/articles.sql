-- Extracted articles of one run ($files); an article already stored keeps its first version
-- (changed texts go to article_versions). A backfill (`--since`) stores nothing older.
INSERT OR IGNORE INTO articles
SELECT article_id, url, canonical_url, source_id, capture_id, title, text, author,
       published_at, language, description, encoding, text_sha1, $run_id, extracted_at
FROM read_json($files, format = 'newline_delimited', columns = {
    article_id: 'VARCHAR', url: 'VARCHAR', canonical_url: 'VARCHAR', source_id: 'VARCHAR',
    capture_id: 'VARCHAR', title: 'VARCHAR', text: 'VARCHAR', author: 'VARCHAR',
    published_at: 'TIMESTAMPTZ', language: 'VARCHAR', description: 'VARCHAR',
    encoding: 'VARCHAR', text_sha1: 'VARCHAR', extracted_at: 'TIMESTAMPTZ'
})
WHERE published_at IS NULL
   OR published_at >= coalesce((SELECT since FROM crawl_runs WHERE run_id = $run_id),
                               '-infinity'::TIMESTAMPTZ)
QUALIFY row_number() OVER (PARTITION BY url ORDER BY extracted_at) = 1;
