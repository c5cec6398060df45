-- Each update of the search index: when it finished, what it added and removed, and whether
-- it compared every article with what the index holds (a night without re-tagging or
-- re-extraction only looks for new and removed articles: warehouse/search.py).
CREATE TABLE IF NOT EXISTS search_refreshes (
    finished_at  TIMESTAMPTZ NOT NULL,
    added        INTEGER NOT NULL,
    removed      INTEGER NOT NULL,
    checked_all  BOOLEAN NOT NULL
);

COMMENT ON TABLE search_refreshes IS 'Updates of the search index (DATA/search/): when, how many articles added and removed, and whether every article was compared with the index.';
