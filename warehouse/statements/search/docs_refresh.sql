-- Bring the search documents in line with `articles`: drop those of articles no longer
-- stored or whose text changed, add those missing (only these are normalised; see
-- warehouse/views/search_terms.sql).
DELETE FROM search_docs d
WHERE NOT EXISTS (SELECT 1 FROM articles a
                  WHERE a.article_id = d.article_id AND a.text_sha1 = d.text_sha1);
INSERT OR IGNORE INTO search_docs
SELECT article_id, text_sha1, search_terms(title), search_terms(text)
FROM articles
WHERE article_id NOT IN (SELECT article_id FROM search_docs);
