-- The channel accepted the whole message.
UPDATE alert_outbox SET status = 'sent', sent_at = now(), parts_sent = parts_total,
       last_error = coalesce($note, last_error)
WHERE delivery_key = $delivery_key;
