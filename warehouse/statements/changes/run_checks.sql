-- What the revisits of run $run_id found, one row per stored article asked for: its first
-- answer (the run's latest revisit capture of the article's URL: a retry's last attempt, a
-- redirect's 301, a 304), the revisit capture an article was extracted from, and the error
-- recorded (a crawl error before an extraction error). Both are matched by the article or
-- by the capture: a page-not-found page may name another page as its canonical URL.
WITH asked AS (
    SELECT a.article_id, a.url, c.capture_id, c.http_status
    FROM captures c JOIN articles a ON a.url = c.url
    WHERE c.run_id = $run_id AND c.kind = 'revisit'
    QUALIFY row_number() OVER (PARTITION BY a.article_id ORDER BY c.fetched_at DESC) = 1
),
extracted AS (
    SELECT o.article_id, o.capture_id, c.fetched_at
    FROM capture_outcomes o JOIN captures c USING (capture_id)
    WHERE c.run_id = $run_id AND c.kind = 'revisit' AND o.outcome = 'article'
),
errors AS (
    SELECT url, kind, http_status, capture_id, stage FROM run_errors WHERE run_id = $run_id
)
SELECT q.article_id, q.capture_id, q.http_status,
       (SELECT arg_max(x.capture_id, x.fetched_at) FROM extracted x
        WHERE x.article_id = q.article_id OR x.capture_id = q.capture_id) AS article_capture_id,
       e.kind AS error_kind, e.http_status AS error_status, e.capture_id AS error_capture_id
FROM asked q
LEFT JOIN errors e ON e.url = q.url OR e.capture_id = q.capture_id
QUALIFY row_number() OVER (PARTITION BY q.article_id
                           ORDER BY e.stage = 'crawl' DESC NULLS LAST, e.kind) = 1
ORDER BY q.article_id;
