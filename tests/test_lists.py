"""List pages: every type has one; filters by field (with narrower fields), seat, region and date; RDF too."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from rdflib import RDFS, Graph, URIRef

from publisher.settings import Settings
from publisher.tables import TABLES
from tests.server import minimal_site

BASE = "http://localhost:8080/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    with minimal_site(tmp_path_factory.mktemp("lists")) as served:
        yield served


def listed(url: str, path: str) -> list[str]:
    page = requests.get(url + path, headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200
    return [
        line.split('href="', 1)[1].split('"', 1)[0]
        for line in page.text.split("<li>")[1:]
        if 'href="/doc/' in line
    ]


@pytest.mark.parametrize("type_word", [t.type_word for t in TABLES])
def test_every_type_has_a_list(site: tuple[str, Settings], type_word: str) -> None:
    url, _ = site
    assert listed(url, f"doc/{type_word}/"), f"the {type_word} list is empty"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("field=field-x", ["/doc/initiative/ini-one"]),
        ("field=field-top", ["/doc/initiative/ini-one"]),
        ("place=place-town", ["/doc/initiative/ini-one"]),
        ("place=place-state", []),
        ("region=Testregion", ["/doc/initiative/ini-one"]),
        ("region=%22%20%7D%20SELECT", []),
    ],
)
def test_initiative_filters(site: tuple[str, Settings], query: str, expected: list[str]) -> None:
    url, _ = site
    assert listed(url, f"doc/initiative/?{query}") == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["/doc/event/week", "/doc/event/opening"]),
        ("from=2017-04-21", []),
        ("to=2017-04-19", []),
        ("from=2017-04-20&to=2017-04-20", ["/doc/event/week", "/doc/event/opening"]),
    ],
)
def test_events_by_date(site: tuple[str, Settings], query: str, expected: list[str]) -> None:
    url, _ = site
    assert sorted(listed(url, f"doc/event/?{query}")) == sorted(expected)


@pytest.mark.parametrize("query", ["field=Not A Key", "from=yesterday", "page=0"])
def test_bad_filters_are_400(site: tuple[str, Settings], query: str) -> None:
    url, _ = site
    kind = "event" if "from" in query else "initiative"
    assert requests.get(f"{url}doc/{kind}/?{query}", timeout=30).status_code == 400


def test_a_list_as_rdf(site: tuple[str, Settings]) -> None:
    url, _ = site
    answer = requests.get(url + "doc/initiative/", headers={"Accept": "text/turtle"}, timeout=30)
    graph = Graph().parse(data=answer.text, format="turtle")
    members = set(graph.objects(URIRef(f"{BASE}doc/initiative/"), RDFS.member))
    assert members == {URIRef(f"{BASE}id/initiative/ini-one")}
