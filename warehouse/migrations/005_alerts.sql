-- The alert outbox: one row per message a rule sends to a channel (see docs/ALERTS.md).
-- A row is written, with its rendered payload, before anything is sent; the stories it
-- carries are then claimed and land in no other report. Delivered stories are recorded in
-- alert_deliveries only once the channel accepted the whole message.

CREATE TABLE alert_outbox (
    delivery_key   VARCHAR PRIMARY KEY,   -- sha256 of rule, channel, run and stories: idempotency key
    rule           VARCHAR NOT NULL,
    channel        VARCHAR NOT NULL,
    channel_type   VARCHAR NOT NULL,      -- file, email, webhook, telegram
    run_id         VARCHAR NOT NULL,      -- the run whose report this is
    article_ids    VARCHAR[] NOT NULL,
    payload        JSON NOT NULL,         -- the rendered message, never a credential
    status         VARCHAR NOT NULL,      -- pending, sending, sent, unconfirmed
    parts_total    INTEGER NOT NULL,
    parts_sent     INTEGER NOT NULL,      -- parts the channel accepted (Telegram splits)
    attempts       INTEGER NOT NULL,
    last_error     VARCHAR,               -- redacted: secrets replaced before storing
    resend_of      VARCHAR,               -- delivery_key of the report sent again on purpose
    created_at     TIMESTAMPTZ NOT NULL,
    sent_at        TIMESTAMPTZ
);
