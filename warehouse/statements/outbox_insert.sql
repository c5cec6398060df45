-- A new message for a rule and channel, claimed before it is sent; a retried run adds nothing.
INSERT OR IGNORE INTO alert_outbox VALUES (
    $delivery_key, $rule, $channel, $channel_type, $run_id, $article_ids, $payload, 'pending',
    $parts_total, 0, 0, NULL, $resend_of, now(), NULL);
