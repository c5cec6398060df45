-- The normalisation both sides of a full-text search use (see search_docs).
CREATE OR REPLACE MACRO search_terms(words) AS array_to_string(list_transform(
    regexp_extract_all(
        translate(
            regexp_replace(lower(coalesce(words, '')), '([og])[''’‘`ʼ]', '\1ʻ', 'g'),
            'ёҷҳқғ', 'ечхкг'),
        '\p{L}+'),
    w -> CASE WHEN regexp_matches(w, '\p{Cyrillic}') THEN stem(w, 'russian')
              WHEN regexp_matches(w, '^[a-z]+$') THEN stem(w, 'english')
              ELSE w END), ' ');

COMMENT ON MACRO search_terms IS 'Search terms of a text as the fts index holds them (lower case, folded, Russian/English stems). Needs LOAD fts.';

