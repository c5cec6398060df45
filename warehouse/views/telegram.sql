-- Telegram posts linked to stories, and what changed on posts seen again (docs/TELEGRAM.md).
-- A URL is matched without scheme, www. and trailing slash (a post links what a reader
-- copied; the outlet's own feeds name the stored form).
CREATE OR REPLACE VIEW telegram_links AS
WITH latest AS (
    SELECT p.* FROM telegram_posts p JOIN crawl_runs r USING (run_id)
    QUALIFY row_number() OVER (PARTITION BY p.article_id ORDER BY r.started_at DESC) = 1
), linked AS (
    SELECT article_id, channel, post_id, linked_url,
           regexp_replace(lower(linked_url), '^https?://(www\.)?|/+$', '', 'g') AS bare
    FROM (SELECT article_id, channel, post_id, unnest(links) AS linked_url FROM latest)
    QUALIFY row_number() OVER (PARTITION BY article_id, bare ORDER BY linked_url DESC) = 1
), stored AS (
    SELECT article_id, source_id, url FROM articles
    UNION ALL
    SELECT a.article_id, a.source_id, al.url
    FROM url_aliases al JOIN articles a ON a.url = al.article_url
)
SELECT l.article_id, p.source_id, l.channel, l.post_id, l.linked_url,
       s.article_id AS linked_article_id, s.source_id AS linked_source_id
FROM linked l
JOIN articles p ON p.article_id = l.article_id
LEFT JOIN stored s
       ON regexp_replace(lower(s.url), '^https?://(www\.)?|/+$', '', 'g') = l.bare
      AND s.article_id <> l.article_id
QUALIFY row_number() OVER (PARTITION BY l.article_id, l.bare ORDER BY s.article_id) = 1;

COMMENT ON VIEW telegram_links IS 'Links of each Telegram post (as last seen), with the stored story each one names (linked_article_id, linked_source_id) when there is one.';

CREATE OR REPLACE VIEW telegram_changes AS
WITH seen AS (
    SELECT p.article_id, p.run_id, p.text_sha1, p.edited, r.started_at,
           lag(p.text_sha1) OVER w AS previous_sha1, lag(p.edited) OVER w AS was_edited
    FROM telegram_posts p JOIN crawl_runs r USING (run_id)
    WINDOW w AS (PARTITION BY p.article_id ORDER BY r.started_at)
)
SELECT article_id, run_id, started_at AS noticed_at, 'edited' AS kind,
       previous_sha1, text_sha1 AS new_sha1
FROM seen
WHERE previous_sha1 IS NOT NULL AND (previous_sha1 <> text_sha1 OR (edited AND NOT was_edited))
UNION ALL
(SELECT a.article_id, e.run_id, r.started_at, 'deleted', NULL, NULL
 FROM run_errors e JOIN articles a ON a.url = e.url JOIN crawl_runs r ON r.run_id = e.run_id
 WHERE e.kind = 'deleted'
 QUALIFY row_number() OVER (PARTITION BY a.article_id ORDER BY r.started_at) = 1);

COMMENT ON VIEW telegram_changes IS 'Telegram posts that changed when their page was seen again: edited (another text, or newly marked edited; versions by text_sha1) or deleted (first night a page no longer showed it).';
COMMENT ON COLUMN telegram_links.article_id IS 'The post (an article of a Telegram source)';
COMMENT ON COLUMN telegram_links.linked_url IS 'A link the post carries (canonical: tracking parameters dropped)';
COMMENT ON COLUMN telegram_links.linked_article_id IS 'The stored story the link names, if any';
COMMENT ON COLUMN telegram_links.linked_source_id IS 'The source of that story';
COMMENT ON COLUMN telegram_changes.kind IS 'edited (another text, or newly marked edited) or deleted (no longer on its page)';
