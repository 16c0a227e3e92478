"""The clients people point at us, run as they come against a real server: python-requests with its default
``Accept: */*`` (as CKAN's DCAT harvester sends it), pyld's ``jsonld.expand(url)`` and ``jsonld.to_rdf(url)``
with its default document loader, jsonld.js (tests/clients/jsonld) with its loader allowed only our server,
rdflib's ``Graph().parse(url)`` with and without ``format=``.

The bundled data, so that a list (71 documents) runs over more than one page.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from pyld import jsonld
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef, plugin
from rdflib.namespace import DCAT
from rdflib.parser import Parser, URLInputSource

from publisher.catalog import PROFILES
from publisher.jsonld import compact
from tests.clients import CLIENTS, node
from tests.conftest import PROJECT
from tests.rdf_compare import assert_isomorphic
from tests.server import running_server

BASE = "http://localhost:8080/"  # the base the bundled data is built with
XHV = Namespace("http://www.w3.org/1999/xhtml/vocab#")
THING = "id/initiative/afbw"
DOCUMENT = "doc/initiative/afbw"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
# Every name rdflib's Graph.parse takes, from its plugin registry: the name decides the Accept header it sends
# (rdflib.parser.URLInputSource) and the parser it then reads the answer with, whatever the answer's type.
RDFLIB_PARSERS = sorted(parser.name for parser in plugin.plugins(kind=Parser))
# The names whose Accept header asks for that format first (TriG: a Turtle document is TriG of the default
# graph), and application/ld+json: rdflib asks for every type it parses, then follows the JSON-LD alternate
# the answer names in its Link header. Each must read what Turtle says.
RDFLIB_NAMES = ["turtle", "ttl", "n3", "xml", "nt", "json-ld", "trig", "application/ld+json"]
# The other names send rdflib's header for every type it parses, all of equal weight; one answer cannot suit
# each of their parsers, so rdflib must be able to read the answer as the type the server says it is.
# Except TriX: rdflib asks for application/trix, then anything; we offer no TriX: it gets what anything gets.
NOT_OFFERED = ["trix"]
PATHS = [THING, DOCUMENT, "dataset", "releases", "doc/initiative/"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    releases: Path = tmp_path_factory.mktemp("clients") / "releases"
    with running_server(releases, PROJECT / "data") as url:
        yield url


def same(actual: Graph, expected: Graph) -> None:
    """Isomorphic once each literal is written in one form for its value: rdflib's Turtle writes the decimal
    226833 as ``226833.0``, its JSON-LD as ``"226833"``."""
    assert_isomorphic(canonical(actual), canonical(expected))


def canonical(graph: Graph) -> Graph:
    found = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and isinstance(o.value, Decimal):
            o = Literal(format(o.value.normalize(), "f"), datatype=o.datatype)
        found.add((s, p, o))
    return found


def turtle(url: str) -> Graph:
    answer = requests.get(url, headers={"Accept": "text/turtle"}, timeout=60)
    assert answer.status_code == 200, url
    return Graph().parse(data=answer.text, format="turtle")


# Harvesters: python-requests' default Accept is */*


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_a_harvester_asking_anything_gets_the_catalog_as_rdf(site: str, profile: str) -> None:
    params = {} if profile == "3.0" else {"profile": profile}
    answer = requests.get(f"{site}dataset", params=params, timeout=60)  # Accept: */*, as ckanext-dcat sends
    assert answer.request.headers["Accept"] == "*/*"
    assert answer.headers["Content-Type"].startswith("text/turtle")
    assert answer.headers["Content-Profile"] == f"<{PROFILES[profile].iri}>"
    graph = Graph().parse(data=answer.text, format="turtle")
    assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) == 1
    assert len(list(graph.subjects(RDF.type, DCAT.Distribution))) >= 3
    assert "Accept" in answer.headers["Vary"]


def test_without_accept_the_catalog_is_rdf_and_a_browser_gets_the_page(site: str) -> None:
    bare = requests.get(f"{site}dataset", headers={"Accept": None}, timeout=60)  # type: ignore[dict-item]
    assert "Accept" not in bare.request.headers
    assert bare.headers["Content-Type"].startswith("text/turtle")
    page = requests.get(f"{site}dataset", headers={"Accept": BROWSER}, timeout=60)
    assert page.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("suffix", "media_type"),
    [
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("rdf", "application/rdf+xml"),
        ("nt", "application/n-triples"),
        ("html", "text/html"),
    ],
)
def test_the_catalog_answers_by_suffix(site: str, suffix: str, media_type: str) -> None:
    answer = requests.get(f"{site}dataset.{suffix}", timeout=60)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].split(";")[0] == media_type
    assert answer.headers["Content-Location"] == f"/dataset.{suffix}"
    two = requests.get(f"{site}dataset.{suffix}?profile=2.0", timeout=60)
    assert two.headers["Content-Profile"] == f"<{PROFILES['2.0'].iri}>"
    assert two.headers["Content-Location"] == f"/dataset.{suffix}?profile=2.0"


def test_an_unknown_suffix_of_the_catalog_is_406(site: str) -> None:
    assert requests.get(f"{site}dataset.pdf", timeout=60).status_code == 406


def test_the_catalog_is_the_same_graph_however_asked(site: str) -> None:
    expected = turtle(f"{site}dataset")
    same(Graph().parse(f"{site}dataset"), expected)
    same(Graph().parse(f"{site}dataset.ttl"), expected)
    same(Graph().parse(data=requests.get(f"{site}dataset", timeout=60).text), expected)
    same(Graph().parse(f"{site}dataset.jsonld", format="json-ld"), expected)


# pyld with its default (python-requests) document loader


@pytest.mark.parametrize(
    "path",
    [
        THING,
        DOCUMENT,
        "dataset",
        "dataset?profile=2.0",
        "releases",
        "doc/initiative/",
        "doc/document/?page=2",
        ".well-known/void",
        "def/cluster",
    ],
)
def test_pyld_loads_and_reads_what_turtle_says(site: str, path: str) -> None:
    expanded = jsonld.expand(site + path)
    assert expanded
    quads = jsonld.to_rdf(site + path, {"format": "application/n-quads"})
    from_pyld = Graph().parse(data=quads, format="nt")
    same(from_pyld, turtle(site + path))


def test_pyld_finds_the_thing_it_asked_for(site: str) -> None:
    ids = {node["@id"] for node in jsonld.expand(site + THING)}
    assert BASE + THING in ids


# rdflib: every format name, which sets the Accept header it sends


# rdflib's own N3 and TriG parsers warn of rdflib's own deprecated API (rdflib 7.6)
@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")
@pytest.mark.parametrize("name", RDFLIB_NAMES)
@pytest.mark.parametrize("path", PATHS)
def test_rdflib_reads_every_format_it_names(site: str, path: str, name: str) -> None:
    same(Graph().parse(site + path, format=name), turtle(site + path))


@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")
@pytest.mark.parametrize("name", sorted(set(RDFLIB_PARSERS) - set(NOT_OFFERED)))
@pytest.mark.parametrize("path", PATHS)
def test_whatever_format_rdflib_names_it_gets_rdf_it_reads(site: str, path: str, name: str) -> None:
    """rdflib's own request for the name (its Accept header), read as the type the answer says it is."""
    source = URLInputSource(site + path, format=name)
    assert source.content_type in RDFLIB_PARSERS, f"{name} got {source.content_type}"
    same(Graph().parse(source=source, format=source.content_type), turtle(site + path))


def test_rdflib_knows_the_formats_these_tests_name() -> None:
    assert set(RDFLIB_NAMES) | set(NOT_OFFERED) <= set(RDFLIB_PARSERS)


@pytest.mark.parametrize("name", NOT_OFFERED)
@pytest.mark.parametrize("path", PATHS)
def test_a_format_we_do_not_offer_gets_what_anything_gets(site: str, path: str, name: str) -> None:
    source = URLInputSource(site + path, format=name)
    anything = requests.get(site + path, headers={"Accept": "*/*"}, timeout=60)
    assert anything.status_code == 200
    assert source.content_type == anything.headers["Content-Type"].split(";")[0]


@pytest.mark.parametrize("path", [THING, DOCUMENT, "releases", "doc/initiative/"])
def test_rdflib_without_a_format(site: str, path: str) -> None:
    same(Graph().parse(site + path), turtle(site + path))


@pytest.mark.parametrize("accept", ["text/n3", "text/rdf+n3", "text/n3, */*;q=0.1"])
def test_n3_clients_get_turtle(site: str, accept: str) -> None:
    answer = requests.get(site + DOCUMENT, headers={"Accept": accept}, timeout=60)
    assert answer.headers["Content-Type"].startswith("text/turtle")


@pytest.mark.parametrize("path", [THING, DOCUMENT])
def test_json_clients_get_json_ld(site: str, path: str) -> None:
    answer = requests.get(site + path, headers={"Accept": "application/json"}, timeout=60)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/ld+json")
    same(Graph().parse(data=answer.text, format="json-ld"), turtle(site + DOCUMENT))


# Alternates: every form but JSON-LD names all the others, as rdflib reads Link headers


@pytest.mark.parametrize("suffix", ["html", "ttl", "nt", "rdf"])
def test_every_other_form_names_all_alternates(site: str, suffix: str) -> None:
    source = URLInputSource(f"{site}{DOCUMENT}.{suffix}")
    named = set(source.get_alternates())
    assert named == {f"/{DOCUMENT}.{s}" for s in ("html", "ttl", "nt", "rdf", "jsonld")} - {
        f"/{DOCUMENT}.{suffix}"
    }
    assert source.get_alternates(type_="application/ld+json") == [f"/{DOCUMENT}.jsonld"]


def test_json_ld_names_no_alternate(site: str) -> None:
    for path in (f"{DOCUMENT}.jsonld", "dataset.jsonld", "releases.jsonld"):
        assert 'rel="alternate"' not in requests.get(site + path, timeout=60).headers.get("Link", ""), path


# Lists as RDF page like the HTML ones


def test_a_list_as_rdf_pages_to_its_end(site: str) -> None:
    query = (
        "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a <http://xmlns.com/foaf/0.1/Document> "
        f'FILTER(STRSTARTS(STR(?d), "{BASE}id/")) }}'
    )
    answer = requests.get(f"{site}sparql", params={"query": query}, timeout=60)
    expected = int(answer.json()["results"]["bindings"][0]["n"]["value"])
    assert expected > 50  # more than a page
    listed = URIRef(f"{BASE}doc/document/")
    seen: list[URIRef] = []
    url: str | None = f"{site}doc/document/"
    pages = 0
    while url is not None:
        answer = requests.get(url, headers={"Accept": "text/turtle"}, timeout=60)
        graph = Graph().parse(data=answer.text, format="turtle")
        members = [m for m in graph.objects(listed, RDFS.member) if isinstance(m, URIRef)]
        assert len(members) <= 50
        assert all(graph.value(m, RDFS.label) is not None for m in members)
        seen.extend(members)
        pages += 1
        following = graph.value(listed, XHV.next)
        if "next" in answer.links:
            url = requests.compat.urljoin(url, answer.links["next"]["url"])
            assert following == URIRef(f"{BASE}doc/document/?page={pages + 1}")
        else:
            url = None
            assert following is None
    assert pages == -(-expected // 50)
    assert len(seen) == len(set(seen)) == expected


def test_rdf_list_pages_keep_filters_and_are_cacheable(site: str) -> None:
    url = f"{site}doc/document/?page=2&format=ttl"
    answer = requests.get(url, timeout=60)
    assert answer.headers["Content-Type"].startswith("text/turtle")
    assert answer.links["prev"]["url"] == "/doc/document/?page=1&format=ttl"
    graph = Graph().parse(data=answer.text, format="turtle")
    previous = graph.value(URIRef(f"{BASE}doc/document/"), XHV.prev)
    assert previous == URIRef(f"{BASE}doc/document/?page=1")  # the page; the form is the client's choice
    assert answer.headers["Cache-Control"] == "public, max-age=300"
    assert answer.headers["Vary"] == "Accept, Accept-Language"
    again = requests.get(url, headers={"If-None-Match": answer.headers["ETag"]}, timeout=60)
    assert again.status_code == 304


# JSON-LD for web developers: compact keys against a context of prefixes, the same graph as the Turtle


@pytest.mark.parametrize(
    "path",
    [
        DOCUMENT,
        "dataset",
        "dataset?profile=2.0",
        "releases",
        "doc/document/",
        ".well-known/void",
        "def/cluster",
        "sparql",
    ],
)
def test_json_ld_is_compact_and_says_what_turtle_says(site: str, path: str) -> None:
    answer = requests.get(site + path, headers={"Accept": "application/ld+json"}, timeout=60)
    assert answer.headers["Content-Type"].startswith("application/ld+json")
    document = answer.json()
    context = document["@context"]
    published = requests.get(f"{site}context.jsonld", timeout=60).json()["@context"]
    # the part of the published context it uses, and for the catalog or VoID their own vocabularies besides
    assert context and all(published.get(name, value) == value for name, value in context.items())
    keys = {key for node in document["@graph"] for key in node if not key.startswith("@")}
    short = {key for key in keys if ":" not in key}
    assert short and short <= context.keys()  # short terms: "label", not rdfs:label
    assert all(key.split(":")[0] in context for key in keys - short)  # the others compact IRIs
    same(Graph().parse(data=answer.text, format="json-ld"), turtle(site + path))
    from_pyld = jsonld.to_rdf(
        document, {"format": "application/n-quads"}
    )  # no network: the context is inline
    same(Graph().parse(data=from_pyld, format="nt"), turtle(site + path))


def test_a_document_in_json_ld_reads_as_a_web_developer_expects(site: str) -> None:
    document = requests.get(f"{site}{DOCUMENT}.jsonld", timeout=60).json()
    assert document["@context"]["label"] == "http://www.w3.org/2000/01/rdf-schema#label"
    assert document["@context"]["cluster"] == f"{BASE}def/cluster#"
    (thing,) = [node for node in document["@graph"] if node["@id"] == BASE + THING]
    assert document["@context"]["altLabel"] == "http://www.w3.org/2004/02/skos/core#altLabel"
    assert {"@language": "de", "@value": "AFBW"} in thing["altLabel"]
    assert {"@id": "cluster:StateNetwork"} in thing["type"]


def test_the_published_context_expands_what_a_web_developer_writes(site: str) -> None:
    """pyld's default loader fetches {base}context.jsonld from us (and nothing else): a document written
    with its short terms reads as the same graph as the one we serve."""
    served = requests.get(f"{site}{DOCUMENT}.jsonld", timeout=60).json()
    served["@context"] = f"{site}context.jsonld"
    from_pyld = jsonld.to_rdf(served, {"format": "application/n-quads"})
    same(Graph().parse(data=from_pyld, format="nt"), turtle(site + DOCUMENT))


def jsonld_js(site: str, source: str | dict[str, object]) -> tuple[Graph, list[str]]:
    """jsonld.js's reading of a URL or a document, and what its loader fetched (it may fetch only under
    ``site``)."""
    if isinstance(source, str):
        printed = node("to-rdf.mjs", CLIENTS / "jsonld", site, source)
    else:
        printed = node("to-rdf.mjs", CLIENTS / "jsonld", site, "-", stdin=json.dumps(source))
    read = json.loads(printed)
    return Graph().parse(data=read["nquads"], format="nt"), read["fetched"]


@pytest.mark.parametrize("path", [f"{DOCUMENT}.jsonld", "dataset.jsonld", "releases.jsonld"])
def test_jsonld_js_reads_our_json_ld_as_turtle_says_it_fetching_nothing_else(site: str, path: str) -> None:
    graph, fetched = jsonld_js(site, site + path)
    assert fetched == [site + path]  # the context is inline: nothing else is fetched
    same(graph, turtle(site + path.removesuffix(".jsonld")))


def test_jsonld_js_reads_the_published_context_from_us_alone(site: str) -> None:
    """A document written against {base}context.jsonld: jsonld.js fetches the context from us (its loader
    refuses any other address) and reads the graph we serve."""
    served = requests.get(f"{site}{DOCUMENT}.jsonld", timeout=60).json()
    served["@context"] = f"{site}context.jsonld"
    graph, fetched = jsonld_js(site, served)
    assert fetched == [f"{site}context.jsonld"]
    same(graph, turtle(site + DOCUMENT))


def test_compaction_keeps_every_iri_a_processor_would_read_otherwise() -> None:
    """IRIs that would read differently as compact IRIs keep their full form; pyld reads the same graph."""
    ns = "http://example.org/ns#"
    tricky = [
        {
            "@id": "http://example.org/ns#",  # the namespace itself: "ex:" would be read as a relative IRI
            f"{ns}p": [{"@id": "http://example.org/ns#//x"}],  # "ex://x" is an absolute IRI to JSON-LD
            "http://example.org/other/q": [
                {"@value": "1", "@type": f"{ns}type"},
                {"@value": "a", "@language": "de"},
            ],
            "@type": [f"{ns}Class"],
        },
        {"@id": "_:b0", f"{ns}p": [{"@id": f"{ns}a"}]},
        {"@id": "http://example.org/ns#", f"{ns}p": [{"@id": f"{ns}b"}]},  # the same subject again
    ]
    prefixes = {"ex": ns, "": "http://example.org/other/", "slashless": "http://example.org/other"}
    compacted = json.loads(compact(json.dumps(tricky), prefixes))
    assert compacted["@context"] == {"ex": ns}
    assert len(compacted["@graph"]) == 2
    as_nquads = {"format": "application/n-quads"}
    before = Graph().parse(data=jsonld.to_rdf(tricky, as_nquads), format="nt")
    same(Graph().parse(data=jsonld.to_rdf(compacted, as_nquads), format="nt"), before)
    same(Graph().parse(data=json.dumps(compacted), format="json-ld"), before)
