"""robots.txt keeps crawlers off the SPARQL endpoint; the sitemap lists every page, and every page answers."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
import requests

from publisher import web
from publisher.settings import Settings
from tests.server import minimal_site

BASE = "http://localhost:8080/"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    with minimal_site(tmp_path_factory.mktemp("discovery")) as served:
        yield served


def test_robots_txt(site: tuple[str, Settings]) -> None:
    url, _ = site
    text = requests.get(url + "robots.txt", timeout=30).text
    assert "Disallow: /sparql" in text
    assert f"Sitemap: {BASE}sitemap.xml" in text


def test_the_sitemap_lists_every_thing_and_every_page_answers(site: tuple[str, Settings]) -> None:
    url, _ = site
    answer = requests.get(url + "sitemap.xml", timeout=30)
    assert answer.headers["Content-Type"].startswith("application/xml")
    locations = [loc.text or "" for loc in ET.fromstring(answer.content).findall("s:url/s:loc", NS)]  # noqa: S314
    assert f"{BASE}doc/initiative/ini-one" in locations
    assert {f"{BASE}dataset", f"{BASE}releases", f"{BASE}linking"} <= set(locations)
    assert len([loc for loc in locations if "/doc/" in loc and not loc.endswith("/")]) == 15
    with requests.Session() as session:
        for location in locations:
            assert session.get(url + location[len(BASE) :], timeout=30).status_code == 200, location


def test_a_large_sitemap_becomes_an_index(
    site: tuple[str, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, settings = site
    from publisher.web import discovery

    monkeypatch.setattr(discovery, "PER_SITEMAP", 10)
    client = web.create_app(settings).test_client()
    index = ET.fromstring(client.get("/sitemap.xml").data)  # noqa: S314
    parts = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
    # 10 per part; every table has a list page, so the four tables of dated statements add four entries
    assert parts == [f"{BASE}sitemap.xml?part={n}" for n in (1, 2, 3, 4)]
    second = ET.fromstring(client.get("/sitemap.xml?part=2").data)  # noqa: S314
    assert len(second.findall("s:url", NS)) == 10
    assert client.get("/sitemap.xml?part=9").status_code == 404
