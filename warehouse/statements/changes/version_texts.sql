-- Every stored text of the articles $ids (comma-separated), by version.
SELECT article_id, text_sha1, text
FROM article_versions
WHERE list_contains(string_split($ids, ','), article_id);
