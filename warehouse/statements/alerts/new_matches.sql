-- Stories matching an alert rule not yet delivered for this rule and channel, nor claimed by
-- a message of that channel still in the outbox. Texts are read in batches (article_texts).
-- The capture columns are the archived copy's reference the report prints for each story.
SELECT s.article_id, s.title, s.url, s.outlet, s.source_id, s.countries, s.language,
       s.published_at, s.first_seen_at, s.topics, s.top_score,
       s.capture_id, s.warc_file, s.warc_offset, s.fetched_at,
       (SELECT c.content_sha1 FROM captures c WHERE c.capture_id = s.capture_id) AS content_sha1,
       (SELECT list({'topic': t.topic, 'matches': t.matches, 'borderline': t.borderline}
                    ORDER BY t.topic)
        FROM article_topics t WHERE t.article_id = s.article_id) AS topic_matches
FROM stories s
WHERE len(list_intersect(s.topics, $topics::VARCHAR[])) > 0
  AND (len($countries::VARCHAR[]) = 0 OR len(list_intersect(s.countries, $countries::VARCHAR[])) > 0)
  AND (len($languages::VARCHAR[]) = 0 OR list_contains($languages::VARCHAR[], s.language))
  AND coalesce(s.top_score, 0) >= $min_score
  AND s.article_id NOT IN (
      SELECT article_id FROM alert_deliveries WHERE rule = $rule AND channel = $channel)
  AND s.article_id NOT IN (
      SELECT unnest(article_ids) FROM alert_outbox
      WHERE rule = $rule AND channel = $channel AND status <> 'sent')
ORDER BY s.published_at DESC NULLS LAST, s.article_id;
