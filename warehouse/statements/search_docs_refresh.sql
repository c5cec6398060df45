-- Bring the search documents in line with `articles`: drop those of articles no longer
-- stored, add those of new articles (only these are normalised; see search_terms).
DELETE FROM search_docs WHERE article_id NOT IN (SELECT article_id FROM articles);
INSERT OR IGNORE INTO search_docs
SELECT article_id, search_terms(title), search_terms(text)
FROM articles
WHERE article_id NOT IN (SELECT article_id FROM search_docs);
