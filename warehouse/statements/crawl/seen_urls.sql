-- Article URLs the crawl need not fetch again: those whose article or final error is stored.
-- An archived page that never became an article or an error does not count (the next run
-- extracts it from the archive); nor does a transient failure (5xx, 408, 429, a timeout, a
-- lost connection), which is tried again, less and less often (url_backoff).
SELECT url FROM articles
UNION
SELECT url FROM url_aliases
UNION
SELECT url FROM run_errors
WHERE (http_status < 500 AND http_status NOT IN (408, 429))
   OR kind IN ('duplicate', 'offsite', 'robots_disallowed', 'redirect_loop', 'redirect_limit',
               'filtered', 'not_html', 'older_than_since')
UNION
SELECT url FROM url_backoff WHERE next_try_at > $now;
