"""GovData's two DCAT-AP.de validation profiles, put together offline as its validator puts them together.

The shapes lie in tests/fixtures/vendor-shapes (its README names each file's source and licence): 3.0 is the
EU DCAT-AP 3.0.0 shapes plus the German files; 2.0 "Spezifikation + Konventionen" is the DCAT-AP 2.1.1 shapes
plus the German files and conventions. The validator loads the controlled vocabularies through owl:imports;
offline, the data graph gets the licence and contributor concepts the tests use (``govdata-concepts.ttl``)
and a ``skos:inScheme`` stub for every EU authority-table or political geocoding value it uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH, SKOS

VENDOR = Path(__file__).resolve().parent / "fixtures" / "vendor-shapes"
PROFILE_FILES = {
    "3.0": (
        "dcat-ap/3.0.0/dcat-ap-SHACL.ttl",
        "dcat-ap-de/v3.0/dcat-ap-SHACL-DE.ttl",
        "dcat-ap-de/v3.0/dcat-ap-spec-german-additions.ttl",
        "dcat-ap-de/v3.0/dcat-ap-de-deprecated.ttl",
        "dcat-ap-de/v3.0/dcat-ap-de-controlledvocabularies.ttl",
    ),
    "2.0": (
        "dcat-ap-de/v2.0/dcat-ap_2.1.1_shacl_shapes.ttl",
        "dcat-ap-de/v2.0/dcat-ap-spec-german-messages.ttl",
        "dcat-ap-de/v2.0/dcat-ap-spec-german-additions.ttl",
        "dcat-ap-de/v2.0/dcat-ap-de-deprecated.ttl",
        "dcat-ap-de/v2.0/dcat-ap-konventionen.ttl",
    ),
}
CONCEPTS = "govdata-concepts.ttl"
TABLES = ("http://publications.europa.eu/resource/authority/", "http://dcat-ap.de/def/politicalGeocoding/")
# A contributor from GovData's list, only so that tests can exercise the 2.0 conventions' rule K12.
TEST_CONTRIBUTOR = "http://dcat-ap.de/def/contributors/govData"


@dataclass(frozen=True, order=True)
class Finding:
    severity: str
    focus: str
    path: str
    message: str


@cache
def shapes_of(profile: str) -> Graph:
    shapes = Graph()
    for name in PROFILE_FILES[profile]:
        shapes.parse(VENDOR / name, format="turtle")
    return shapes


@cache
def _vocabularies() -> Graph:
    return Graph().parse(VENDOR / CONCEPTS, format="turtle")


def with_vocabularies(data: Graph) -> Graph:
    """The data plus what the official validator would have imported for it."""
    graph = Graph()
    graph += data
    graph += _vocabularies()
    for value in set(data.objects()):
        if isinstance(value, URIRef) and str(value).startswith(TABLES):
            graph.add((value, RDF.type, SKOS.Concept))
            graph.add((value, SKOS.inScheme, URIRef(str(value).rsplit("/", 1)[0])))
    return graph


def findings(data: Graph, profile: str) -> list[Finding]:
    """Every result GovData's profile reports for ``data``: violations, warnings and infos."""
    _conforms, report, _text = validate(
        with_vocabularies(data), shacl_graph=shapes_of(profile), advanced=True, allow_warnings=True
    )
    assert isinstance(report, Graph)
    return sorted(
        Finding(
            severity=str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            focus=str(report.value(result, SH.focusNode)),
            path=str(report.value(result, SH.resultPath)),
            message=str(report.value(result, SH.resultMessage)),
        )
        for result in report.subjects(RDF.type, SH.ValidationResult)
    )
