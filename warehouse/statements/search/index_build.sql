-- (Re)build the BM25 index over the search documents. stemmer 'none': the documents hold
-- stems already. The ignore pattern drops every character that is not a letter (the default
-- would drop every letter outside a-z: Cyrillic, Kazakh, Kyrgyz, Tajik, Uzbek oʻ gʻ).
PRAGMA create_fts_index('search_docs', 'article_id', 'title', 'text',
    stemmer = 'none', stopwords = 'none', ignore = '(\.|[^\p{L}])+',
    strip_accents = 1, lower = 1, overwrite = 1);
