"""Bad input answers one clear 4xx at its cause, never a 500; URLs we hand out never come from ``Host``.

Regressions from issue 12 (items 8 and 9), against the real server with the minimal data.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from tests.conftest import BASE, MINIMAL
from tests.server import running_server

SPOOFED = "evil.example"
NO_RATE_LIMITS = {"CLUSTERLOD_READ_RATE_LIMIT": "", "CLUSTERLOD_QUERY_RATE_LIMIT": ""}


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("input-errors")
    shutil.copytree(MINIMAL, root / "data")
    with running_server(root / "releases", root / "data", NO_RATE_LIMITS) as served:
        yield served


def get(url: str, **headers: str) -> requests.Response:
    """Ask for JSON first (the error shape; documents and lists answer it with JSON-LD) and take HTML too."""
    return requests.get(url, headers={"Accept": "application/json, text/html;q=0.5", **headers}, timeout=30)


# Where a page, a sitemap part or a cursor is read, and the parameter's name.
POSITIONS = [
    ("doc/initiative/ini-one?page=", "page"),
    ("doc/initiative/ini-one.ttl?page=", "page"),
    ("doc/initiative/?page=", "page"),
    ("sitemap.xml?part=", "part"),
    ("reconcile/suggest/entity?prefix=t&cursor=", "cursor"),
    ("reconcile/suggest/type?prefix=t&cursor=", "cursor"),
]
# Where a limit is read: asking for more than the most gives the most.
LIMITS = [
    ("search?q=test&limit=", "limit"),
    ("reconcile/suggest/entity?prefix=t&limit=", "limit"),
    ("reconcile/suggest/property?prefix=t&limit=", "limit"),
    ("reconcile/properties?limit=", "limit"),
]
# Not whole numbers: a superscript digit (isdigit() but not int()), digits int() reads but we do not, a sign,
# a fraction, spaces, an exponent.
NOT_NUMBERS = ["²", "١٢", "-1", "+1", "1.5", " 1", "1 ", "1e3", "0x10"]
# Past any OFFSET a store can hold, and past the digits Python's int() reads.
TOO_LARGE = ["18446744073709551615", "9" * 5000]


def assert_400_naming(response: requests.Response, name: str) -> None:
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["status"] == 400
    assert error["message"].startswith(f"{name}=")
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(("path", "name"), POSITIONS + LIMITS)
@pytest.mark.parametrize("raw", NOT_NUMBERS)
def test_a_parameter_that_is_no_whole_number_is_400(url: str, path: str, name: str, raw: str) -> None:
    assert_400_naming(get(f"{url}{path}{quote(raw)}"), name)


@pytest.mark.parametrize(("path", "name"), POSITIONS)
@pytest.mark.parametrize("raw", TOO_LARGE)
def test_a_page_or_cursor_too_large_is_400(url: str, path: str, name: str, raw: str) -> None:
    assert_400_naming(get(f"{url}{path}{raw}"), name)


@pytest.mark.parametrize(("path", "name"), LIMITS)
@pytest.mark.parametrize("raw", TOO_LARGE)
def test_a_limit_too_large_is_the_most(url: str, path: str, name: str, raw: str) -> None:
    assert get(f"{url}{path}{raw}").status_code == 200


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("doc/initiative/ini-one?page=999999", 200),  # no inbound links on that page: the document alone
        ("doc/initiative/?page=999999", 200),  # an empty page of the list, as before
        ("sitemap.xml?part=999999", 404),
        ("reconcile/suggest/entity?prefix=t&cursor=999999", 200),
    ],
)
def test_a_page_past_the_end_is_not_an_error_of_the_server(url: str, path: str, status: int) -> None:
    assert get(f"{url}{path}").status_code == status


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1" + "0" * 5000])
@pytest.mark.parametrize("form", ["body", "queries="])
def test_a_reconcile_limit_that_is_no_whole_number_is_400(url: str, number: str, form: str) -> None:
    batch = '{"q0": {"query": "Test", "limit": NUMBER}}'.replace("NUMBER", number)
    if form == "body":
        response = requests.post(
            f"{url}reconcile",
            data=batch,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            timeout=30,
        )
    else:
        response = requests.post(
            f"{url}reconcile", data={"queries": batch}, headers={"Accept": "application/json"}, timeout=30
        )
    assert response.status_code == 400, response.text
    assert "limit" in response.json()["error"]["message"] or "number" in response.json()["error"]["message"]


@pytest.mark.parametrize("form", ["body", "queries=", "extend="])
def test_json_nested_too_deeply_is_400(url: str, form: str) -> None:
    deep = "[" * 20_000 + "]" * 20_000  # Python reads about 1,000 levels; form-encoded within 256 KiB
    if form == "body":
        response = requests.post(
            f"{url}reconcile", data=deep, headers={"Content-Type": "application/json"}, timeout=30
        )
    else:
        response = requests.post(f"{url}reconcile", data={form.rstrip("="): deep}, timeout=30)
    assert response.status_code == 400, response.text
    assert "nested" in response.text


def test_a_redirect_to_the_trailing_slash_ignores_host(url: str) -> None:
    response = requests.get(
        f"{url}doc/initiative?page=1", headers={"Host": SPOOFED}, timeout=30, allow_redirects=False
    )
    assert response.status_code == 308
    assert response.headers["Location"] == "/doc/initiative/?page=1"


def test_a_redirect_under_a_base_with_a_path_keeps_the_path(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "data")
    env = {"CLUSTERLOD_BASE": "http://localhost:8080/lod/"} | NO_RATE_LIMITS
    with running_server(tmp_path / "releases", tmp_path / "data", env) as served:
        response = requests.get(
            f"{served}lod/doc/event", headers={"Host": SPOOFED}, timeout=30, allow_redirects=False
        )
    assert response.status_code == 308
    assert response.headers["Location"] == "/lod/doc/event/"


def test_a_redirect_never_leaves_the_site(url: str) -> None:
    """Slashes merged by the router give a Location on this site, never ``//host/...`` (another host)."""
    response = requests.get(f"{url}/doc//initiative", timeout=30, allow_redirects=False)
    assert response.status_code == 308
    assert response.headers["Location"] == "/doc/initiative/"


def test_search_json_names_documents_under_the_base(url: str) -> None:
    response = get(f"{url}search?q=Testw", Host=SPOOFED)
    assert response.status_code == 200
    assert SPOOFED not in response.text
    assert response.json()["results"][0]["document"] == f"{BASE}doc/event/week"


def test_the_reconcile_manifest_names_the_base(url: str) -> None:
    response = get(f"{url}reconcile", Host=SPOOFED)
    assert response.status_code == 200
    assert SPOOFED not in response.text
    manifest = response.json()
    assert manifest["preview"]["url"] == f"{BASE}reconcile/preview?id={{{{id}}}}"
    assert manifest["suggest"]["entity"]["service_url"] == BASE.rstrip("/")


def test_the_reconcile_preview_links_the_document_under_the_base(url: str) -> None:
    response = requests.get(
        f"{url}reconcile/preview?id=initiative/ini-one", headers={"Host": SPOOFED}, timeout=30
    )
    assert response.status_code == 200
    assert SPOOFED not in response.text
    assert f"{BASE}doc/initiative/ini-one" in response.text


def test_the_calendar_links_documents_under_the_base(url: str) -> None:
    response = requests.get(f"{url}calendar/events.ics", headers={"Host": SPOOFED}, timeout=30)
    assert response.status_code == 200
    assert SPOOFED not in response.text
    assert f"{BASE}doc/event/week" in response.text.replace("\r\n ", "")


def test_head_reconcile_answers_as_get_without_a_body(url: str) -> None:
    got = requests.get(f"{url}reconcile", timeout=30)
    head = requests.head(f"{url}reconcile", timeout=30)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["Content-Type"] == got.headers["Content-Type"]
    assert head.headers["ETag"] == got.headers["ETag"]


def test_a_reconcile_body_with_a_bad_limit_names_the_query(url: str) -> None:
    response = requests.post(
        f"{url}reconcile",
        json={"q0": {"query": "Test", "limit": 1e308}, "q1": {"query": "Test", "limit": 2.5}},
        headers={"Accept": "application/json"},
        timeout=30,
    )
    assert response.status_code == 400
    assert json.loads(response.text)["error"]["message"].startswith("q1: limit")


@pytest.mark.parametrize("pid", [[], {}, 1.5, None])
def test_an_extension_property_that_is_no_string_is_400(url: str, pid: object) -> None:
    extension = {"ids": ["initiative/ini-one"], "properties": [{"id": pid}]}
    response = requests.post(
        f"{url}reconcile",
        data={"extend": json.dumps(extension)},
        headers={"Accept": "application/json"},
        timeout=30,
    )
    assert response.status_code == 400, response.text
    assert "unknown property" in response.json()["error"]["message"]


@pytest.mark.parametrize("region", ["\U0008dc4f", "Test\x0eregion", 'a"b\\c', "😀"])
def test_a_region_outside_the_basic_plane_or_with_control_characters_is_an_empty_list(
    url: str, region: str
) -> None:
    """The filter goes into SPARQL as a string; JSON's surrogate pairs (\\ud8f7\\udc4f) are no SPARQL."""
    response = get(f"{url}doc/initiative/?region={quote(region)}", Accept="text/html")
    assert response.status_code == 200, response.text
    assert "/doc/initiative/ini-one" not in response.text


@pytest.mark.parametrize("date", ["20170420", "2017-W16-4"])
def test_dates_python_reads_in_other_forms_filter_events_as_iso_dates(url: str, date: str) -> None:
    response = get(f"{url}doc/event/?from={date}&to={date}", Accept="text/html")
    assert response.status_code == 200
    assert "/doc/event/opening" in response.text
