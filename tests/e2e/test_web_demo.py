"""After `steppewatch demo`, `steppewatch --data DIR web` serves every page of the workspace
on the demo's data (the full demo shared by the end-to-end tests)."""

from __future__ import annotations

import re
import shutil

import pytest
from starlette.testclient import TestClient

from flows.settings import load_settings
from flows.web.app import create_app
from tests.helpers import CONFIG


@pytest.fixture(scope="module")
def demo_client(full_demo: dict, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    data = tmp_path_factory.mktemp("web-demo") / "demo"
    shutil.copytree(full_demo["data"], data)  # a correction writes to the warehouse
    return TestClient(create_app(load_settings(CONFIG, data)))


def test_demo_prints_the_command_that_opens_the_workspace(full_demo: dict) -> None:
    assert re.search(r"--data \S+ web +# then http://127\.0\.0\.1:8750/", full_demo["second"])


def _first(pattern: str, page: str) -> str:
    found = re.search(pattern, page)
    assert found, pattern
    return found.group(1)


def test_every_page_of_the_workspace_answers_on_the_demo(demo_client: TestClient) -> None:
    stories = demo_client.get("/stories")
    assert stories.status_code == 200
    total = int(_first(r'id="total">Stories: (\d+)<', stories.text))
    assert total > 50
    article = _first(r'<li class="story" data-article="([^"]+)"', stories.text)
    story = demo_client.get(f"/stories/{article}").text
    capture = _first(r'id="archived" href="/archive/([^"]+)"', story)
    source = _first(r'href="/sources/([^"]+)"', story)
    runs = demo_client.get("/runs").text
    run = _first(r'href="/runs/([^"]+)"', runs)
    report = _first(r'href="/reports/([^"]+\.html)"', runs)
    pages = ["/stories?topic=torture&country=KG", "/stories?q=милиция", "/stories?all=1&page=2",
             f"/archive/{capture}", f"/archive/{capture}/page",
             f"/archive/{capture}/record.warc.gz", "/sources", f"/sources/{source}",
             f"/runs/{run}", "/reports", f"/reports/{report}", "/corrections",
             "/corrections.jsonl", "/stories.csv?topic=police", "/stories.parquet",
             "/stories.json?country=TJ"]
    for path in pages:
        assert demo_client.get(path).status_code == 200, path
    searched = demo_client.get("/stories?q=милиция").text
    assert "The search could not be run" not in searched
    assert int(_first(r'id="total">Stories: (\d+)<', searched)) > 0
