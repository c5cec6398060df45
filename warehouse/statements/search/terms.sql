-- The words of $query as the index holds them (warehouse/views/search_terms.sql).
SELECT search_terms($query);
