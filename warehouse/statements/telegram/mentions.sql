-- Telegram posts that link a story ($article_id): "also posted on Telegram by", first first.
SELECT p.article_id, s.name AS source_name, l.channel, l.post_id, p.url, p.published_at
FROM telegram_links l
JOIN articles p ON p.article_id = l.article_id
JOIN sources s ON s.source_id = p.source_id
WHERE l.linked_article_id = $article_id
ORDER BY p.published_at NULLS LAST, p.url;
