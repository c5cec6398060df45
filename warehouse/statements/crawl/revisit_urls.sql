-- Stored articles due for a revisit at $now: published (else first fetched) within the
-- last $window_days days, last fetched at least $after_hours hours before, and fetched
-- fewer than 1 + $revisits times. Times are those of the runs (crawl_runs.started_at), so
-- a simulated clock (STEPPEWATCH_NOW) drives the policy as a real one does.
WITH fetches AS (
    SELECT c.url, count(*) AS times, min(r.started_at) AS first_at, max(r.started_at) AS last_at
    FROM captures c JOIN crawl_runs r USING (run_id)
    WHERE c.kind IN ('article', 'revisit') AND c.http_status = 200
    GROUP BY c.url
)
SELECT a.url
FROM articles a JOIN fetches f USING (url)
WHERE coalesce(a.published_at, f.first_at) >= $now::TIMESTAMPTZ - to_days($window_days::INTEGER)
  AND f.last_at <= $now::TIMESTAMPTZ - to_hours($after_hours::INTEGER)
  AND f.times <= $revisits
ORDER BY a.url;
