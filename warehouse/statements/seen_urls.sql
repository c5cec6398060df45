-- Article URLs the crawl need not fetch again: stored, or answered for good (not 5xx/429/408).
SELECT url FROM articles
UNION
SELECT url FROM captures
WHERE kind IN ('article', 'revisit') AND http_status < 500 AND http_status NOT IN (408, 429);
