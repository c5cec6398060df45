-- Telegram posts of one run's extracted articles ($files): one sighting per post and run
-- (the tg_* fields of crawlers/telegram_extraction.py), for stored posts only.
INSERT OR IGNORE INTO telegram_posts
SELECT x.article_id, $run_id, x.tg_channel, x.tg_post_id, x.tg_views, coalesce(x.tg_edited, false),
       x.tg_forwarded_from, x.tg_forwarded_from_url, coalesce(x.tg_links, []::VARCHAR[]),
       x.capture_id, x.text_sha1
FROM read_json($files, format = 'newline_delimited', columns = {
    article_id: 'VARCHAR', capture_id: 'VARCHAR', text_sha1: 'VARCHAR', tg_channel: 'VARCHAR',
    tg_post_id: 'BIGINT', tg_views: 'BIGINT', tg_edited: 'BOOLEAN', tg_forwarded_from: 'VARCHAR',
    tg_forwarded_from_url: 'VARCHAR', tg_links: 'VARCHAR[]', extracted_at: 'TIMESTAMPTZ'
}) x
WHERE x.tg_post_id IS NOT NULL
  AND x.article_id IN (SELECT article_id FROM articles)
QUALIFY row_number() OVER (PARTITION BY x.article_id ORDER BY x.extracted_at) = 1;
