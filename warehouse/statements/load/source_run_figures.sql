-- Figures of one run per source that the loaded rows tell: feeds and sitemaps answered 304,
-- articles revisited (answered 200 or 304) and how many had changed, coverage gaps, errors by kind, and URLs
-- held back after failing before (url_backoff).
UPDATE source_runs r SET
    not_modified = (SELECT count(*) FROM captures c
                    WHERE c.run_id = r.run_id AND c.source_id = r.source_id
                      AND c.http_status = 304 AND c.kind IN ('feed', 'sitemap')),
    revisited = (SELECT count(*) FROM captures c
                 WHERE c.run_id = r.run_id AND c.source_id = r.source_id
                   AND c.kind = 'revisit' AND c.http_status IN (200, 304)),
    versions_new = (SELECT count(*) FROM article_versions v JOIN articles a USING (article_id)
                    WHERE v.run_id = r.run_id AND a.source_id = r.source_id
                      AND a.first_run_id <> r.run_id),
    coverage_gaps = (SELECT count(*) FROM coverage_gaps g
                     WHERE g.run_id = r.run_id AND g.source_id = r.source_id),
    errors_by_kind = (SELECT to_json(map_from_entries(list((kind, n) ORDER BY kind)))
                      FROM (SELECT kind, count(*) AS n FROM run_errors e
                            WHERE e.run_id = r.run_id AND e.source_id = r.source_id
                            GROUP BY kind)),
    held_back = (SELECT count(*) FROM url_backoff b JOIN crawl_runs cr ON cr.run_id = r.run_id
                 WHERE b.source_id = r.source_id AND b.last_failed_at < cr.started_at
                   AND b.next_try_at > cr.started_at)
WHERE r.run_id = $run_id;
