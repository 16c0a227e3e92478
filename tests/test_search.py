"""Search over labels and alternative names: prefixes, accents, ranking, HTML and JSON, limits, caching."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from publisher.text import normalise
from publisher.web.names import words
from tests.conftest import MINIMAL, PROJECT
from tests.server import running_server

BASE = "http://localhost:8080/"


@pytest.fixture(scope="module")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("search-minimal")
    shutil.copytree(MINIMAL, root / "data")
    with running_server(root / "releases", root / "data") as url:
        yield url


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("search-bundled")
    with running_server(root / "releases", PROJECT / "data") as url:
        yield url


def search(url: str, q: str, accept: str = "application/json", **params: str) -> requests.Response:
    return requests.get(f"{url}search", params={"q": q, **params}, headers={"Accept": accept}, timeout=30)


def results(url: str, q: str, **params: str) -> list[dict[str, str]]:
    response = search(url, q, **params)
    assert response.status_code == 200, response.text
    found: list[dict[str, str]] = response.json()["results"]
    return found


def iris(url: str, q: str, **params: str) -> list[str]:
    return [r["iri"] for r in results(url, q, **params)]


def test_normalisation_drops_accents_and_case_and_spells_sharp_s() -> None:
    assert normalise("Baden-Württemberg") == "baden-wurttemberg"
    assert normalise("Straße") == normalise("STRASSE") == "strasse"
    assert normalise("\uff23luster\ufb01") == "clusterfi"  # fullwidth C, fi ligature
    assert words("„Innovation Lab“ zur Lasertechnik") == ["innovation", "lab", "zur", "lasertechnik"]


def test_a_prefix_finds_the_thing(minimal: str) -> None:
    found = results(minimal, "Testw")
    assert found[0] == {
        "iri": f"{BASE}id/event/week",
        "label": "Testwoche",
        "type": "event",
        "document": f"{BASE}doc/event/week",  # under the base, whatever Host was asked
    }


@pytest.mark.parametrize("q", ["testw", "TESTW", "tëstw", "Testwoche", "  Testwo  "])
def test_case_accents_and_spaces_do_not_matter(minimal: str, q: str) -> None:
    assert iris(minimal, q) == [f"{BASE}id/event/week"]


def test_every_word_must_begin_a_word_of_one_name(minimal: str) -> None:
    assert iris(minimal, "synth testq") == [f"{BASE}id/document/doc-a"]  # "Synthetische Testquelle A"
    assert iris(minimal, "testq synth") == [f"{BASE}id/document/doc-a"]  # in any order
    assert iris(minimal, "woche") == []  # inside a word is not the beginning of one
    assert iris(minimal, "testwoche week") == []  # both words in one name, not across languages


def test_an_alternative_name_finds_its_thing(minimal: str) -> None:
    found = results(minimal, "TC")
    assert [r["iri"] for r in found] == [f"{BASE}id/initiative/ini-one"]
    assert found[0]["label"] == "Testcluster"  # the label is shown, not the name that matched
    assert iris(minimal, "test-clu") == [f"{BASE}id/initiative/ini-one"]


def test_english_labels_are_found_and_shown_when_asked(minimal: str) -> None:
    assert iris(minimal, "test week") == [f"{BASE}id/event/week"]
    english = results(minimal, "Testwoche", lang="en")
    assert english[0]["label"] == "Test week"
    by_header = requests.get(
        f"{minimal}search",
        params={"q": "Testwoche", "format": "json"},
        headers={"Accept-Language": "en"},
        timeout=30,
    )
    assert by_header.json()["results"][0]["label"] == "Test week"


def test_exact_names_come_first_then_names_that_begin_so_then_the_rest(minimal: str) -> None:
    found = iris(minimal, "test")
    documents = [f"{BASE}id/document/doc-a", f"{BASE}id/document/doc-b"]  # "Synthetische Testquelle A"...
    assert set(documents) <= set(found)
    assert set(found[-2:]) == set(documents)  # no name of theirs begins with "test"
    assert iris(minimal, "testfeld x")[0] == f"{BASE}id/field/field-x"
    assert iris(minimal, "testfelder") == [f"{BASE}id/field/field-top"]


def test_bundled_data_accent_insensitive(bundled: str) -> None:
    found = results(bundled, "Wurttemberg", limit="100")
    labels = {r["label"] for r in found}
    assert "Baden-Württemberg" in labels
    assert f"{BASE}id/place/baden-wuerttemberg" in [r["iri"] for r in found]
    assert f"{BASE}id/initiative/clusteragentur-bw" in [r["iri"] for r in found]
    assert f"{BASE}id/initiative/e-mobil-bw" in [r["iri"] for r in found]  # by its alternative name
    for spelling in ("Baden-Wuerttemberg", "baden wurtt", "badenwurtt", "BADEN-WÜRTTEMBERG"):
        assert f"{BASE}id/place/baden-wuerttemberg" in iris(bundled, spelling, limit="100"), spelling


def test_bundled_data_photon_finds_photonics_bw(bundled: str) -> None:
    found = results(bundled, "photon")
    initiative = f"{BASE}id/initiative/photonics-bw"
    assert initiative in [r["iri"] for r in found]
    assert next(r for r in found if r["iri"] == initiative)["label"] == "Photonics BW"


def test_bundled_ranking_exact_then_prefix_then_other(bundled: str) -> None:
    found = iris(bundled, "Photonics", limit="100")
    assert set(found[:2]) == {f"{BASE}id/field/key-technology-photonics", f"{BASE}id/field/atlas-photonics"}
    assert found.index(f"{BASE}id/initiative/photonics-bw") < found.index(
        f"{BASE}id/event/women-in-photonics-2017-04-25"
    )


@pytest.mark.parametrize(
    ("q", "initiative"),
    [("AFBW", "afbw"), ("automotive bw", "automotive-bw"), ("Landesagentur Leichtbau", "leichtbau-bw")],
)
def test_bundled_alternative_names(bundled: str, q: str, initiative: str) -> None:
    assert f"{BASE}id/initiative/{initiative}" in iris(bundled, q)


def test_json_shape(minimal: str) -> None:
    response = search(minimal, "Teststadt")
    assert response.headers["Content-Type"].startswith("application/json")
    payload = response.json()
    assert payload == {
        "query": "Teststadt",
        "results": [
            {
                "iri": f"{BASE}id/place/place-town",
                "label": "Teststadt",
                "type": "place",
                "document": f"{BASE}doc/place/place-town",
            }
        ],
    }
    by_format = requests.get(f"{minimal}search", params={"q": "Teststadt", "format": "json"}, timeout=30)
    assert by_format.json() == payload
    document = requests.get(minimal + payload["results"][0]["document"].removeprefix(BASE), timeout=30)
    assert document.status_code == 200


def test_html_page_links_to_the_documents(minimal: str) -> None:
    response = search(minimal, "Testw", accept="text/html")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert '<html lang="de">' in response.text
    assert '<a href="/doc/event/week" lang="de">Testwoche</a>' in response.text
    assert '<form method="get" action="/search"' in response.text
    assert 'value="Testw"' in response.text
    english = search(minimal, "Testw", accept="text/html", lang="en")
    assert '<html lang="en">' in english.text and ">Test week</a>" in english.text


def test_html_shows_the_alternative_name_that_matched(minimal: str) -> None:
    response = search(minimal, "TC", accept="text/html")
    assert ">Testcluster</a>" in response.text
    assert '<span lang="de">TC</span>' in response.text


def test_browsers_default_to_html(minimal: str) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert search(minimal, "Testw", accept=accept).headers["Content-Type"].startswith("text/html")
    assert search(minimal, "Testw", accept="*/*").headers["Content-Type"].startswith("text/html")


def test_a_hostile_query_is_escaped(minimal: str) -> None:
    hostile = '<script>alert("x")</script>"><img src=x onerror=alert(1)>'
    response = search(minimal, hostile, accept="text/html")
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in response.text
    assert search(minimal, hostile).json() == {"query": hostile.strip(), "results": []}


def test_an_empty_query_shows_the_form(minimal: str) -> None:
    for params in ({}, {"q": ""}, {"q": "   "}):
        response = requests.get(
            f"{minimal}search", params=params, headers={"Accept": "text/html"}, timeout=30
        )
        assert response.status_code == 200
        assert '<input type="search" id="q" name="q" value=""' in response.text
        assert 'id="results"' not in response.text
    assert search(minimal, "").json() == {"query": "", "results": []}


def test_nothing_found(minimal: str) -> None:
    response = search(minimal, "zzzz", accept="text/html")
    assert response.status_code == 200
    assert "Keine Treffer" in response.text
    assert search(minimal, "zzzz").json()["results"] == []
    assert search(minimal, "---").json()["results"] == []  # no words at all


def test_limit(bundled: str) -> None:
    everything = iris(bundled, "b", limit="100")
    assert len(everything) > 20
    assert iris(bundled, "b") == everything[:20]
    assert iris(bundled, "b", limit="3") == everything[:3]
    assert iris(bundled, "b", limit="1000") == everything[:100]


@pytest.mark.parametrize("limit", ["0", "-1", "abc", "2.5"])
def test_a_bad_limit_is_400(minimal: str, limit: str) -> None:
    response = search(minimal, "test", limit=limit)
    assert response.status_code == 400
    assert response.json()["error"]["status"] == 400


def test_too_long_a_query_is_400(minimal: str) -> None:
    assert search(minimal, "a" * 501).status_code == 400


def test_406_when_neither_html_nor_json_is_acceptable(minimal: str) -> None:
    assert search(minimal, "test", accept="text/turtle").status_code == 406
    assert search(minimal, "test", format="ttl").status_code == 406


def test_etag_and_cache_control(minimal: str) -> None:
    first = search(minimal, "Testw")
    etag = first.headers["ETag"]
    assert "max-age" in first.headers["Cache-Control"]
    assert "Accept" in first.headers["Vary"]
    again = requests.get(
        f"{minimal}search",
        params={"q": "Testw"},
        headers={"Accept": "application/json", "If-None-Match": etag},
        timeout=30,
    )
    assert again.status_code == 304
    assert search(minimal, "Testwo").headers["ETag"] != etag
    assert search(minimal, "Testw", accept="text/html").headers["ETag"] != etag


def test_search_under_a_base_with_a_path(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "data")
    base = "http://localhost:8080/lod/"
    with running_server(tmp_path / "releases", tmp_path / "data", {"CLUSTERLOD_BASE": base}) as url:
        response = search(f"{url}lod/", "Testw")
        assert response.json()["results"][0]["iri"] == f"{base}id/event/week"
        assert response.json()["results"][0]["document"] == f"{base}doc/event/week"
        page = search(f"{url}lod/", "Testw", accept="text/html")
        assert '<a href="/lod/doc/event/week"' in page.text
        assert 'action="/lod/search"' in page.text
