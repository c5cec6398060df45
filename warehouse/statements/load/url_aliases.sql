-- URLs fetched for an article stored under another URL ($files: pages.jsonl): a redirect,
-- or the page's canonical link naming the article's own URL.
INSERT OR IGNORE INTO url_aliases
SELECT requested_url, any_value(url), $run_id
FROM read_json($files, format = 'newline_delimited', columns = {
    url: 'VARCHAR', requested_url: 'VARCHAR'
})
WHERE requested_url <> url
GROUP BY requested_url;
