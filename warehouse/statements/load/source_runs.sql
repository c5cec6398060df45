-- Per-source figures of one run (the crawl's own; load/source_run_figures.sql adds the rest).
INSERT OR REPLACE INTO source_runs (run_id, source_id, status, message, pages_fetched,
                                    article_pages, skipped_seen, articles_new, errors, bytes,
                                    seconds)
VALUES ($run_id, $source_id, $status, $message, $pages_fetched, $article_pages, $skipped_seen,
        $articles_new, $errors, $bytes, $seconds);
