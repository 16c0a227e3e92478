"""Security headers on every route family the README serves, HTML and not, errors included, from a real
server: a CSP without inline script on pages (the preview alone may be framed, by OpenRefine), nosniff, a
Referrer-Policy, X-Frame-Options matching frame-ancestors, and CORS still open."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from publisher.build import run_pipeline
from publisher.settings import Settings
from tests.conftest import BASE, MINIMAL
from tests.server import running_server

HTML = "text/html"
# These tests ask for many routes at once; the limits have their own tests (one case below).
NO_RATE_LIMITS = {"CLUSTERLOD_READ_RATE_LIMIT": "", "CLUSTERLOD_QUERY_RATE_LIMIT": ""}
# Small enough that the app, not the development server's own request-line limit, answers 414.
MAX_REQUEST_BYTES = 20_000
ASK = "ASK { ?s ?p ?o }"


@dataclass(frozen=True)
class Site:
    url: str
    release: str


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Two releases, so that a removed URI answers 410 Gone."""
    root: Path = tmp_path_factory.mktemp("headers")
    shutil.copytree(MINIMAL, root / "data")
    settings = Settings(base=BASE, data_dir=root / "data", releases_dir=root / "releases")
    run_pipeline(settings, release=True)
    observations = settings.data_dir / "observations.csv"
    removed = "obs-events,week,events,127,,2017-04-19,127 Veranstaltungen,127 events,doc-a\n"
    assert removed in observations.read_text(encoding="utf-8")
    observations.write_text(observations.read_text(encoding="utf-8").replace(removed, ""), encoding="utf-8")
    release = run_pipeline(settings, release=True).release
    assert release is not None
    with running_server(
        settings.releases_dir, env=NO_RATE_LIMITS | {"CLUSTERLOD_MAX_REQUEST_BYTES": str(MAX_REQUEST_BYTES)}
    ) as url:
        yield Site(url, release.id)


# (method, path, Accept, expected status); a 303 has a short HTML body
PAGES = [
    ("GET", "", HTML, 200),
    ("GET", "id/initiative/ini-one", "text/turtle", 303),
    ("GET", "doc/initiative/ini-one", HTML, 200),
    ("GET", "doc/initiative/", HTML, 200),
    ("GET", "doc/event/?from=2017-01-01", HTML, 200),
    ("GET", "def/cluster", HTML, 200),
    ("GET", "def/cluster/shapes", HTML, 200),
    ("GET", "search?q=Test", HTML, 200),
    ("GET", "dataset", HTML, 200),
    ("GET", "linking", HTML, 200),
    ("GET", "sparql", HTML, 200),
    ("GET", f"sparql?query={ASK}", HTML, 200),
    ("GET", "sparql?query=SELECT", HTML, 400),
    ("GET", "releases", HTML, 200),
    ("GET", "releases/{release}", HTML, 200),
    ("GET", "doc/observation/obs-events", HTML, 410),
    ("GET", "id/observation/obs-events", HTML, 410),
    ("GET", "doc/initiative/no-such-thing", HTML, 404),
    ("GET", "no/such/path", HTML, 404),
    ("POST", "doc/initiative/ini-one", HTML, 405),
]
OTHERS = [
    ("GET", "doc/initiative/ini-one.ttl", "*/*", 200),
    ("GET", "doc/initiative/ini-one", "application/ld+json", 200),
    ("GET", "doc/initiative/?format=ttl", "*/*", 200),
    ("GET", "def/cluster?format=ttl", "*/*", 200),
    ("GET", "def/cluster/shapes?format=ttl", "*/*", 200),
    ("GET", "search?q=Test&format=json", "*/*", 200),
    ("GET", "reconcile", "*/*", 200),
    ("GET", "reconcile?queries={", "*/*", 400),
    ("GET", "calendar/events.ics", "*/*", 200),
    ("GET", "dataset?format=ttl", "*/*", 200),
    ("GET", ".well-known/void", "text/turtle", 200),
    ("GET", f"sparql?query={ASK}", "application/sparql-results+json", 200),
    ("POST", "sparql", "application/sparql-results+json", 200),
    ("GET", "sparql?query=SELECT", "application/sparql-results+json", 400),
    ("GET", "robots.txt", "*/*", 200),
    ("GET", "health", "*/*", 200),
    ("GET", "sitemap.xml", "*/*", 200),
    ("GET", "dumps/latest/data.ttl", "*/*", 200),
    ("GET", "dumps/{release}/data.ttl.gz", "*/*", 200),
    ("GET", "dumps/{release}/data.ttl.sha256", "*/*", 200),
    ("GET", "dumps/latest/nothing.ttl", "*/*", 404),
    ("GET", "releases.ttl", "*/*", 200),
    ("GET", "releases/{release}.jsonld", "*/*", 200),
    ("GET", "id/observation/obs-events", "application/json", 410),
    ("GET", "doc/observation/obs-events", "text/turtle", 410),
    ("GET", "doc/initiative/ini-one", "image/png", 406),
    ("GET", "no/such/path", "text/plain", 404),
    ("PUT", "sparql", "*/*", 405),
    ("GET", "static/style.css", "*/*", 200),
    ("GET", "static/sparql.js", "*/*", 200),
    ("GET", "static/preview.css", "*/*", 200),
]
PREVIEWS = [
    ("GET", "reconcile/preview?id=initiative/ini-one", HTML, 200),
    ("GET", "reconcile/preview?id=initiative/nothing", HTML, 404),
]


def _fetch(site: Site, method: str, path: str, accept: str) -> requests.Response:
    data = {"query": ASK} if method == "POST" and path == "sparql" else None
    return requests.request(
        method,
        site.url + path.replace("{release}", site.release),
        headers={"Accept": accept},
        data=data,
        allow_redirects=False,
        timeout=60,
    )


def _policy(response: requests.Response) -> dict[str, list[str]]:
    """The Content-Security-Policy as directive -> sources."""
    directives = [part.split() for part in response.headers["Content-Security-Policy"].split(";")]
    return {words[0]: words[1:] for words in directives if words}


def _common(response: requests.Response) -> None:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Access-Control-Allow-Origin"] == "*", "the CORS hook still runs"
    policy = _policy(response)
    assert "'unsafe-inline'" not in policy.get("script-src", policy["default-src"])
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(("method", "path", "accept", "status"), PAGES)
def test_pages_forbid_inline_script_and_framing(
    site: Site, method: str, path: str, accept: str, status: int
) -> None:
    response = _fetch(site, method, path, accept)
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith(HTML)
    _common(response)
    policy = _policy(response)
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(("method", "path", "accept", "status"), OTHERS)
def test_other_answers_may_load_nothing_and_are_never_framed(
    site: Site, method: str, path: str, accept: str, status: int
) -> None:
    response = _fetch(site, method, path, accept)
    assert response.status_code == status
    assert not response.headers.get("Content-Type", "").startswith(HTML)
    _common(response)
    assert _policy(response) == {
        "default-src": ["'none'"],
        "img-src": ["data:"],  # for the browser's own XML viewer
        "style-src": ["'unsafe-inline'"],
        "frame-ancestors": ["'none'"],
    }
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(("method", "path", "accept", "status"), PREVIEWS)
def test_the_reconciliation_preview_may_be_framed_by_any_site(
    site: Site, method: str, path: str, accept: str, status: int
) -> None:
    """OpenRefine shows the preview in an iframe from its own origin (usually http://127.0.0.1:3333)."""
    response = _fetch(site, method, path, accept)
    assert response.status_code == status
    _common(response)
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["*"]
    assert "X-Frame-Options" not in response.headers, "X-Frame-Options cannot say 'anyone'"


def test_a_rate_limited_answer_gets_the_headers(tmp_path: Path) -> None:
    limited = {"CLUSTERLOD_READ_RATE_LIMIT": "1/minute", "CLUSTERLOD_QUERY_RATE_LIMIT": "1/minute"}
    with running_server(tmp_path / "releases", MINIMAL, env=limited) as url:
        for path, accept in [("", HTML), ("doc/initiative/ini-one", HTML), (f"sparql?query={ASK}", "*/*")]:
            responses = [requests.get(url + path, headers={"Accept": accept}, timeout=30) for _ in range(3)]
            refused = responses[-1]
            assert refused.status_code == 429
            _common(refused)
            assert _policy(refused)["frame-ancestors"] == ["'none'"]
            assert refused.headers["X-Frame-Options"] == "DENY"


def test_oversized_requests_get_the_headers(site: Site) -> None:
    """413 and 414 are answered before any view runs."""
    big = "#" + "x" * MAX_REQUEST_BYTES
    too_long_body = requests.post(site.url + "sparql", data={"query": ASK + big}, timeout=60)
    too_long_url = requests.get(site.url + "sparql", params={"query": ASK + big}, timeout=60)
    assert (too_long_body.status_code, too_long_url.status_code) == (413, 414)
    for response in (too_long_body, too_long_url):
        _common(response)
        assert _policy(response)["frame-ancestors"] == ["'none'"]


def test_a_preflight_keeps_cors_and_gets_the_headers(site: Site) -> None:
    response = requests.options(
        site.url + "sparql",
        headers={"Origin": "https://portal.example", "Access-Control-Request-Method": "POST"},
        timeout=30,
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/ld\+json\")[^>]*>", re.IGNORECASE
)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style[\s>]|<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)


@pytest.mark.parametrize(("method", "path", "accept", "status"), PAGES + PREVIEWS)
def test_pages_carry_no_inline_script_handler_or_style(
    site: Site, method: str, path: str, accept: str, status: int
) -> None:
    """What the policy would block must not be in the pages: it would break them silently."""
    page = _fetch(site, method, path, accept).text
    assert INLINE_SCRIPT.findall(page) == []
    assert EVENT_HANDLER.findall(page) == []
    assert INLINE_STYLE.findall(page) == []
