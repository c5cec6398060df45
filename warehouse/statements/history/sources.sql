-- Every outlet with its latest run's health, its coverage gaps by reason, and stale flags.
WITH latest AS (
    SELECT * FROM source_health WHERE is_latest
), gaps AS (
    SELECT g.source_id, map(list(reason ORDER BY n DESC), list(n ORDER BY n DESC)) AS gaps
    FROM (SELECT source_id, reason, count(*) AS n FROM coverage_gaps
          WHERE run_id IN (SELECT run_id FROM latest) GROUP BY ALL) g
    JOIN latest l ON l.source_id = g.source_id
    GROUP BY g.source_id
)
SELECT s.source_id, s.name AS outlet, s.countries, s.languages, s.base_url,
       l.run_id, l.started_at, l.status, l.message, l.pages_fetched, l.article_pages,
       l.articles_new, l.errors, l.errors_by_kind::VARCHAR AS errors_by_kind,
       l.coverage_gaps, l.held_back, l.last_ok_at, l.failed_in_a_row, l.empty_in_a_row,
       coalesce(g.gaps, MAP {}::MAP(VARCHAR, BIGINT)) AS gaps,
       (SELECT count(*) FROM articles a WHERE a.source_id = s.source_id) AS articles
FROM sources s
LEFT JOIN latest l USING (source_id)
LEFT JOIN gaps g USING (source_id)
ORDER BY s.name;
