-- Synthetic corpus for bench/warehouse_bench.py: `articles` articles numbered from `first_id`,
-- `words` words of text each, deterministic (hash of the article number). The parameters
-- arrive as variables (SET VARIABLE), as a script of many statements cannot bind them.
INSERT OR IGNORE INTO sources (source_id, name, family, countries, languages, base_url, updated_at)
SELECT 'outlet-' || i, 'Outlet ' || i, 'wordpress', [['KZ', 'KG', 'TJ', 'UZ', 'TM'][i % 5 + 1]],
       [['ru', 'en', 'kk', 'ky', 'uz', 'tg'][i % 6 + 1]], 'https://outlet-' || i || '.example/',
       getvariable('now')
FROM range(20) t(i);

CREATE OR REPLACE TEMP MACRO bench_topic_words() AS
    ['пытки', 'милиции', 'задержали', 'митинг', 'протест', 'суд', 'сотрудники', 'полиция',
     'torture', 'police', 'protesters', 'detained', 'court', 'азаптау', 'кыйноо', 'qiynoq',
     'шиканҷа', 'намойиш', 'наразылық', 'norozilik'];
CREATE OR REPLACE TEMP MACRO bench_common_words() AS
    ['в', 'на', 'и', 'по', 'что', 'году', 'области', 'министр', 'сообщил', 'город',
     'жители', 'the', 'of', 'and', 'said', 'government', 'және', 'жана', 'bilan', 'ва',
     'дар', 'бул', 'жылы', 'haqida', 'ки'];
CREATE OR REPLACE TEMP MACRO bench_syllables(latin) AS CASE WHEN latin THEN
    ['ka', 'ro', 'mi', 'la', 'tu', 'ni', 'she', 'da', 'za', 'po', 'st', 'ov', 'en', 'ar',
     'ko', 'li', 'va', 'te', 're', 'na', 'qa', 'oʻ', 'gʻ', 'ba', 'sa', 'di', 'go', 'em',
     'yo', 'ch']
    ELSE
    ['ка', 'ро', 'ми', 'ла', 'ту', 'ны', 'ше', 'да', 'за', 'по', 'ст', 'ов', 'ен', 'ар',
     'ко', 'ли', 'ва', 'те', 'ре', 'на', 'қа', 'ұл', 'өз', 'ға', 'ің', 'ба', 'са', 'ди',
     'го', 'ем'] END;

-- Word i of article n: a common word (35%), a topic word (in one article of eight), else an
-- invented three-syllable word, rarer syllables last (Zipf-like), Latin for en/uz outlets.
CREATE OR REPLACE TEMP MACRO bench_pick(n, h, x) AS CASE
    WHEN x < 0.35 THEN bench_common_words()[1 + h % 25]
    WHEN x < 0.37 AND n % 8 = 0 THEN bench_topic_words()[1 + h % 20]
    ELSE bench_syllables(n % 6 IN (1, 4))[1 + h % 30]
         || bench_syllables(n % 6 IN (1, 4))[1 + (h // 30) % 30]
         || bench_syllables(n % 6 IN (1, 4))[1 + floor(30 * pow(x, 3))::INT % 30]
END;
CREATE OR REPLACE TEMP MACRO bench_word(n, i) AS
    bench_pick(n, (hash(n * 7919 + i) % 1000000007)::BIGINT,
               (hash(n * 1009 + i) % 1000000) / 1000000.0);

CREATE OR REPLACE TEMP TABLE bench_articles AS
SELECT n, 'outlet-' || (n % 20) AS source_id,
       md5(n::VARCHAR)[1:20] AS article_id,
       'https://outlet-' || (n % 20) || '.example/news/' || n AS url,
       getvariable('now') - to_days((n % 730)::INTEGER) - to_minutes((n % 1440)::INTEGER) AS published_at
FROM range(getvariable('first_id'), getvariable('first_id') + getvariable('articles')) t(n);

INSERT OR IGNORE INTO captures (capture_id, run_id, source_id, url, kind, http_status,
    content_type, content_sha1, bytes, warc_file, warc_offset, warc_length, fetched_at)
SELECT 'c' || article_id, 'bench', source_id, url, 'article', 200, 'text/html', article_id,
       4000, 'warc/bench/' || source_id || '.warc.gz', n * 4000, 4000, getvariable('now')
FROM bench_articles;

INSERT OR IGNORE INTO articles (article_id, url, canonical_url, source_id, capture_id, title,
    text, author, published_at, language, description, encoding, text_sha1, first_run_id,
    extracted_at)
SELECT article_id, url, NULL, source_id, 'c' || article_id,
       array_to_string(list_transform(range(8), i -> bench_word(n, 1000 + i)), ' '),
       array_to_string(list_transform(range(getvariable('words')), i -> bench_word(n, i)), ' '),
       NULL, published_at, ['ru', 'en', 'kk', 'ky', 'uz', 'tg'][n % 6 + 1], NULL, 'utf-8',
       article_id, 'bench', getvariable('now')
FROM bench_articles;

INSERT OR IGNORE INTO article_topics (article_id, topic, score, matches, topics_version,
    run_id, tagged_at)
SELECT article_id, ['police', 'protest', 'torture'][n % 3 + 1], 1.0, '[]', 'bench', 'bench', getvariable('now')
FROM bench_articles WHERE hash(n) % 100 < 15;

INSERT OR IGNORE INTO article_places (article_id, countries, places, run_id)
SELECT article_id, [['KZ', 'KG', 'TJ', 'UZ', 'TM'][n % 5 + 1]], ['Place ' || (n % 50)], 'bench'
FROM bench_articles WHERE n % 3 = 0;
