-- What runs before $run_id know of each article ($ids, comma-separated): the text and
-- headline it last had (its last check that found it, else its first version), its last
-- check that got an answer (not 'failed'), and whether it stands removed (its last removal
-- or restoration was a removal).
WITH ids AS (SELECT unnest(string_split($ids, ',')) AS article_id),
checks AS (
    SELECT k.* FROM article_checks k JOIN ids USING (article_id) WHERE k.run_id <> $run_id
),
last_answer AS (
    SELECT article_id, arg_max(state, checked_at) AS state,
           arg_max(capture_id, checked_at) AS capture_id,
           arg_max(final_capture_id, checked_at) AS final_capture_id
    FROM checks WHERE state <> 'failed' GROUP BY article_id
),
last_present AS (
    SELECT article_id, arg_max(text_sha1, checked_at) AS text_sha1,
           arg_max(title, checked_at) AS title,
           arg_max(coalesce(final_capture_id, capture_id), checked_at) AS capture_id
    FROM checks WHERE state IN ('present', 'not_modified') AND text_sha1 IS NOT NULL
    GROUP BY article_id
),
removal AS (
    SELECT c.article_id, arg_max(c.kind, c.detected_at) AS kind
    FROM story_changes c JOIN ids USING (article_id)
    WHERE c.run_id <> $run_id AND c.kind IN ('removed', 'restored')
    GROUP BY c.article_id
)
SELECT a.article_id, coalesce(p.text_sha1, a.text_sha1) AS text_sha1,
       coalesce(p.title, a.title) AS title, coalesce(p.capture_id, a.capture_id) AS capture_id,
       l.state AS last_state, l.capture_id AS last_capture_id,
       l.final_capture_id AS last_final_capture_id,
       coalesce(r.kind = 'removed', false) AS removed
FROM articles a JOIN ids USING (article_id)
LEFT JOIN last_present p USING (article_id) LEFT JOIN last_answer l USING (article_id)
LEFT JOIN removal r USING (article_id)
ORDER BY a.article_id;
