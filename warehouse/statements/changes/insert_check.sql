-- One check of a stored article by a run's revisit; a run loaded again adds nothing.
INSERT OR IGNORE INTO article_checks VALUES (
    $article_id, $run_id, $checked_at, $state, $reason, $http_status, $capture_id,
    $final_capture_id, $text_sha1, $title);
