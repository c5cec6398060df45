-- Stored articles whose current text has no search document yet.
SELECT count(*) FROM articles a
WHERE NOT EXISTS (SELECT 1 FROM search_docs d
                  WHERE d.article_id = a.article_id AND d.text_sha1 = a.text_sha1);
