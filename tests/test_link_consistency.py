"""The HTML page and the RDF document about every thing of the bundled release agree: the same links out to
authorities, the same primary topic, and the page's <link rel=alternate> equal the Link header's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
import requests
from rdflib import Graph, URIRef
from requests.utils import parse_header_links

from publisher.links import LINK_PREDICATES, OWL_SAME_AS, authority_of
from publisher.settings import Settings
from tests.conftest import BASE, PROJECT
from tests.server import running_server

FOAF = "http://xmlns.com/foaf/0.1/"


class _Page(HTMLParser):
    """The anchors, <link> elements, <code> texts and JSON-LD of an HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.anchors: set[str] = set()
        self.links: list[dict[str, str]] = []
        self.codes: list[str] = []
        self.json_ld: list[str] = []
        self._in: str = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "a" and values.get("href"):
            self.anchors.add(values["href"])
        elif tag == "link":
            self.links.append(values)
        elif tag == "code" or (tag == "script" and values.get("type") == "application/ld+json"):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = ""

    def handle_data(self, data: str) -> None:
        if self._in == "code":
            self.codes.append(data)
        elif self._in == "script":
            self.json_ld.append(data)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    root = tmp_path_factory.mktemp("consistency")
    settings = Settings(data_dir=PROJECT / "data", releases_dir=root / "releases")
    with running_server(settings.releases_dir, settings.data_dir) as url:
        query = f'SELECT DISTINCT ?s WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?s), "{BASE}id/")) }} ORDER BY ?s'
        accept = {"Accept": "text/csv"}
        answer = requests.get(url + "sparql", params={"query": query}, headers=accept, timeout=60)
        things = answer.text.splitlines()[1:]
        assert len(things) > 100
        yield url, things


def _authority_targets(graph: Graph, thing: URIRef) -> set[str]:
    return {
        str(o)
        for p in LINK_PREDICATES
        for o in graph.objects(thing, URIRef(p))
        if isinstance(o, URIRef) and authority_of(str(o))
    }


def test_html_and_rdf_show_the_same_links_out_and_primary_topic(site: tuple[str, list[str]]) -> None:
    url, things = site
    linked = 0
    for thing in things:
        path = thing[len(BASE) :].replace("id/", "doc/", 1)
        turtle = requests.get(url + path + ".ttl", timeout=30)
        assert turtle.status_code == 200, thing
        graph = Graph().parse(data=turtle.text, format="turtle")
        subject, document = URIRef(thing), URIRef(BASE + path)
        assert (document, URIRef(FOAF + "primaryTopic"), subject) in graph, thing
        assert (subject, URIRef(FOAF + "isPrimaryTopicOf"), document) in graph, thing
        page = _Page(requests.get(url + path, headers={"Accept": "text/html"}, timeout=30).text)
        targets = _authority_targets(graph, subject)
        shown = {href for href in page.anchors if authority_of(href)}
        assert shown == targets, thing
        assert thing in page.codes, f"{thing}: the page does not name its primary topic"
        same_as = {str(o) for o in graph.objects(subject, URIRef(OWL_SAME_AS))}
        described = json.loads("".join(page.json_ld)).get("sameAs", [])
        assert set(described) == same_as, thing
        linked += bool(targets)
    assert linked >= 20  # places and fields with links out were among the pages compared


def test_html_alternates_equal_the_link_header(site: tuple[str, list[str]]) -> None:
    url, things = site
    for thing in things:
        path = thing[len(BASE) :].replace("id/", "doc/", 1)
        response = requests.get(url + path, headers={"Accept": "text/html"}, timeout=30)
        page = _Page(response.text)
        in_page = {(a["href"], a.get("type", "")) for a in page.links if a.get("rel") == "alternate"}
        header = parse_header_links(response.headers["Link"])
        in_header = {(a["url"], a.get("type", "")) for a in header if a.get("rel") == "alternate"}
        assert in_page == in_header and len(in_page) == 4, thing
