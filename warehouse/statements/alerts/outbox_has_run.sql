-- Whether a run already wrote its message for a rule and channel (a resumed run adds none).
SELECT count(*) > 0 FROM alert_outbox
WHERE rule = $rule AND channel = $channel AND run_id = $run_id AND resend_of IS NULL;
