-- Stored articles due for a check at $now (docs/CHANGES.md). A story is checked again once
-- $age_fraction of its age has passed since its last check: its age counts from its
-- publication (else first fetch) or its last change, whichever is later, so a story is
-- checked often in its first days and after an edit, rarely later; never sooner than
-- $after_hours, never later than $max_interval_hours. Stories that match a topic are checked
-- for $matched_days; the others for $window_days, at most $revisits times and at most
-- $per_host of them per host and run (newest first). A story found gone on its last check is
-- checked on the next run whatever its age, so a removal is confirmed (or not) at once.
-- Times are those of the runs (crawl_runs.started_at), so a simulated clock drives it.
WITH born AS (
    SELECT a.article_id, a.url, coalesce(a.published_at, r.started_at) AS born_at,
           r.started_at AS first_at
    FROM articles a JOIN crawl_runs r ON r.run_id = a.first_run_id
),
checks AS (
    SELECT article_id, count(*) AS times, max(checked_at) AS last_at,
           arg_max(state, checked_at) FILTER (WHERE state <> 'failed') AS last_state
    FROM article_checks GROUP BY article_id
),
changes AS (
    SELECT article_id, max(detected_at) AS changed_at, arg_max(kind, detected_at) AS last_kind
    FROM story_changes GROUP BY article_id
),
candidates AS (
    SELECT b.url, regexp_extract(b.url, '^[a-z]+://([^/]+)', 1) AS host,
           EXISTS (SELECT 1 FROM article_topics t WHERE t.article_id = b.article_id) AS matched,
           b.born_at, greatest(b.born_at, coalesce(c.changed_at, b.born_at)) AS anchor,
           coalesce(k.last_at, b.first_at) AS last_at, coalesce(k.times, 0) AS times,
           coalesce(k.last_state = 'gone' AND c.last_kind IS DISTINCT FROM 'removed', false)
               AS confirming
    FROM born b LEFT JOIN checks k USING (article_id) LEFT JOIN changes c USING (article_id)
),
due AS (
    SELECT *, least($max_interval_hours::DOUBLE, greatest($after_hours::DOUBLE,
               $age_fraction::DOUBLE * epoch($now::TIMESTAMPTZ - anchor) / 3600)) AS every_hours
    FROM candidates
    WHERE confirming
       OR (matched AND born_at >= $now::TIMESTAMPTZ - to_days($matched_days::INTEGER))
       OR (NOT matched AND born_at >= $now::TIMESTAMPTZ - to_days($window_days::INTEGER)
           AND times < $revisits)
)
SELECT url
FROM due
WHERE confirming OR epoch($now::TIMESTAMPTZ - last_at) / 3600 >= every_hours
QUALIFY confirming OR matched
     OR row_number() OVER (PARTITION BY host, matched OR confirming
                           ORDER BY born_at DESC, url) <= $per_host
ORDER BY url;
