-- Messages of a rule and channel not yet accepted, oldest first (retried before new reports);
-- a resend that failed is the business of whoever asked for it, not retried by itself.
SELECT delivery_key, rule, channel, channel_type, run_id, article_ids, payload, status,
       parts_total, parts_sent, attempts, last_error, resend_of
FROM alert_outbox
WHERE rule = $rule AND channel = $channel AND status IN ('pending', 'unconfirmed')
  AND resend_of IS NULL
ORDER BY created_at, delivery_key;
