-- The topic ids the stored tags carry (a --topic filter may name one no longer configured).
SELECT DISTINCT topic FROM article_topics ORDER BY topic;
