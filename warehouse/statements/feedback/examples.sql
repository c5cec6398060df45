-- Each article with corrections: its text, its stored topics, the latest verdict on each
-- corrected topic (by order of arrival) and the notes in the order they were written.
WITH latest AS (
    SELECT article_id, topic, arg_max(verdict, seq) AS verdict
    FROM tag_feedback
    GROUP BY article_id, topic
), notes AS (
    SELECT article_id, list(note ORDER BY seq) FILTER (WHERE note IS NOT NULL) AS notes
    FROM tag_feedback
    GROUP BY article_id
)
SELECT a.article_id, a.language, a.title, a.text, a.url,
       coalesce((SELECT list(t.topic ORDER BY t.topic) FROM article_topics t
                 WHERE t.article_id = a.article_id), []) AS stored,
       (SELECT list({'topic': l.topic, 'verdict': l.verdict} ORDER BY l.topic) FROM latest l
        WHERE l.article_id = a.article_id) AS verdicts,
       coalesce(n.notes, []) AS notes
FROM notes n
JOIN articles a USING (article_id)
ORDER BY a.article_id;
