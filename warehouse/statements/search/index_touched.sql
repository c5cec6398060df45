-- Whether an article the index holds was tagged or extracted again after $since (reprocess):
-- then every article is compared with the index, else only new ones are looked for.
SELECT EXISTS (SELECT 1 FROM article_topics t
               WHERE t.tagged_at > $since
                 AND t.article_id IN (SELECT article_id FROM search_indexed))
    OR EXISTS (SELECT 1 FROM articles a
               WHERE a.extracted_at > $since
                 AND a.article_id IN (SELECT article_id FROM search_indexed));
