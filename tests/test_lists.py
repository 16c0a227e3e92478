"""List pages: every type has one; filters by field (with narrower fields), place (with the places inside it),
region and date (events running in the range too); RDF too."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
import requests
from rdflib import RDFS, Graph, URIRef

from publisher.settings import Settings
from publisher.tables import TABLES
from publisher.web.facets import Facets
from tests.conftest import MINIMAL
from tests.server import running_server

BASE = "http://localhost:8080/"
# The minimal dataset, plus a government region inside its state with a municipality (and an initiative in
# it) inside the region, and a talk without an end date: place-state > place-region > place-village.
MORE = {
    "places.csv": [
        "place-region,government-region,Testbezirk,,,,,,,,place-state,doc-a",
        "place-village,municipality,Testdorf,,08111001,,,,,,place-region,doc-a",
    ],
    "initiatives.csv": ["ini-two,state-network,Testnetz,,,place-village,,,field-x,,,,,,,doc-a"],
    "events.csv": ["talk,event,Vortrag,Talk,2017-04-25,,place-village,,week,,,,,,doc-a"],
    # the optional tables of dated statements, absent from the minimal data: written with their header
    "labels.csv": [
        "id,holder,label,awarded,valid_until,attested,wording,source",
        "award-a,ini-one,esca-gold,2013,,,,doc-a",
    ],
    "statuses.csv": [
        "id,about,status,since,reported,successor,wording,source",
        "status-a,ini-two,dissolved,2022,,,,doc-a",
    ],
    "names.csv": [
        "id,about,name,lang,start,end,attested,source",
        "name-a,org-ministry,Altes Ministerium,de,,2021,,doc-a",
    ],
    "roles.csv": [
        "id,role,in,agents,agents_text,start,end,attested,wording,source",
        "role-a,initiator,week,org-ministry,,,,,,doc-a",
    ],
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    root = tmp_path_factory.mktemp("lists")
    shutil.copytree(MINIMAL, root / "data")
    for name, rows in MORE.items():
        with (root / "data" / name).open("a", encoding="utf-8") as table:
            table.write("".join(row + "\n" for row in rows))
    settings = Settings(data_dir=root / "data", releases_dir=root / "releases")
    with running_server(settings.releases_dir, settings.data_dir) as url:
        yield url, settings


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
        ("field=field-x", ["/doc/initiative/ini-one", "/doc/initiative/ini-two"]),
        ("field=field-top", ["/doc/initiative/ini-one", "/doc/initiative/ini-two"]),
        ("place=place-town", ["/doc/initiative/ini-one"]),
        ("place=place-village", ["/doc/initiative/ini-two"]),
        ("place=place-region", ["/doc/initiative/ini-two"]),  # the region's municipalities
        ("place=place-state", ["/doc/initiative/ini-one", "/doc/initiative/ini-two"]),  # and its regions'
        ("place=no-such-place", []),
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
        ("", ["/doc/event/week", "/doc/event/opening", "/doc/event/talk"]),
        ("to=2017-04-19", []),
        ("from=2017-04-29", []),
        ("from=2017-04-20&to=2017-04-20", ["/doc/event/week", "/doc/event/opening"]),
        # the week (20 to 28 April) started before these ranges and is still running in them
        ("from=2017-04-21", ["/doc/event/week", "/doc/event/talk"]),
        ("from=2017-04-21&to=2017-04-24", ["/doc/event/week"]),
        ("from=2017-04-26&to=2017-05-31", ["/doc/event/week"]),  # ends inside the range
        ("from=2017-04-28&to=2017-04-28", ["/doc/event/week"]),  # ends on its first day
        # an event without an end date runs on its start date only
        ("from=2017-04-25&to=2017-04-25", ["/doc/event/week", "/doc/event/talk"]),
        ("from=2017-04-26", ["/doc/event/week"]),
        ("to=2017-04-25", ["/doc/event/week", "/doc/event/opening", "/doc/event/talk"]),
    ],
)
def test_events_by_date(site: tuple[str, Settings], query: str, expected: list[str]) -> None:
    url, _ = site
    assert sorted(listed(url, f"doc/event/?{query}")) == sorted(expected)


def test_place_options_count_the_places_inside(site: tuple[str, Settings]) -> None:
    url, _ = site
    page = requests.get(url + "doc/initiative/", headers={"Accept": "text/html"}, timeout=30).text
    options = page.split('id="filter-place"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option value="([^"]+)">([^<]*)</option>', options) == [
        ("place-region", "Testbezirk (1)"),
        ("place-village", "Testdorf (1)"),
        ("place-state", "Testland (2)"),
        ("place-town", "Teststadt (1)"),
    ]


def test_a_loop_in_the_place_hierarchy_ends() -> None:
    a, b, c = (f"{BASE}id/place/{key}" for key in "abc")
    facets = Facets((), {}, {a: frozenset({b}), b: frozenset({a}), c: frozenset({a})}, {})
    assert facets.inside(a) == facets.inside(b) == [a, b, c]
    assert facets.inside(c) == [c]


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
    assert members == {URIRef(f"{BASE}id/initiative/{key}") for key in ("ini-one", "ini-two")}
