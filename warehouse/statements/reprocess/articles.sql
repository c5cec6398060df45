-- The next batch of stored articles to re-tag, after article $after in id order.
SELECT article_id, title, text, language
FROM articles
WHERE article_id > $after
ORDER BY article_id
LIMIT $limit;
