-- The channel accepted one more part of a split message.
UPDATE alert_outbox SET parts_sent = $parts_sent WHERE delivery_key = $delivery_key;
