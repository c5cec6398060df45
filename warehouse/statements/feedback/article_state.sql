-- Whether the article exists, and the version of its tag of $topic (NULL if untagged).
SELECT count(*) > 0 AS exists,
       (SELECT topics_version FROM article_topics
        WHERE article_id = $article_id AND topic = $topic) AS topics_version
FROM articles
WHERE article_id = $article_id;
