"""Values written into SPARQL text, as the engine reads them: strings and IRIs escaped by pyoxigraph."""

from __future__ import annotations

import pyoxigraph as ox


def sparql_string(text: str) -> str:
    """``text`` as a SPARQL string literal, quotes and line breaks escaped."""
    return str(ox.Literal(text))


def sparql_iri(iri: str) -> str:
    """``iri`` as a SPARQL IRI reference (``<...>``); ValueError when it is not a valid IRI."""
    return str(ox.NamedNode(iri))
