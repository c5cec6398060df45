-- What a search shows of the articles $ids (found by the index, best first): only those
-- still stored, narrowed by nothing (the index filtered them already).
SELECT s.article_id, s.day, s.outlet, s.countries, s.language, s.topics, s.title, s.url,
       s.text
FROM stories s
WHERE s.article_id IN (SELECT unnest($ids::VARCHAR[]));
