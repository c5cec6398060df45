-- find_stories('query'): article_id and BM25 score of every story matching the query, best
-- first. all_terms := false also returns stories holding only some of the words. Created
-- after the index, which it names.
CREATE OR REPLACE MACRO find_stories(query, all_terms := true) AS TABLE
SELECT article_id, score
FROM (
    SELECT article_id,
           fts_main_search_docs.match_bm25(article_id, search_terms(query),
                                           conjunctive := CAST(all_terms AS INTEGER)) AS score
    FROM search_docs
)
WHERE score IS NOT NULL
ORDER BY score DESC, article_id;
