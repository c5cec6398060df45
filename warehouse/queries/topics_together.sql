-- Stories matching two topics at once, first seen in the last days, newest first.
-- param first: a topic id (default police)
-- param second: another topic id (default torture)
-- param days: how many days back from now (default 7)
SELECT day, outlet, countries, title, matched_terms, url
FROM stories
WHERE list_has_all(topics, [$first, $second])
  AND first_seen_at >= now() - to_days($days::INTEGER)
ORDER BY day DESC, outlet;
