-- The full-text search documents (views and the search_terms macro: warehouse/views/).

-- Full-text search. One document per article; title and text are stored as search terms:
-- lower case, ё→е, Uzbek oʻ/gʻ apostrophes unified, Tajik ҷ ҳ қ ғ folded to ч х к г, then
-- each Cyrillic word stemmed by the Russian and each Latin word by the English Snowball
-- stemmer. The fts index (stemmer 'none') is built over these terms, and a query goes
-- through the same `search_terms` first, so Russian and English words in any article match
-- their inflected forms. Words of the other languages match by their exact form.
CREATE TABLE IF NOT EXISTS search_docs (
    article_id  VARCHAR PRIMARY KEY,
    text_sha1   VARCHAR NOT NULL,      -- of the article text indexed: a changed text is redone
    title       VARCHAR NOT NULL,
    text        VARCHAR NOT NULL
);

COMMENT ON TABLE search_docs IS 'Full-text search documents, one per article: title and text as search terms (see search_terms). Rebuilt after each load with the fts index fts_main_search_docs.';

