-- The original messages of a past run (not resends), to send again on purpose.
SELECT delivery_key, rule, channel, channel_type, run_id, article_ids, payload, status,
       parts_total, parts_sent, attempts, last_error, resend_of
FROM alert_outbox
WHERE run_id = $run_id AND resend_of IS NULL
  AND (len($rules::VARCHAR[]) = 0 OR list_contains($rules::VARCHAR[], rule))
  AND (len($channels::VARCHAR[]) = 0 OR list_contains($channels::VARCHAR[], channel))
ORDER BY rule, channel;
