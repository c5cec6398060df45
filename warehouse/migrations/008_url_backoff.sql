-- Failed URLs tried again less and less often, and the health table saying so.
-- A URL that timed out, answered 5xx/408/429, was refused as too large or lost its
-- connection is fetched again after 1, 2, 4, 8 and 16 days; after 6 failed runs it is
-- given up (`url_backoff.next_try_at` = infinity). source_runs.held_back counts the URLs of
-- a source that a run did not fetch for that reason.

ALTER TABLE source_runs ADD COLUMN held_back INTEGER DEFAULT 0;
