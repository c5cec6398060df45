-- A story accepted by a channel for a rule; never reported there again.
INSERT OR IGNORE INTO alert_deliveries VALUES ($rule, $channel, $article_id, $run_id, $report_path, now());
