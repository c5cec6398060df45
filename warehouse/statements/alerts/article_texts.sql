-- The texts of a batch of articles; $article_ids: comma-separated.
SELECT article_id, text FROM articles
WHERE article_id IN (SELECT unnest(string_split($article_ids, ',')));
