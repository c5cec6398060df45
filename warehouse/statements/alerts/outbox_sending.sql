-- An attempt begins; a row still 'sending' at the next run was cut off mid-send.
UPDATE alert_outbox SET status = 'sending', attempts = attempts + 1
WHERE delivery_key = $delivery_key;
