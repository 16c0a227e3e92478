"""Stage 3, validate: the mapped graph is checked against shapes/ and ontology/; violations stop a build."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, Namespace
from rdflib.term import Node

from publisher.map import Mapping, Origin
from publisher.uris import UriScheme
from publisher.validate_parallel import can_split, validate_split

log = logging.getLogger(__name__)

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES_FILE = Path(__file__).resolve().parent.parent / "shapes" / "cluster-shapes.ttl"


@dataclass(frozen=True)
class Violation:
    """One SHACL result: what failed, where in the graph and which source row the node came from."""

    focus: str
    path: str
    message: str
    constraint: str
    severity: str
    value: str
    origin: Origin | None

    def __str__(self) -> str:
        where = f"{self.origin}: " if self.origin else ""
        path = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value else ""
        return f"{where}<{self.focus}>{path}: {self.message}{value} [{self.constraint}]"


@dataclass
class ValidationReport:
    """The outcome of validation: the report graph and the violations listed in it."""

    conforms: bool
    graph: Graph
    violations: list[Violation]


def load_shapes(uris: UriScheme) -> Graph:
    """The shapes graph, its relative IRIs resolved against ``{base}def/cluster/shapes``."""
    graph = Graph()
    graph.parse(SHAPES_FILE, format="turtle", publicID=str(uris.shapes))
    return graph


def validate_mapping(mapping: Mapping, uris: UriScheme) -> ValidationReport:
    """Validate the mapped graph; failed validation is returned as data, never raised.

    A large graph is validated in two processes with half of the shapes each (validate_parallel).
    """
    shapes = load_shapes(uris)
    if can_split(mapping.graph):
        conforms, report_graph = validate_split(mapping.graph, shapes)
    else:
        conforms, report_graph, _ = shacl_validate(
            mapping.graph, shacl_graph=shapes, inference="none", abort_on_first=False, allow_warnings=False
        )
    assert isinstance(report_graph, Graph)  # noqa: S101 - pyshacl returns a Graph for Graph input
    violations = [
        _violation(report_graph, result, mapping.origins)
        for result in report_graph.subjects(SH.resultSeverity, None)
    ]
    violations.sort(key=lambda v: (str(v.origin or ""), v.focus, v.path))
    log.info("validated %d triples: %d violation(s)", len(mapping.graph), len(violations))
    return ValidationReport(bool(conforms), report_graph, violations)


def _violation(report: Graph, result: Node, origins: dict[Node, Origin]) -> Violation:
    def one(predicate: Node) -> Node | None:
        return report.value(result, predicate)

    focus = one(SH.focusNode)
    message = one(SH.resultMessage)
    return Violation(
        focus=str(focus),
        path=_short(one(SH.resultPath)),
        message=str(message) if isinstance(message, Literal) else "",
        constraint=_short(one(SH.sourceConstraintComponent)),
        severity=_short(one(SH.resultSeverity)),
        value=str(one(SH.value) or ""),
        origin=origins.get(focus) if focus is not None else None,
    )


def _short(node: Node | None) -> str:
    if node is None:
        return ""
    text = str(node)
    for separator in ("#", "/"):
        if separator in text:
            return text.rsplit(separator, 1)[-1]
    return text
