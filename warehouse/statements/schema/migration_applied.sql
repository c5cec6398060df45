-- A migration was applied (in the transaction that applied it).
INSERT INTO schema_migrations VALUES ($version, $name, now());
