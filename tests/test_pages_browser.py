"""Every page type in headless Chromium: it renders, its local links resolve, the console stays quiet, and
hostile text in the data stays text."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from playwright.sync_api import Browser

from tests.conftest import MINIMAL
from tests.server import running_server

pytestmark = pytest.mark.browser

HOSTILE = "<script>window.__pwned=1</script><img src=x onerror=window.__pwned=2> \"quoted\" &amp; 'single'"
PAGES = [
    "",
    "sparql",
    "def/cluster",
    "def/cluster/shapes",
    "doc/initiative/",
    "doc/event/",
    "doc/field/",
    "doc/initiative/ini-one",
    "doc/event/week",
    "doc/event/opening",
    "doc/organisation/org-ministry",
    "doc/person/person-a",
    "doc/post/post-a",
    "doc/place/place-town",
    "doc/field/field-x",
    "doc/document/doc-a",
    "doc/observation/obs-events",
    "doc/scheme/fields",
    "search?q=Test",
    "linking",
    "releases",
    "dataset",
]


def _poison(data: Path) -> None:
    """Put hostile text into labels of every table the pages show."""
    for name, old in [
        ("initiatives.csv", "Testcluster"),
        ("events.csv", "Testwoche"),
        ("organisations.csv", "Testministerium"),
        ("places.csv", "Teststadt"),
        ("fields.csv", "Testfeld X"),
        ("documents.csv", "Synthetische Testquelle A"),
        ("observations.csv", "127 Veranstaltungen"),
    ]:
        path = data / name
        quoted = '"' + f"{old} {HOSTILE}".replace('"', '""') + '"'
        path.write_text(path.read_text(encoding="utf-8").replace(old, quoted, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("pages")
    shutil.copytree(MINIMAL, root / "data")
    _poison(root / "data")
    with running_server(root / "releases", root / "data") as url:
        yield url


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("language", ["de", "en"])
def test_page_renders_quietly_and_keeps_hostile_text_inert(
    site: str, browser: Browser, path: str, language: str
) -> None:
    context = browser.new_context(locale=language)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    response = page.goto(site + path)
    assert response is not None and response.status == 200
    page.wait_for_load_state("load")
    assert page.evaluate("window.__pwned") is None, "hostile markup ran"
    assert page.locator("h1").count() == 1
    assert page.locator("html").get_attribute("lang") in ("de", "en")
    assert page.evaluate("document.querySelectorAll('script:not([src]):not([type])').length") == 0
    assert problems == []
    if path.startswith("doc/") and not path.endswith("/"):
        assert HOSTILE.split(">")[0] + ">" in page.inner_text("body") or "<script>" in page.inner_text("body")
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_local_links_resolve(site: str, browser: Browser, path: str) -> None:
    page = browser.new_page()
    page.goto(site + path)
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    page.close()
    local = sorted({h.split("#")[0] for h in hrefs if urlsplit(h).netloc == urlsplit(site).netloc})
    assert local, "a page links somewhere"
    with requests.Session() as session:
        for href in local:
            status = session.get(href, timeout=30, allow_redirects=True).status_code
            assert status == 200, f"{href} from {path} answered {status}"


def test_schema_org_json_ld_is_embedded(site: str, browser: Browser) -> None:
    page = browser.new_page()
    for path, kind in [
        ("", "Dataset"),
        ("doc/event/week", "Event"),
        ("doc/initiative/ini-one", "Organization"),
    ]:
        page.goto(urljoin(site, path))
        data = page.evaluate(
            "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
        )
        assert data["@type"] == kind
        if kind == "Dataset":
            files = {d["contentUrl"].rsplit("/", 1)[-1] for d in data["distribution"]}
            assert files == {"data.ttl", "data.ttl.gz", "data.nt.gz", "data.jsonld", "data.jsonld.gz"}
            assert data["url"].endswith("/dataset")
    page.close()


def test_search_works_in_the_browser(site: str, browser: Browser) -> None:
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.goto(site)
    page.fill("input[name=q]", "testw")
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state()
    assert "/search?q=testw" in page.url
    page.get_by_role("link", name="Testwoche", exact=False).first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/doc/event/week")
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_pages_fit_a_phone_screen(site: str, browser: Browser, path: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(site + path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{path} is {width} px wide on a 375 px screen"
    context.close()


def test_the_reconciliation_preview_fits_openrefines_frame_and_keeps_hostile_text_inert(
    site: str, browser: Browser
) -> None:
    """OpenRefine shows the preview in a frame of the size the manifest names (400 x 120)."""
    context = browser.new_context(viewport={"width": 400, "height": 120})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    response = page.goto(site + "reconcile/preview?id=initiative/ini-one")
    assert response is not None and response.status == 200
    assert page.evaluate("window.__pwned") is None, "hostile markup ran"
    assert "<script>" in page.inner_text("h1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    assert problems == []
    context.close()
