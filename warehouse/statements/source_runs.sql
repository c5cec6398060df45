-- Per-source figures of one run.
INSERT OR REPLACE INTO source_runs
VALUES ($run_id, $source_id, $status, $message, $pages_fetched, $article_pages, $skipped_seen,
        $articles_new, $errors, $bytes, $seconds);
