-- One story with the capture its text came from.
SELECT s.article_id, s.source_id, s.outlet, s.countries, s.places, s.language,
       s.published_at, s.first_seen_at, s.day, s.title, s.description, s.author, s.url,
       s.canonical_url, s.topics, s.top_score, s.capture_id, s.fetched_at, s.text,
       s.warc_file, s.warc_offset, c.content_sha1, c.http_status
FROM stories s
JOIN captures c USING (capture_id)
WHERE s.article_id = $article_id;
