"""Compare graphs by isomorphism, failing with a readable diff of what is only in one of them."""

from __future__ import annotations

from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic


def assert_isomorphic(actual: Graph, expected: Graph, limit: int = 20) -> None:
    iso_actual, iso_expected = to_isomorphic(actual), to_isomorphic(expected)
    if iso_actual == iso_expected:
        return
    _, only_actual, only_expected = graph_diff(iso_actual, iso_expected)
    lines = ["graphs differ"]
    lines += [f"  only in actual:   {t}" for t in sorted(only_actual, key=str)[:limit]]
    lines += [f"  only in expected: {t}" for t in sorted(only_expected, key=str)[:limit]]
    raise AssertionError("\n".join(lines))
