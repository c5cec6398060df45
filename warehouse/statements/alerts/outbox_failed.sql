-- The attempt failed: 'pending' when the channel surely did not take it (retried next run),
-- 'unconfirmed' when it may have (never sent again without `alerts --resend`).
UPDATE alert_outbox SET status = $status, last_error = $error WHERE delivery_key = $delivery_key;
