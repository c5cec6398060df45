-- The latest corrections (of one article when $article_id is given), with their story.
SELECT f.feedback_id, f.created_at, f.article_id, a.title, s.name AS outlet, a.url,
       f.topic, f.verdict, f.note, f.was_tagged
FROM tag_feedback f
LEFT JOIN articles a USING (article_id)
LEFT JOIN sources s ON s.source_id = a.source_id
WHERE $article_id IS NULL OR f.article_id = $article_id
ORDER BY f.seq DESC
LIMIT $limit;
