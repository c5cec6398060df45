-- One change found by a run's check ($change_id: md5 of article, kind and run, so a run
-- loaded again adds nothing).
INSERT OR IGNORE INTO story_changes VALUES (
    $change_id, $article_id, $kind, $run_id, $detected_at, $previous_sha1, $new_sha1,
    $previous_title, $new_title, $reason, $evidence::JSON);
