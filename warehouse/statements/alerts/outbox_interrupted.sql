-- Attempts cut off by a crash: idempotent channels retry, the others wait for a person.
UPDATE alert_outbox
SET status = CASE WHEN channel_type = 'file' THEN 'pending' ELSE 'unconfirmed' END,
    last_error = 'the run stopped while sending; the channel may or may not have it'
WHERE status = 'sending'
RETURNING delivery_key, rule, channel, status;
