-- A new message for a rule and channel, claimed before it is sent; a retried run adds nothing.
-- $article_ids: comma-separated (a Python list parameter costs DuckDB two import probes per item).
INSERT OR IGNORE INTO alert_outbox VALUES (
    $delivery_key, $rule, $channel, $channel_type, $run_id,
    list_filter(string_split($article_ids, ','), id -> id <> ''), $payload, 'pending',
    $parts_total, 0, 0, NULL, $resend_of, now(), NULL);
