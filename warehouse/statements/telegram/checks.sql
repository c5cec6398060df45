-- The checks the Telegram preview pages of run $run_id made of posts stored by earlier runs
-- (article_checks' columns): a post shown again is present, with the text it had and that
-- text's headline; a post a page should show but no longer does is gone (reason deleted).
SELECT p.article_id, 'present' AS state, NULL AS reason, 200 AS http_status, p.capture_id,
       NULL AS final_capture_id, p.text_sha1, v.title
FROM telegram_posts p
JOIN articles a USING (article_id)
LEFT JOIN article_versions v ON v.article_id = p.article_id AND v.text_sha1 = p.text_sha1
WHERE p.run_id = $run_id AND a.first_run_id <> $run_id
UNION ALL
SELECT a.article_id, 'gone', 'deleted', e.http_status, e.capture_id, NULL, NULL, NULL
FROM run_errors e
JOIN articles a ON a.url = e.url
WHERE e.run_id = $run_id AND e.kind = 'deleted' AND a.first_run_id <> $run_id
ORDER BY 1;
