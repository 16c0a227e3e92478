"""The W3C SPARQL 1.1 Protocol and Service Description test suites, run over HTTP against the real server.

Every entry of rdf-tests' ``sparql/sparql11/protocol/manifest.jsonld`` (34 of them) is one case below,
named as in the manifest, with the requests the manifest gives: method, path, content type and body. Paths in
the manifest start with ``/sparql/``; ours is ``{base}sparql``, without the trailing slash.

Where this endpoint differs from the manifest on purpose: it is read-only, so every update (the
``update_*`` cases and the updates in ``bad_update_*``) must be refused with a 4xx. When a case goes on to ask
whether the update took effect, that ASK must still be answered (2xx) and say ``false``: the refused update
changed nothing.

The dataset cases name the graphs data1.nt .. data3.nt as ``http://kasei.us/2009/09/sparql/data/dataN.rdf``;
tests/fixtures/protocol-graphs.nq holds them as named graphs of the release's store.

The three service-description tests (``sparql/sparql11/service-description/manifest.jsonld``) check the RDF a
GET on the endpoint without a query returns.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from rdflib.query import Result

from publisher.build import run_pipeline
from publisher.settings import Settings
from tests.conftest import BASE
from tests.server import add_named_graphs, running_server

FIXTURES = Path(__file__).parent / "fixtures"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"

# The graph IRIs http://kasei.us/2009/09/sparql/data/dataN.rdf, percent-encoded as in the manifest's paths.
DATA = "http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2F"
DATA_IRI = "http://kasei.us/2009/09/sparql/data/"

# Media types a client may get for each result form, and the rdflib parser for each.
BOOLEAN_TYPES = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml"}
TABULAR_TYPES = {**BOOLEAN_TYPES, "text/csv": "csv", "text/tab-separated-values": "tsv"}
# The manifest also allows RDFa; rdflib cannot read it, so an RDFa answer would fail here.
RDF_TYPES = {"application/rdf+xml": "xml", "text/turtle": "turtle", "application/n-triples": "nt"}


@dataclass(frozen=True)
class Step:
    """One request of a manifest entry and the response the manifest expects for it."""

    method: str
    path: str  # as in the manifest: /sparql/ or /sparql/?...
    body: str | None = None
    content_type: str | None = None
    charset: str = "utf-8"  # how the body is encoded
    status: str = "2xx"  # the manifest's "2xx or 3xx", or "4xx"
    result: str | None = None  # "boolean", "tabular" or "RDF"
    boolean: bool | None = None
    update: bool = False  # a SPARQL Update: this read-only endpoint must refuse it with a 4xx
    # Beyond the manifest, what the step's query must give: the rows of a SELECT, the size of a CONSTRUCT.
    rows: tuple[tuple[str, ...], ...] | None = None
    triples: int | None = None


def ask_true(method: str, path: str, body: str | None = None, content_type: str | None = None) -> Step:
    return Step(method, path, body, content_type, result="boolean", boolean=True)


def update(path: str, body: str, content_type: str = UPDATE, charset: str = "utf-8") -> Step:
    """An update the manifest expects to succeed (2xx); this read-only endpoint must refuse it."""
    return Step("POST", path, body, content_type, charset, update=True)


def bad_update(path: str, body: str, content_type: str | None = UPDATE, charset: str = "utf-8") -> Step:
    """A malformed update POST the manifest expects to be refused (4xx)."""
    return Step("POST", path, body, content_type, charset, status="4xx", update=True)


def refused(method: str, path: str, body: str | None = None, content_type: str | None = None) -> Step:
    return Step(method, path, body, content_type, status="4xx")


UPDATE_DATASET_DEFAULT_GRAPH = """PREFIX dc: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
CLEAR ALL ;
INSERT DATA {
    GRAPH <http://kasei.us/2009/09/sparql/data/data1.rdf> {
        <http://kasei.us/2009/09/sparql/data/data1.rdf> a foaf:Document
    }
} ;
INSERT {
    GRAPH <http://example.org/protocol-update-dataset-test/> {
        ?s a dc:BibliographicResource
    }
}
WHERE {
    ?s a foaf:Document
}"""

# The DROP ALL and INSERT DATA that the update_dataset_{default_graphs,named_graphs,full} cases begin with.
THREE_DOCUMENTS = """PREFIX dc: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
DROP ALL ;
INSERT DATA {
    GRAPH <http://kasei.us/2009/09/sparql/data/data1.rdf> { <http://kasei.us/2009/09/sparql/data/data1.rdf> a foaf:Document }
    GRAPH <http://kasei.us/2009/09/sparql/data/data2.rdf> { <http://kasei.us/2009/09/sparql/data/data2.rdf> a foaf:Document }
    GRAPH <http://kasei.us/2009/09/sparql/data/data3.rdf> { <http://kasei.us/2009/09/sparql/data/data3.rdf> a foaf:Document }
} ;
"""  # noqa: E501 (the manifest's own lines)


def two_but_not_third(graph: str) -> str:
    """The follow-up ASK of update_dataset_default_graphs and update_dataset_named_graphs."""
    return f"""ASK {{
    GRAPH <{graph}> {{
        <http://kasei.us/2009/09/sparql/data/data1.rdf> a <http://purl.org/dc/terms/BibliographicResource> .
        <http://kasei.us/2009/09/sparql/data/data2.rdf> a <http://purl.org/dc/terms/BibliographicResource> .
    }}
    FILTER NOT EXISTS {{
        GRAPH <{graph}> {{
            <{DATA_IRI}data3.rdf> a <http://purl.org/dc/terms/BibliographicResource> .
        }}
    }}
}}"""


CASES: dict[str, tuple[Step, ...]] = {
    "query_post_form": (
        ask_true("POST", f"/sparql/?default-graph-uri={DATA}data0.rdf", "query=ASK%20%7B%7D", FORM),
    ),
    "query_dataset_default_graphs_get": (
        ask_true(
            "GET",
            "/sparql/?query=ASK%20%7B%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf%3E"
            "%20a%20%3Ftype%20.%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf%3E"
            "%20a%20%3Ftype%20.%20%7D"
            f"&default-graph-uri={DATA}data1.rdf&default-graph-uri={DATA}data2.rdf",
        ),
    ),
    "query_dataset_default_graphs_post": (
        ask_true(
            "POST",
            f"/sparql/?default-graph-uri={DATA}data1.rdf&default-graph-uri={DATA}data2.rdf",
            "ASK { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type . "
            "<http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type . }",
            QUERY,
        ),
    ),
    "query_dataset_named_graphs_post": (
        ask_true(
            "POST",
            f"/sparql/?named-graph-uri={DATA}data1.rdf&named-graph-uri={DATA}data2.rdf",
            "ASK { GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type } "
            "GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type } }",
            QUERY,
        ),
    ),
    "query_dataset_named_graphs_get": (
        ask_true(
            "GET",
            "/sparql/?query=ASK%20%7B%20GRAPH%20%3Fg1%20%7B%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql"
            "%2Fdata%2Fdata1.rdf%3E%20a%20%3Ftype%20%7D%20GRAPH%20%3Fg2%20%7B%20%3Chttp%3A%2F%2Fkasei.us"
            "%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf%3E%20a%20%3Ftype%20%7D%20%7D"
            f"&named-graph-uri={DATA}data1.rdf&named-graph-uri={DATA}data2.rdf",
        ),
    ),
    "query_dataset_full": (
        ask_true(
            "POST",
            f"/sparql/?default-graph-uri={DATA}data3.rdf"
            f"&named-graph-uri={DATA}data1.rdf&named-graph-uri={DATA}data2.rdf",
            "ASK {\n  <http://kasei.us/2009/09/sparql/data/data3.rdf> a ?type\n"
            "  GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type }\n"
            "  GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type }\n}",
            QUERY,
        ),
    ),
    "query_multiple_dataset": (
        ask_true(
            "POST",
            f"/sparql/?named-graph-uri={DATA}data1.rdf&named-graph-uri={DATA}data2.rdf",
            "ASK FROM <http://kasei.us/2009/09/sparql/data/data3.rdf> "
            "{ GRAPH ?g1 { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?type } "
            "GRAPH ?g2 { <http://kasei.us/2009/09/sparql/data/data2.rdf> a ?type } }",
            QUERY,
        ),
    ),
    "query_get": (ask_true("GET", f"/sparql/?query=ASK%20%7B%7D&default-graph-uri={DATA}data0.rdf"),),
    "query_content_type_select": (
        Step(
            "POST",
            f"/sparql/?default-graph-uri={DATA}data0.rdf",
            "SELECT (1 AS ?value) {}",
            QUERY,
            result="tabular",
            rows=(("1",),),
        ),
    ),
    "query_content_type_ask": (
        Step("POST", f"/sparql/?default-graph-uri={DATA}data0.rdf", "ASK {}", QUERY, result="boolean"),
    ),
    "query_content_type_describe": (
        Step(
            "POST",
            f"/sparql/?default-graph-uri={DATA}data0.rdf",
            "DESCRIBE <http://example.org/>",
            QUERY,
            result="RDF",
        ),
    ),
    "query_content_type_construct": (
        Step(
            "POST",
            f"/sparql/?default-graph-uri={DATA}data0.rdf",
            "CONSTRUCT { <s> <p> 1 } WHERE {}",
            QUERY,
            result="RDF",
            triples=1,
        ),
    ),
    "update_dataset_default_graph": (
        update(f"/sparql/?using-graph-uri={DATA}data1.rdf", UPDATE_DATASET_DEFAULT_GRAPH),
        ask_true(
            "POST",
            "/sparql/",
            "ASK {\n    GRAPH <http://example.org/protocol-update-dataset-test/> {\n"
            "        <http://kasei.us/2009/09/sparql/data/data1.rdf> a "
            "<http://purl.org/dc/terms/BibliographicResource>\n    }\n}",
            QUERY,
        ),
    ),
    "update_dataset_default_graphs": (
        update(
            f"/sparql/?using-graph-uri={DATA}data1.rdf&using-graph-uri={DATA}data2.rdf",
            THREE_DOCUMENTS
            + "INSERT {\n    GRAPH <http://example.org/protocol-update-dataset-graphs-test/> {\n"
            "        ?s a dc:BibliographicResource\n    }\n}\nWHERE {\n    ?s a foaf:Document\n}",
        ),
        ask_true(
            "POST",
            "/sparql/",
            two_but_not_third("http://example.org/protocol-update-dataset-graphs-test/"),
            QUERY,
        ),
    ),
    "update_dataset_named_graphs": (
        update(
            f"/sparql/?using-named-graph-uri={DATA}data1.rdf&using-named-graph-uri={DATA}data2.rdf",
            THREE_DOCUMENTS
            + "INSERT {\n    GRAPH <http://example.org/protocol-update-dataset-named-graphs-test/> {\n"
            "        ?s a dc:BibliographicResource\n    }\n}\nWHERE {\n    GRAPH ?g {\n"
            "        ?s a foaf:Document\n    }\n}",
        ),
        ask_true(
            "POST",
            "/sparql/",
            two_but_not_third("http://example.org/protocol-update-dataset-named-graphs-test/"),
            QUERY,
        ),
    ),
    "update_dataset_full": (
        update(
            f"/sparql/?using-graph-uri={DATA}data1.rdf&using-named-graph-uri={DATA}data2.rdf",
            THREE_DOCUMENTS
            + "INSERT {\n    GRAPH <http://example.org/protocol-update-dataset-full-test/> {\n"
            "        ?s <http://example.org/in> ?in\n    }\n}\nWHERE {\n    {\n"
            "        GRAPH ?g { ?s a foaf:Document }\n        BIND(?g AS ?in)\n    }\n    UNION\n    {\n"
            '        ?s a foaf:Document .\n        BIND("default" AS ?in)\n    }\n}',
        ),
        ask_true(
            "POST",
            "/sparql/",
            "ASK {\n    GRAPH <http://example.org/protocol-update-dataset-full-test/> {\n"
            '        <http://kasei.us/2009/09/sparql/data/data1.rdf> <http://example.org/in> "default" .\n'
            "        <http://kasei.us/2009/09/sparql/data/data2.rdf> <http://example.org/in> "
            "<http://kasei.us/2009/09/sparql/data/data2.rdf> .\n    }\n    FILTER NOT EXISTS {\n"
            "        GRAPH <http://example.org/protocol-update-dataset-full-test/> {\n"
            "            <http://kasei.us/2009/09/sparql/data/data3.rdf> ?p ?o\n        }\n    }\n}",
            QUERY,
        ),
    ),
    "update_post_form": (update("/sparql/", "update=CLEAR+ALL", FORM),),
    "update_post_direct": (update("/sparql/", "CLEAR ALL"),),
    "update_base_uri": (
        update(
            "/sparql/",
            "CLEAR SILENT GRAPH <http://example.org/protocol-base-test/> ;\n"
            "INSERT DATA { GRAPH <http://example.org/protocol-base-test/> "
            "{ <http://example.org/s> <http://example.org/p> <test> } }",
        ),
        ask_true(
            "POST",
            "/sparql/",
            "ASK {\n    GRAPH <http://example.org/protocol-base-test/> {\n"
            "        <http://example.org/s> <http://example.org/p> ?o\n"
            '        FILTER (isIRI(?o) && STR(?o) != "test")\n    }\n}',
            QUERY,
        ),
    ),
    "query_post_direct": (ask_true("POST", "/sparql/", "ASK {}", QUERY),),
    "bad_query_method": (
        refused("PUT", f"/sparql/?query=ASK%20%7B%7D&default-graph-uri={DATA}data0.rdf", content_type=FORM),
    ),
    "bad_multiple_queries": (refused("GET", "/sparql/?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D"),),
    "bad_query_wrong_media_type": (refused("POST", "/sparql/", "ASK {}", "text/plain"),),
    "bad_query_missing_form_type": (refused("POST", "/sparql/", "query=ASK%20%7B%7D"),),
    "bad_query_missing_direct_type": (refused("POST", "/sparql/", "ASK {}"),),
    "bad_query_non_utf8": (
        Step("POST", "/sparql/", "ASK {}", "application/sparql-query; charset=UTF-16", "utf-16", "4xx"),
    ),
    "bad_query_syntax": (refused("GET", "/sparql/?query=ASK%20%7B"),),
    "bad_update_get": (Step("GET", "/sparql/?update=CLEAR%20ALL", status="4xx", update=True),),
    "bad_multiple_updates": (bad_update("/sparql/", "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", FORM),),
    "bad_update_wrong_media_type": (bad_update("/sparql/", "CLEAR NAMED", "text/plain"),),
    "bad_update_missing_form_type": (bad_update("/sparql/", "update=CLEAR%20NAMED", None),),
    "bad_update_non_utf8": (
        bad_update("/sparql/", "CLEAR NAMED", "application/sparql-update; charset=UTF-16", "utf-16"),
    ),
    "bad_update_syntax": (bad_update("/sparql/", "update=CLEAR%20XYZ", FORM),),
    "bad_update_dataset_conflict": (
        bad_update(
            "/sparql/?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople",
            "PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
            "DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }\n"
            "WHERE {\n    ?person foaf:givenName 'Bill'\n}",
        ),
    ),
}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server for the module: a release of the minimal dataset plus the protocol suite's named graphs."""
    folder = tmp_path_factory.mktemp("protocol")
    data_dir = folder / "data"
    shutil.copytree(FIXTURES / "minimal", data_dir)
    settings = Settings(data_dir=data_dir, releases_dir=folder / "releases")
    release = run_pipeline(settings, release=True).release
    assert release is not None
    add_named_graphs(release.folder / "store", (FIXTURES / "protocol-graphs.nq").read_text(encoding="utf-8"))
    with running_server(settings.releases_dir, data_dir) as url:
        yield url


def url_of(root: str, path: str) -> str:
    """The manifest's ``/sparql/`` and ``/sparql/?...`` as our ``{root}sparql`` and ``{root}sparql?...``."""
    assert path.startswith("/sparql/")
    rest = path.removeprefix("/sparql/")
    return f"{root}sparql{rest}"


def send(root: str, step: Step) -> requests.Response:
    headers = {"Content-Type": step.content_type} if step.content_type else {}
    body = step.body.encode(step.charset) if step.body is not None else None
    return requests.request(
        step.method, url_of(root, step.path), data=body, headers=headers, timeout=60, allow_redirects=False
    )


def media_type(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def check_result(response: requests.Response, step: Step, boolean: bool | None, where: str) -> None:
    """The body carries the result form the manifest expects, in a media type fit for it, and parses."""
    kind = media_type(response)
    if step.result == "boolean":
        assert kind in BOOLEAN_TYPES, f"{where}: {kind!r} cannot carry a boolean result"
        result = Result.parse(io.BytesIO(response.content), format=BOOLEAN_TYPES[kind])
        assert result.type == "ASK", f"{where}: not a boolean result: {response.text[:300]}"
        assert isinstance(result.askAnswer, bool)
        if boolean is not None:
            assert result.askAnswer is boolean, f"{where}: ASK answered {result.askAnswer}, not {boolean}"
    elif step.result == "tabular":
        assert kind in TABULAR_TYPES, f"{where}: {kind!r} cannot carry a table of solutions"
        result = Result.parse(io.BytesIO(response.content), format=TABULAR_TYPES[kind])
        assert result.type == "SELECT", f"{where}: not a table of solutions: {response.text[:300]}"
        if step.rows is not None:
            rows = tuple(tuple(str(value) for value in row) for row in result)
            assert rows == step.rows, f"{where}: solutions {rows}, not {step.rows}"
    elif step.result == "RDF":
        assert kind in RDF_TYPES, f"{where}: {kind!r} is not one of the RDF media types {sorted(RDF_TYPES)}"
        graph = Graph().parse(data=response.content, format=RDF_TYPES[kind])
        if step.triples is not None:
            assert len(graph) == step.triples, f"{where}: {len(graph)} triples, not {step.triples}"
            assert all(isinstance(s, URIRef) and s.startswith("http") for s in graph.subjects())
            assert {o.toPython() for o in graph.objects() if isinstance(o, Literal)} == {1}


@pytest.mark.parametrize("name", list(CASES), ids=list(CASES))
def test_protocol(root: str, name: str) -> None:
    refused_update = False
    for number, step in enumerate(CASES[name], start=1):
        where = f"{name}, request {number}: {step.method} {step.path}"
        with send(root, step) as response:
            status = response.status_code
            kind = response.headers.get("Content-Type")
            answer = f"{where}: answered {status} {kind}: {response.text[:300]}"
            if step.update:
                assert 400 <= status < 500, f"the read-only endpoint must refuse an update with 4xx; {answer}"
                refused_update = True
            elif step.status == "4xx":
                assert 400 <= status < 500, answer
            else:
                assert 200 <= status < 300, answer
                # After a refused update, the state the manifest's ASK looks for was never written.
                boolean = False if refused_update and step.boolean is not None else step.boolean
                check_result(response, step, boolean, where)


def test_the_suite_is_complete() -> None:
    """34 entries, in the manifest's order from query_post_form to bad_update_dataset_conflict."""
    assert len(CASES) == 34
    names = list(CASES)
    assert names[0] == "query_post_form" and names[-1] == "bad_update_dataset_conflict"
    assert all(name.startswith(("query_", "update_", "bad_")) for name in CASES)


# The service description: GET on the endpoint, without a query, asking for RDF.
SD_ACCEPT = {
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
}
SPARQL_LANGUAGES = {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}


def described(endpoint: str, accept: str = "text/turtle") -> Graph:
    with requests.get(endpoint, headers={"Accept": accept}, timeout=30, allow_redirects=False) as response:
        assert response.status_code == 200, f"GET {endpoint} ({accept}): {response.status_code}"
        assert media_type(response) == accept, f"asked for {accept}, got {response.headers['Content-Type']}"
        return Graph().parse(data=response.content, format=SD_ACCEPT[accept])


def returns_rdf(endpoint: str) -> None:
    for accept in SD_ACCEPT:
        graph = described(endpoint, accept)
        assert len(graph) > 0, f"the service description in {accept} is empty"


def has_endpoint_triple(endpoint: str) -> None:
    """The endpoint under the configured base names itself (the address this test used is a local one; the
    request's Host never goes into an answer)."""
    graph = described(endpoint)
    named = f"{BASE}sparql"
    services = set(graph.subjects(SD.endpoint, URIRef(named)))
    assert services, f"no ?service sd:endpoint <{named}>"
    assert not set(graph.subjects(SD.endpoint, URIRef(endpoint))), "the request's own address was echoed"
    assert all((service, RDF.type, SD.Service) in graph for service in services)


def conforms_to_schema(endpoint: str) -> None:
    graph = described(endpoint)
    for named in graph.subjects(RDF.type, SD.NamedGraph):
        assert graph.value(named, SD.name) is not None, f"sd:NamedGraph {named} has no sd:name"
    services = set(graph.subjects(RDF.type, SD.Service))
    assert services, "no sd:Service"
    for prop in (SD.endpoint, SD.supportedLanguage, SD.resultFormat, SD.feature, SD.defaultDataset):
        for subject in graph.subjects(prop, None):
            assert subject in services, f"{subject} has {prop} but is not typed sd:Service"
    for prop in (SD.endpoint, SD.resultFormat, SD.supportedLanguage):
        assert all(isinstance(value, URIRef) for value in graph.objects(None, prop)), f"{prop} takes IRIs"
    languages = set(graph.objects(None, SD.supportedLanguage))
    assert languages & SPARQL_LANGUAGES, f"no recognised sd:supportedLanguage among {languages}"
    assert SD.SPARQL11Update not in languages, "a read-only endpoint must not claim SPARQL 1.1 Update"
    for dataset in graph.objects(None, SD.defaultDataset):
        assert (dataset, RDF.type, SD.Dataset) in graph
        graphs = [*graph.objects(dataset, SD.defaultGraph), *graph.objects(dataset, SD.namedGraph)]
        assert graphs, f"the dataset {dataset} has neither a default nor a named graph"
    for default_graph in graph.objects(None, SD.defaultGraph):
        assert (default_graph, RDF.type, SD.Graph) in graph
    for named in graph.objects(None, SD.namedGraph):
        assert (named, RDF.type, SD.NamedGraph) in graph


SERVICE_DESCRIPTION_TESTS: dict[str, Callable[[str], None]] = {
    "has-endpoint-triple": has_endpoint_triple,
    "returns-rdf": returns_rdf,
    "conforms-to-schema": conforms_to_schema,
}


@pytest.mark.parametrize("name", list(SERVICE_DESCRIPTION_TESTS), ids=list(SERVICE_DESCRIPTION_TESTS))
def test_service_description(root: str, name: str) -> None:
    SERVICE_DESCRIPTION_TESTS[name](f"{root}sparql")
