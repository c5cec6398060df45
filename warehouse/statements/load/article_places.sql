-- Countries and places of one run's articles ($files); an article already placed keeps its row.
INSERT OR IGNORE INTO article_places
SELECT article_id, countries, places, $run_id
FROM read_json($files, format = 'newline_delimited', columns = {
    article_id: 'VARCHAR', countries: 'VARCHAR[]', places: 'VARCHAR[]'
})
WHERE article_id IN (SELECT article_id FROM articles);
