-- An article listed for the first time in a run that did not end up stored, with why.
CREATE OR REPLACE VIEW coverage_gaps AS
SELECT l.run_id, l.source_id, l.url, l.found_on, l.published_at,
       coalesce(e.kind, 'not_fetched')    AS reason,
       coalesce(e.message, 'listed but not fetched in this run (the crawl stopped before it)')
                                          AS message
FROM listed_links l
LEFT JOIN url_aliases al ON al.url = l.url
LEFT JOIN run_errors e
       ON e.run_id = l.run_id AND e.source_id = l.source_id
      AND e.url IN (l.url, al.article_url)
WHERE NOT l.seen_before
  AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.url IN (l.url, al.article_url))
  AND coalesce(e.kind, '') <> 'duplicate'
QUALIFY row_number() OVER (PARTITION BY l.run_id, l.source_id, l.url ORDER BY e.stage) = 1;

COMMENT ON VIEW coverage_gaps IS 'Articles a feed, sitemap or listing page listed for the first time in a run that were not stored, with the reason (the error kind, or not_fetched).';
