-- The stories of a message accepted by a channel for a rule; never reported there again.
-- $article_ids: comma-separated (a Python list parameter costs DuckDB two import probes per item).
INSERT OR IGNORE INTO alert_deliveries
SELECT $rule, $channel, article_id, $run_id, $report_path, now()
FROM unnest(string_split($article_ids, ',')) AS ids(article_id)
WHERE article_id <> '';
