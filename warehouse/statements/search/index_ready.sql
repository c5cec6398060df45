-- Whether the search index is built: find_stories exists once search/macro.sql has run.
SELECT count(*) > 0 FROM duckdb_functions() WHERE function_name = 'find_stories';
