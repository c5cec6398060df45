-- How often a message was sent again on purpose.
SELECT count(*) FROM alert_outbox WHERE resend_of = $delivery_key;
