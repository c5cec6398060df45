-- The stories of a message accepted by a channel for a rule; never reported there again.
INSERT OR IGNORE INTO alert_deliveries
SELECT $rule, $channel, article_id, $run_id, $report_path, now()
FROM unnest($article_ids::VARCHAR[]) AS ids(article_id);
