-- Countries and places each article mentions (flows/tagging/places.py, config/places.toml).
-- A table of its own rather than columns on articles: the articles insert stays as it is,
-- and `steppewatch reprocess --tags` can replace an article's places on their own.

CREATE TABLE article_places (
    article_id  VARCHAR PRIMARY KEY,
    countries   VARCHAR[] NOT NULL,        -- KZ KG TJ UZ TM, in order of first mention
    places      VARCHAR[] NOT NULL,        -- English names of config/places.toml
    run_id      VARCHAR NOT NULL           -- the run (or reprocess) that found them
);
