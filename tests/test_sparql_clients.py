"""Third-party SPARQL clients against the real endpoint: SPARQLWrapper, rdflib's SPARQLStore and Comunica.

The server runs on 127.0.0.1 with the bundled real data (data/); every expected value is read from its CSV
tables or from the release's own N-Triples dump, so the tests follow the data when it grows.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from typing import Any
from xml.dom.minidom import Document, Element

import pytest
import requests
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

from tests.conftest import BASE, PROJECT
from tests.server import running_server

DATA = PROJECT / "data"
COMUNICA_DIR = PROJECT / "tests" / "comunica"
COMUNICA = COMUNICA_DIR / "node_modules" / ".bin" / "comunica-sparql"
CLUSTER = Namespace(BASE + "def/cluster#")
PREFIXES = f"""PREFIX cluster: <{CLUSTER}>
PREFIX rdfs: <{RDFS}>
PREFIX schema: <https://schema.org/>
"""
# How the mapping types a founding date by its precision (publisher/map.py).
FOUNDED_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


def _table(name: str) -> list[dict[str, str]]:
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


INITIATIVES = _table("initiatives")
KNOWN = next(row for row in INITIATIVES if row["id"] == "microtec-suedwest")
KNOWN_IRI = URIRef(f"{BASE}id/initiative/{KNOWN['id']}")
CLUSTER_INITIATIVES = sorted(
    (row for row in INITIATIVES if row["kind"] == "cluster-initiative"), key=lambda row: row["id"]
)


def _iri(row: dict[str, str]) -> str:
    return f"{BASE}id/initiative/{row['id']}"


def _class_of(kind: str) -> URIRef:
    """cluster-initiative -> cluster:ClusterInitiative, as the mapping names the classes."""
    return CLUSTER["".join(part.capitalize() for part in kind.split("-"))]


def _founded(row: dict[str, str]) -> Literal | None:
    value = row["founded"]
    return Literal(value, datatype=FOUNDED_TYPES[len(value)]) if value else None


# ---------------------------------------------------------------------------------------------------------
# The server and what it should answer

SELECT_INITIATIVES = (
    PREFIXES
    + """SELECT ?initiative ?label ?founded WHERE {
  ?initiative a cluster:ClusterInitiative ; rdfs:label ?label .
  FILTER(LANG(?label) = "de")
  OPTIONAL { ?initiative schema:foundingDate ?founded }
}
ORDER BY ?initiative"""
)
# (IRI, German label, founding date or None) per cluster initiative, in the order of the query.
EXPECTED_ROWS = [(_iri(row), row["label_de"], _founded(row)) for row in CLUSTER_INITIATIVES]

ASK_TRUE = PREFIXES + f"ASK {{ <{KNOWN_IRI}> a cluster:ClusterInitiative ; rdfs:label ?label }}"
ASK_FALSE = PREFIXES + f"ASK {{ <{KNOWN_IRI}> a cluster:StateAgency }}"

CONSTRUCT_INITIATIVES = (
    PREFIXES
    + """CONSTRUCT { ?initiative a cluster:ClusterInitiative ; rdfs:label ?label }
WHERE { ?initiative a cluster:ClusterInitiative ; rdfs:label ?label }"""
)
DESCRIBE_KNOWN = f"DESCRIBE <{KNOWN_IRI}>"


def _expected_construct() -> set[tuple[Any, Any, Any]]:
    triples: set[tuple[Any, Any, Any]] = set()
    for row in CLUSTER_INITIATIVES:
        subject = URIRef(_iri(row))
        triples.add((subject, RDF.type, CLUSTER.ClusterInitiative))
        triples.add((subject, RDFS.label, Literal(row["label_de"], lang="de")))
        if row["label_en"]:
            triples.add((subject, RDFS.label, Literal(row["label_en"], lang="en")))
    return triples


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`clusterlod serve` on a free port, serving a release built from the bundled data."""
    releases = tmp_path_factory.mktemp("sparql-clients") / "releases"
    with running_server(releases, DATA) as url:
        yield url


@pytest.fixture(scope="module")
def endpoint(server: str) -> str:
    return server + "sparql"


@pytest.fixture(scope="module")
def dump(server: str) -> Graph:
    """The release's N-Triples dump, as the server offers it for download."""
    with requests.get(server + "dumps/latest/data.nt.gz", timeout=30) as response:
        assert response.status_code == 200
        return Graph().parse(data=gzip.decompress(response.content).decode("utf-8"), format="nt")


def test_the_expectations_are_not_empty() -> None:
    """Guard: the assertions below compare against the data, so the data must hold what they compare."""
    assert len(EXPECTED_ROWS) >= 10
    assert KNOWN["label_de"] == "microTEC Südwest"
    assert {founded.datatype for _, _, founded in EXPECTED_ROWS if founded} == set(FOUNDED_TYPES.values())
    assert any(founded is None for _, _, founded in EXPECTED_ROWS)


# ---------------------------------------------------------------------------------------------------------
# SPARQLWrapper 2.x

METHODS = {
    "GET": (GET, URLENCODED),
    "POST-form": (POST, URLENCODED),
    "POST-direct": (POST, POSTDIRECTLY),
}


def _wrapper(endpoint: str, query: str, method: str, return_format: str) -> SPARQLWrapper:
    wrapper = SPARQLWrapper(endpoint)
    wrapper.setTimeout(30)
    wrapper.setQuery(query)
    wrapper.setReturnFormat(return_format)
    http_method, request_method = METHODS[method]
    wrapper.setMethod(http_method)
    wrapper.setRequestMethod(request_method)
    return wrapper


def _converted(wrapper: SPARQLWrapper) -> Any:
    result = wrapper.query()
    try:
        assert result.response.status == 200
        return result.convert()
    finally:
        result.response.close()


def _tsv_term(term: str | Literal | None) -> str:
    """A term as SPARQL 1.1 TSV writes it (IRIs in <>, literals in Turtle syntax, unbound empty)."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        return term.n3()
    return f"<{term}>"


def _xml_bindings(document: Document) -> list[dict[str, Element]]:
    rows = []
    for result in document.getElementsByTagName("result"):
        row = {}
        for binding in result.getElementsByTagName("binding"):
            value = next(node for node in binding.childNodes if isinstance(node, Element))
            row[binding.getAttribute("name")] = value
        rows.append(row)
    return rows


def _xml_text(element: Element) -> str:
    return "".join(node.data for node in element.childNodes if node.nodeType == node.TEXT_NODE)


@pytest.mark.parametrize("method", METHODS)
def test_sparqlwrapper_select_json(endpoint: str, method: str) -> None:
    answer = _converted(_wrapper(endpoint, SELECT_INITIATIVES, method, JSON))
    assert answer["head"]["vars"] == ["initiative", "label", "founded"]
    rows = answer["results"]["bindings"]
    assert [(row["initiative"]["value"], row["label"]["value"]) for row in rows] == [
        (iri, label) for iri, label, _ in EXPECTED_ROWS
    ]
    for row, (_, _, founded) in zip(rows, EXPECTED_ROWS, strict=True):
        assert row["initiative"]["type"] == "uri"
        assert row["label"] == {"type": "literal", "value": row["label"]["value"], "xml:lang": "de"}
        if founded is None:
            assert "founded" not in row
        else:
            assert row["founded"] == {
                "type": "literal",
                "value": str(founded),
                "datatype": str(founded.datatype),
            }


@pytest.mark.parametrize("method", METHODS)
def test_sparqlwrapper_select_xml(endpoint: str, method: str) -> None:
    document = _converted(_wrapper(endpoint, SELECT_INITIATIVES, method, XML))
    assert isinstance(document, Document)
    names = [variable.getAttribute("name") for variable in document.getElementsByTagName("variable")]
    assert names == ["initiative", "label", "founded"]
    rows = _xml_bindings(document)
    assert len(rows) == len(EXPECTED_ROWS)
    for row, (iri, label, founded) in zip(rows, EXPECTED_ROWS, strict=True):
        assert row["initiative"].tagName == "uri" and _xml_text(row["initiative"]) == iri
        assert row["label"].tagName == "literal" and _xml_text(row["label"]) == label
        assert row["label"].getAttribute("xml:lang") == "de"
        if founded is None:
            assert "founded" not in row
        else:
            assert _xml_text(row["founded"]) == str(founded)
            assert row["founded"].getAttribute("datatype") == str(founded.datatype)


@pytest.mark.parametrize("method", METHODS)
def test_sparqlwrapper_select_csv(endpoint: str, method: str) -> None:
    body = _converted(_wrapper(endpoint, SELECT_INITIATIVES, method, CSV))
    text = body.decode("utf-8")
    assert text.startswith("initiative,label,founded\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["initiative", "label", "founded"]
    assert rows[1:] == [[iri, label, str(founded or "")] for iri, label, founded in EXPECTED_ROWS]
    assert f"{KNOWN_IRI},{KNOWN['label_de']},{KNOWN['founded']}\r\n" in text


@pytest.mark.parametrize("method", METHODS)
def test_sparqlwrapper_select_tsv(endpoint: str, method: str) -> None:
    body = _converted(_wrapper(endpoint, SELECT_INITIATIVES, method, TSV))
    lines = body.decode("utf-8").split("\n")
    assert lines[0] == "?initiative\t?label\t?founded"
    assert lines[-1] == ""  # every line, the last included, ends in a newline
    assert lines[1:-1] == [
        "\t".join((f"<{iri}>", _tsv_term(Literal(label, lang="de")), _tsv_term(founded)))
        for iri, label, founded in EXPECTED_ROWS
    ]
    assert f'<{KNOWN_IRI}>\t"microTEC Südwest"@de\t"2006"^^<{XSD.gYear}>' in lines


@pytest.mark.parametrize("method", METHODS)
def test_sparqlwrapper_ask_json(endpoint: str, method: str) -> None:
    assert _converted(_wrapper(endpoint, ASK_TRUE, method, JSON)) == {"head": {}, "boolean": True}
    assert _converted(_wrapper(endpoint, ASK_FALSE, method, JSON))["boolean"] is False


@pytest.mark.parametrize("method", METHODS)
def test_sparqlwrapper_ask_xml(endpoint: str, method: str) -> None:
    for query, expected in ((ASK_TRUE, "true"), (ASK_FALSE, "false")):
        document = _converted(_wrapper(endpoint, query, method, XML))
        assert document.documentElement.tagName == "sparql"
        assert not document.getElementsByTagName("result")
        (boolean,) = document.getElementsByTagName("boolean")
        assert _xml_text(boolean) == expected


# SPARQLWrapper has no N-Triples constant: ask for it by content negotiation alone; convert() then returns
# the text, as it does for Turtle. RDF/XML and JSON-LD come back already parsed into an rdflib Graph.
GRAPH_FORMATS = {
    "turtle": TURTLE,
    "ntriples": TURTLE,
    "rdfxml": RDFXML,
    "xml": XML,  # SPARQLWrapper's default format; for CONSTRUCT and DESCRIBE it means RDF/XML
    "jsonld": JSONLD,
}
MEDIA_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "xml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}


def _graph_of(converted: Any, name: str) -> Graph:
    if isinstance(converted, Graph):
        assert name in ("rdfxml", "xml", "jsonld")
        return converted
    text = converted.decode("utf-8")
    if name == "ntriples":
        lines = text.splitlines()
        assert lines and all(line.startswith(("<", "_:")) and line.endswith(" .") for line in lines)
        return Graph().parse(data=text, format="nt")
    assert text.startswith("@prefix") or text.startswith("PREFIX")
    return Graph().parse(data=text, format="turtle")


def _graph_query(endpoint: str, query: str, method: str, name: str, only_conneg: bool) -> Graph:
    wrapper = _wrapper(endpoint, query, method, GRAPH_FORMATS[name])
    if name == "ntriples":
        wrapper.addCustomHttpHeader("Accept", MEDIA_TYPES[name])
    wrapper.setOnlyConneg(only_conneg or name == "ntriples")
    result = wrapper.query()
    try:
        assert result.response.status == 200
        assert result.info()["content-type"].split(";")[0] == MEDIA_TYPES[name]
        return _graph_of(result.convert(), name)
    finally:
        result.response.close()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", list(GRAPH_FORMATS))
def test_sparqlwrapper_construct(endpoint: str, method: str, name: str) -> None:
    """Plain SPARQLWrapper use: setReturnFormat and nothing else."""
    graph = _graph_query(endpoint, CONSTRUCT_INITIATIVES, method, name, only_conneg=False)
    assert set(graph) == _expected_construct()


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", list(GRAPH_FORMATS))
def test_sparqlwrapper_describe(endpoint: str, dump: Graph, method: str, name: str) -> None:
    graph = _graph_query(endpoint, DESCRIBE_KNOWN, method, name, only_conneg=False)
    assert set(graph) == set(dump.triples((KNOWN_IRI, None, None)))
    assert graph.value(KNOWN_IRI, RDFS.label) == Literal(KNOWN["label_de"], lang="de")
    assert graph.value(KNOWN_IRI, RDF.type) == CLUSTER.ClusterInitiative
    assert graph.value(KNOWN_IRI, URIRef("http://xmlns.com/foaf/0.1/homepage")) == URIRef(KNOWN["homepage"])
    assert graph.value(KNOWN_IRI, URIRef("https://schema.org/location")) == URIRef(
        f"{BASE}id/place/{KNOWN['place']}"
    )


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", GRAPH_FORMATS)
def test_sparqlwrapper_graph_formats_by_content_negotiation(endpoint: str, method: str, name: str) -> None:
    """Every graph format arrives when SPARQLWrapper relies on the Accept header alone (setOnlyConneg)."""
    construct = _graph_query(endpoint, CONSTRUCT_INITIATIVES, method, name, only_conneg=True)
    assert set(construct) == _expected_construct()
    describe = _graph_query(endpoint, DESCRIBE_KNOWN, method, name, only_conneg=True)
    assert (KNOWN_IRI, RDFS.label, Literal(KNOWN["label_de"], lang="de")) in describe
    assert set(describe.subjects()) == {KNOWN_IRI}


# ---------------------------------------------------------------------------------------------------------
# rdflib's SPARQLStore

STORE_OPTIONS = [
    pytest.param("GET", "xml", id="GET-xml"),
    pytest.param("GET", "json", id="GET-json"),
    pytest.param("POST", "json", id="POST-json"),
    pytest.param("POST_FORM", "xml", id="POST_FORM-xml"),
]


def _store_graph(endpoint: str, method: str, return_format: str) -> Graph:
    return Graph(store=SPARQLStore(endpoint, method=method, returnFormat=return_format))


@pytest.mark.parametrize(("method", "return_format"), STORE_OPTIONS)
def test_sparqlstore_select(endpoint: str, method: str, return_format: str) -> None:
    graph = _store_graph(endpoint, method, return_format)
    result = graph.query(
        """SELECT ?kind (COUNT(?initiative) AS ?n) WHERE {
             ?initiative a ?kind . ?kind rdfs:subClassOf+ cluster:ClusterOrganisation
           } GROUP BY ?kind""",
        initNs={"rdfs": RDFS, "cluster": CLUSTER},
    )
    counts = {row.kind: row.n for row in result}  # type: ignore[union-attr]
    expected = Counter(_class_of(row["kind"]) for row in INITIATIVES)
    assert {kind: n.toPython() for kind, n in counts.items()} == dict(expected)
    assert all(n.datatype == XSD.integer for n in counts.values())

    labels = graph.query(
        "SELECT ?label WHERE { ?initiative rdfs:label ?label }",
        initNs={"rdfs": RDFS},
        initBindings={"initiative": KNOWN_IRI},
    )
    assert [row.label for row in labels] == [Literal(KNOWN["label_de"], lang="de")]  # type: ignore[union-attr]


@pytest.mark.parametrize(("method", "return_format"), STORE_OPTIONS)
def test_sparqlstore_triples(endpoint: str, method: str, return_format: str) -> None:
    graph = _store_graph(endpoint, method, return_format)
    assert set(graph.triples((KNOWN_IRI, RDFS.label, None))) == {
        (KNOWN_IRI, RDFS.label, Literal(KNOWN["label_de"], lang="de"))
    }
    assert set(graph.subjects(RDF.type, CLUSTER.ClusterInitiative)) == {
        URIRef(_iri(row)) for row in CLUSTER_INITIATIVES
    }
    founded = {s: o for s, o in graph.subject_objects(URIRef("https://schema.org/foundingDate"))}
    for row in CLUSTER_INITIATIVES:
        expected = _founded(row)
        assert founded.get(URIRef(_iri(row))) == expected
        if expected is not None:
            assert founded[URIRef(_iri(row))].datatype == expected.datatype


@pytest.mark.parametrize(("method", "return_format"), STORE_OPTIONS)
def test_sparqlstore_len_and_ask(endpoint: str, dump: Graph, method: str, return_format: str) -> None:
    graph = _store_graph(endpoint, method, return_format)
    assert len(graph) == len(dump) > 1000
    assert (KNOWN_IRI, RDF.type, CLUSTER.ClusterInitiative) in graph
    assert (KNOWN_IRI, RDF.type, CLUSTER.StateAgency) not in graph
    assert graph.query(ASK_TRUE).askAnswer is True
    assert graph.query(ASK_FALSE).askAnswer is False


# ---------------------------------------------------------------------------------------------------------
# Comunica (npm @comunica/query-sparql, installed into tests/comunica/node_modules by `make test`)


def _comunica(source: str, query: str, media_type: str) -> str:
    if shutil.which("node") is None or not COMUNICA.exists():
        pytest.fail(
            f"Comunica is not installed: run `make {COMUNICA_DIR.relative_to(PROJECT)}/node_modules/"
            ".package-lock.json` (needs Node.js >= 20.18.1 and npm)"
        )
    done = subprocess.run(
        [str(COMUNICA), source, "-t", media_type, query],
        cwd=COMUNICA_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_comunica_select_keeps_language_tags_and_datatypes(endpoint: str) -> None:
    answer = json.loads(
        _comunica(f"sparql@{endpoint}", SELECT_INITIATIVES, "application/sparql-results+json")
    )
    assert answer["head"]["vars"] == ["initiative", "label", "founded"]
    rows = answer["results"]["bindings"]
    assert [(row["initiative"]["value"], row["label"]["value"]) for row in rows] == [
        (iri, label) for iri, label, _ in EXPECTED_ROWS
    ]
    for row, (_, _, founded) in zip(rows, EXPECTED_ROWS, strict=True):
        assert row["initiative"]["type"] == "uri"
        assert row["label"]["type"] == "literal"
        assert row["label"]["xml:lang"] == "de"
        if founded is None:
            assert "founded" not in row
        else:
            assert (row["founded"]["value"], row["founded"]["datatype"]) == (
                str(founded),
                str(founded.datatype),
            )


def test_comunica_finds_the_endpoint_through_its_service_description(endpoint: str) -> None:
    """Without the sparql@ hint, Comunica reads the service description to learn that this is an endpoint."""
    query = PREFIXES + "SELECT (COUNT(?i) AS ?n) WHERE { ?i a cluster:ClusterInitiative }"
    answer = json.loads(_comunica(endpoint, query, "application/sparql-results+json"))
    (row,) = answer["results"]["bindings"]
    assert row["n"] == {
        "type": "literal",
        "value": str(len(CLUSTER_INITIATIVES)),
        "datatype": str(XSD.integer),
    }


def test_comunica_ask_and_construct(endpoint: str) -> None:
    ask_true = json.loads(_comunica(f"sparql@{endpoint}", ASK_TRUE, "application/sparql-results+json"))
    ask_false = json.loads(_comunica(f"sparql@{endpoint}", ASK_FALSE, "application/sparql-results+json"))
    assert (ask_true["boolean"], ask_false["boolean"]) == (True, False)
    ntriples = _comunica(f"sparql@{endpoint}", CONSTRUCT_INITIATIVES, "application/n-triples")
    assert set(Graph().parse(data=ntriples, format="nt")) == _expected_construct()


def test_comunica_is_pinned_by_the_lockfile() -> None:
    package = json.loads((COMUNICA_DIR / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((COMUNICA_DIR / "package-lock.json").read_text(encoding="utf-8"))
    assert package["dependencies"]["@comunica/query-sparql"] == "5.4.1"
    assert lock["packages"]["node_modules/@comunica/query-sparql"]["version"] == "5.4.1"
    # Comunica 5 asks for undici 8, which needs Node >= 22; the override keeps it working on Node 20.
    assert lock["packages"]["node_modules/undici"]["version"].startswith("7.")
