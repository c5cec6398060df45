-- One correction; a key already stored (the same form sent twice) inserts nothing.
INSERT OR IGNORE INTO tag_feedback
    (feedback_id, article_id, topic, verdict, note, was_tagged, topics_version, created_at)
VALUES ($key, $article_id, $topic, $verdict, $note, $topics_version IS NOT NULL,
        $topics_version, current_timestamp);
