-- The views of the main schema (and its tables when $include_tables), with their comments
-- and their columns' comments; the analysts' views first, then tables, columns in order.
WITH relations AS (
    SELECT view_name AS name, 'view' AS kind, comment, 0 AS rank
    FROM duckdb_views() WHERE NOT internal AND schema_name = 'main' AND database_name = current_database()
    UNION ALL
    SELECT table_name, 'table', comment, 1
    FROM duckdb_tables() WHERE $include_tables AND schema_name = 'main' AND database_name = current_database()
      AND table_name NOT IN ('schema_migrations')
)
SELECT r.name, r.kind, r.comment, c.column_name, c.data_type, c.comment
FROM relations r
JOIN duckdb_columns() c
  ON c.table_name = r.name AND c.schema_name = 'main' AND c.database_name = current_database()
ORDER BY r.rank, coalesce(array_position(['stories', 'topic_daily', 'source_health'], r.name), 99),
         r.name, c.column_index;
