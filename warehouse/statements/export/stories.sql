-- The slice of stories to share: narrowed by topic, country and day (NULL: no filter).
SELECT article_id, outlet, source_id, countries, places, language, day, published_at,
       first_seen_at, title, description, author, url, topics, top_score, matched_terms,
       warc_file, warc_offset, warc_length, text
FROM stories
WHERE ($topic IS NULL OR list_contains(topics, $topic))
  AND ($country IS NULL OR list_contains(countries, upper($country)))
  AND ($since IS NULL OR day >= CAST($since AS DATE))
ORDER BY day, outlet, article_id;
