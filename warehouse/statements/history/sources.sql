-- Every outlet with its latest run's health, its coverage gaps by reason, and stale flags;
-- with $source_id set, that one outlet alone (no row for an outlet the warehouse lacks).
-- The gaps are those of the coverage_gaps view (warehouse/views/coverage_gaps.sql), worked
-- out for the latest runs only and with each "either URL" condition split in two equality
-- joins: the view's `IN (l.url, al.article_url)` is a nested-loop join over every stored
-- article (minutes at 100,000 articles), these are hash joins.
WITH latest AS (
    SELECT * FROM source_health
    WHERE is_latest AND ($source_id IS NULL OR source_id = $source_id)
), listed AS (
    SELECT l.run_id, l.source_id, l.url, al.article_url
    FROM listed_links l
    JOIN latest USING (run_id, source_id)
    LEFT JOIN url_aliases al ON al.url = l.url
    WHERE NOT l.seen_before
      AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.url = l.url)
      AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.url = al.article_url)
), errors AS (
    SELECT l.run_id, l.source_id, l.url, e.kind, e.stage
    FROM listed l
    JOIN run_errors e ON e.run_id = l.run_id AND e.source_id = l.source_id AND e.url = l.url
    UNION ALL
    SELECT l.run_id, l.source_id, l.url, e.kind, e.stage
    FROM listed l
    JOIN run_errors e ON e.run_id = l.run_id AND e.source_id = l.source_id
                     AND e.url = l.article_url AND e.url <> l.url
), reasons AS (
    SELECT l.source_id, coalesce(e.kind, 'not_fetched') AS reason
    FROM listed l
    LEFT JOIN errors e USING (run_id, source_id, url)
    WHERE coalesce(e.kind, '') <> 'duplicate'
    QUALIFY row_number() OVER (PARTITION BY l.run_id, l.source_id, l.url ORDER BY e.stage) = 1
), gaps AS (
    SELECT source_id, map(list(reason ORDER BY n DESC), list(n ORDER BY n DESC)) AS gaps
    FROM (SELECT source_id, reason, count(*) AS n FROM reasons GROUP BY ALL)
    GROUP BY source_id
), articles_of AS (
    SELECT source_id, count(*) AS articles FROM articles
    WHERE $source_id IS NULL OR source_id = $source_id
    GROUP BY source_id
)
SELECT s.source_id, s.name AS outlet, s.countries, s.languages, s.base_url,
       l.run_id, l.started_at, l.status, l.message, l.pages_fetched, l.article_pages,
       l.articles_new, l.errors, l.errors_by_kind::VARCHAR AS errors_by_kind,
       l.coverage_gaps, l.held_back, l.last_ok_at, l.failed_in_a_row, l.empty_in_a_row,
       coalesce(g.gaps, MAP {}::MAP(VARCHAR, BIGINT)) AS gaps,
       coalesce(n.articles, 0) AS articles
FROM sources s
LEFT JOIN latest l USING (source_id)
LEFT JOIN gaps g USING (source_id)
LEFT JOIN articles_of n USING (source_id)
WHERE $source_id IS NULL OR s.source_id = $source_id
ORDER BY s.name;
