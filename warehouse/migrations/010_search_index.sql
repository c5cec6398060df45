-- Search moves to a tantivy index in DATA/search/ (warehouse/search_index.py), updated with
-- the new articles only. The fts index, its documents and its macros go; `search_indexed`
-- remembers what the index holds, so a night knows what to add, replace or drop.
DROP MACRO TABLE IF EXISTS find_stories;
DROP MACRO IF EXISTS search_terms;
DROP SCHEMA IF EXISTS fts_main_search_docs CASCADE;
DROP TABLE IF EXISTS search_docs;

CREATE TABLE IF NOT EXISTS search_indexed (
    article_id  VARCHAR PRIMARY KEY,
    signature   VARCHAR NOT NULL   -- md5 of what the index holds of it (statements/search/)
);

COMMENT ON TABLE search_indexed IS 'Articles the search index (DATA/search/) holds, with a signature of the text, title, outlet, language, day, countries and topics indexed: a changed signature is indexed again.';
