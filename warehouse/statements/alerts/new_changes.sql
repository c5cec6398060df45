-- Changes (story_changes) of the kinds $kinds of stories matching an alert rule, not yet
-- delivered for the rule's change stream ($stream) and channel, nor claimed by a message of
-- theirs still in the outbox; with the texts before and after (the report's diff).
SELECT c.change_id, c.kind, c.detected_at, c.previous_title, c.new_title, c.reason,
       c.evidence, s.title, s.url, s.outlet,
       (SELECT v.text FROM article_versions v
        WHERE v.article_id = c.article_id AND v.text_sha1 = c.previous_sha1) AS previous_text,
       (SELECT v.text FROM article_versions v
        WHERE v.article_id = c.article_id AND v.text_sha1 = c.new_sha1) AS new_text
FROM story_changes c JOIN stories s USING (article_id)
WHERE list_contains($kinds::VARCHAR[], c.kind)
  AND len(list_intersect(s.topics, $topics::VARCHAR[])) > 0
  AND (len($countries::VARCHAR[]) = 0 OR len(list_intersect(s.countries, $countries::VARCHAR[])) > 0)
  AND (len($languages::VARCHAR[]) = 0 OR list_contains($languages::VARCHAR[], s.language))
  AND coalesce(s.top_score, 0) >= $min_score
  AND c.change_id NOT IN (
      SELECT article_id FROM alert_deliveries WHERE rule = $stream AND channel = $channel)
  AND c.change_id NOT IN (
      SELECT unnest(article_ids) FROM alert_outbox
      WHERE rule = $stream AND channel = $channel AND status <> 'sent')
ORDER BY c.detected_at, s.outlet, c.article_id, c.kind;
