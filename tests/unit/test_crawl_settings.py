"""The crawl process's Scrapy settings: Scrapy's own extensions without RemoteControl, whose
module (aiohttp) is never imported, in a fresh interpreter as a crawl process starts; on the
loopback replay no delay to start with, on the real web the polite defaults."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.helpers import ROOT

# In a process of its own (this one may have imported aiohttp for another test), the
# extensions listed as Scrapy's ExtensionManager lists them.
PROBE = """
import json, sys
from scrapy.utils.conf import build_component_list
from crawlers.run_crawl import _parse_args, build_settings
args = _parse_args(["--sources", "s.toml", "--source", "x", "--data", "d", "--out", "o",
                    "--warc", "w.warc.gz", "--replay", "127.0.0.1:1"])
settings = build_settings(args, None)
extensions = [e if isinstance(e, str) else f"{e.__module__}.{e.__qualname__}"
              for e in build_component_list(
                  settings.get_component_priority_dict_with_base("EXTENSIONS"))]
print(json.dumps({"extensions": extensions, "aiohttp": "aiohttp" in sys.modules}))
"""


def test_crawl_settings_keep_scrapys_extensions_but_remote_control_unimported() -> None:
    proc = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True)
    found = json.loads(proc.stdout)
    extensions = found["extensions"]
    assert "crawlers.middlewares.CrawlDelayExtension" in extensions
    for kept in ("CoreStats", "LogCount", "MemoryUsage", "CloseSpider", "LogStats",
                 "AutoThrottle"):
        assert any(e.endswith(f".{kept}") for e in extensions), kept
    assert not any("remote_control" in e for e in extensions)
    assert found["aiohttp"] is False


def test_replay_crawls_start_without_delay_and_the_real_web_politely() -> None:
    from crawlers.run_crawl import _parse_args, build_settings

    common = ["--sources", "s.toml", "--source", "x", "--data", "d", "--out", "o",
              "--warc", "w.warc.gz"]
    replay = build_settings(_parse_args([*common, "--replay", "127.0.0.1:1"]), None)
    # On loopback, AutoThrottle starts at no delay and follows the latency.
    assert (replay.getfloat("DOWNLOAD_DELAY"), replay.getfloat("AUTOTHROTTLE_START_DELAY")) == (
        0.0, 0.0)
    assert replay.getbool("AUTOTHROTTLE_ENABLED")
    real = build_settings(_parse_args(common), None)
    assert (real.getfloat("DOWNLOAD_DELAY"), real.getfloat("AUTOTHROTTLE_START_DELAY")) == (
        1.0, 2.0)
