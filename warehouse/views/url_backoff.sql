-- Failed URLs tried again less and less often: after 1, 2, 4, 8 and 16 days, then given up.

-- Errors after which fetching the URL again later may work.
CREATE OR REPLACE MACRO transient_error(http_status, kind) AS
    coalesce(http_status >= 500 OR http_status IN (408, 429),
             kind NOT IN ('duplicate', 'offsite', 'robots_disallowed', 'redirect_loop',
                          'redirect_limit', 'filtered', 'not_html', 'older_than_since',
                          'pagination_trap'));

CREATE OR REPLACE VIEW url_backoff AS
WITH failed AS (
    SELECT e.source_id, e.url, count(DISTINCT e.run_id) AS failures,
           max(r.started_at) AS last_failed_at, arg_max(e.kind, r.started_at) AS last_kind
    FROM run_errors e JOIN crawl_runs r USING (run_id)
    WHERE e.stage = 'crawl' AND transient_error(e.http_status, e.kind)
      AND e.url NOT IN (SELECT url FROM articles)
    GROUP BY e.source_id, e.url
)
SELECT source_id, url, failures, last_failed_at, last_kind,
       CASE WHEN failures >= 6 THEN 'infinity'::TIMESTAMPTZ
            -- two hours early, so a nightly that starts a little earlier is not a day late
            ELSE last_failed_at + to_days(CAST(pow(2, failures - 1) AS INTEGER))
                 - INTERVAL 2 HOUR END AS next_try_at
FROM failed;

COMMENT ON VIEW url_backoff IS 'URLs whose last fetches failed for a reason that may pass (timeout, 5xx, too large, …): failures so far and when they are tried again (infinity: given up after 6).';
