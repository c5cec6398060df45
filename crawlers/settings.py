"""Scrapy settings of the steppewatch crawler (the polite defaults for the real web).

Per-run values (output folder, WARC path, replay address, user agent) are set by
crawlers.run_crawl on top of these.
"""

from scrapy.settings import default_settings as scrapy_defaults

BOT_NAME = "steppewatch"
SPIDER_MODULES = ["crawlers.spiders"]

ROBOTSTXT_OBEY = True
TELNETCONSOLE_ENABLED = False
COOKIES_ENABLED = False

# Politeness: few parallel requests per host, a delay AutoThrottle adapts to the server.
CONCURRENT_REQUESTS = 16
# Items are small JSON lines; a few parallel item workers cost less CPU than the default 100.
CONCURRENT_ITEMS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# 429 and 503 wait for Retry-After (up to RETRY_AFTER_MAX seconds), other retries back off
# RETRY_BACKOFF_BASE * 2**attempt seconds (crawlers.middlewares.PoliteRetryMiddleware).
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 2.0
RETRY_AFTER_MAX = 120.0
CRAWL_DELAY_MAX = 30.0  # robots.txt Crawl-delay is honoured up to this many seconds
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
DEPTH_LIMIT = 4

DOWNLOAD_HANDLERS = {
    "http": "crawlers.replay_routing.ReplayRoutingDownloadHandler",
    "https": "crawlers.replay_routing.ReplayRoutingDownloadHandler",
}
DOWNLOADER_MIDDLEWARES = {
    # Above RedirectMiddleware (600) and HttpCompressionMiddleware (590): archive raw.
    "crawlers.middlewares.WarcArchiveMiddleware": 650,
    # Between the archive and RedirectMiddleware: a loop is recorded as such.
    "crawlers.middlewares.RedirectLoopMiddleware": 610,
    # Between the archive and RedirectMiddleware: a redirect off the source's hosts is a move.
    "crawlers.moves.MovedHostMiddleware": 620,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.PoliteRetryMiddleware": 550,
}
EXTENSIONS = {"crawlers.middlewares.CrawlDelayExtension": 900}
# Scrapy's own extensions without RemoteControl (no listening port per crawl). Left out of
# the base, not set to None in EXTENSIONS: Scrapy imports every extension it is given, even
# a disabled one, and RemoteControl's import (aiohttp) is a fifth of a crawl process's CPU
# on a small source.
EXTENSIONS_BASE = {path: order for path, order in scrapy_defaults.EXTENSIONS_BASE.items()
                   if path != "scrapy.extensions.remote_control.RemoteControl"}
ITEM_PIPELINES = {"crawlers.pipelines.JsonLinesPipeline": 300}

# Loopback replay: the same code without waiting between requests (Crawl-delay and
# Retry-After are still honoured). AutoThrottle starts at no delay and follows the loopback's
# latency (a few ms): from 0.05 s, a small source's pages came ~60 ms apart.
REPLAY_OVERRIDES = {
    "DOWNLOAD_DELAY": 0.0,
    "AUTOTHROTTLE_START_DELAY": 0.0,
    "AUTOTHROTTLE_MAX_DELAY": 1.0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
    "RETRY_BACKOFF_BASE": 0.2,
}
