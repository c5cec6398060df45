-- One outlet from sources.toml; its row follows the config.
INSERT OR REPLACE INTO sources
VALUES ($source_id, $name, $family, $countries, $languages, $base_url, now());
