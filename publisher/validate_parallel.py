"""Validate a large graph in two processes, each with about half of the shapes (pyshacl is single-threaded).

The graph reaches the child processes by fork (copy-on-write, no pickling); each child returns its part of
the report as N-Triples, and the parts are merged. Shapes are shared out by their expected cost: the number
of nodes they target times the number of their property shapes.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from pyshacl import validate as shacl_validate
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.term import Node

from publisher.sandbox import die_with_parent

SH = Namespace("http://www.w3.org/ns/shacl#")
PARALLEL_FROM_TRIPLES = 200_000  # below this, starting processes costs more than it saves

_shared: dict[str, Graph] = {}  # set before forking; the children read it


def can_split(graph: Graph) -> bool:
    return (
        len(graph) >= PARALLEL_FROM_TRIPLES
        and (os.cpu_count() or 1) >= 2
        and "fork" in multiprocessing.get_all_start_methods()
    )


def validate_split(graph: Graph, shapes: Graph, parts: int = 2) -> tuple[bool, Graph]:
    """Validate ``graph`` against ``shapes`` in ``parts`` forked processes; merge their reports."""
    groups = _share_out(graph, shapes, parts)
    _shared["data"], _shared["shapes"] = graph, shapes
    try:
        context = multiprocessing.get_context("fork")
        # the children die with this process, even when it is killed (forked from this, the main, thread)
        with ProcessPoolExecutor(
            max_workers=len(groups), mp_context=context, initializer=die_with_parent, initargs=(os.getpid(),)
        ) as pool:
            outcomes = list(pool.map(_validate_part, groups))
    finally:
        _shared.clear()
    report = Graph()
    for _, part in outcomes:
        report.parse(data=part, format="nt")
    return all(ok for ok, _ in outcomes), report


def _validate_part(shape_iris: list[str]) -> tuple[bool, str]:
    conforms, report, _ = shacl_validate(
        _shared["data"],
        shacl_graph=_shared["shapes"],
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
        use_shapes=shape_iris,
    )
    assert isinstance(report, Graph)  # noqa: S101 - pyshacl returns a Graph for Graph input
    return bool(conforms), report.serialize(format="nt")


def _share_out(graph: Graph, shapes: Graph, parts: int) -> list[list[str]]:
    """Largest cost first, each shape to the part with the least cost so far."""
    costs = []
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        if not isinstance(shape, URIRef):
            continue
        targets = sum(_count(graph, cls) for cls in shapes.objects(shape, SH.targetClass))
        targets += sum(1 for p in shapes.objects(shape, SH.targetSubjectsOf) for _ in graph.subjects(p, None))
        properties = 1 + sum(1 for _ in shapes.objects(shape, SH.property))
        costs.append((targets * properties, str(shape)))
    groups: list[list[str]] = [[] for _ in range(parts)]
    loads = [0] * parts
    for cost, shape_iri in sorted(costs, reverse=True):
        lightest = loads.index(min(loads))
        groups[lightest].append(shape_iri)
        loads[lightest] += cost
    return [group for group in groups if group]


def _count(graph: Graph, cls: Node) -> int:
    return sum(1 for _ in graph.subjects(RDF.type, cls))
