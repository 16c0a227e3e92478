"""The store seam: the only package that talks to pyoxigraph or to an external SPARQL server.

``embedded`` holds the release's Oxigraph store; ``remote`` asks an external SPARQL 1.1 server holding the
release in a named graph (``graphstore`` loads it there); ``describe`` answers "what do we know about this
IRI" for the documents about things. ``Store`` is what the web layer may ask of either.

A client's SPARQL query reaches the engine as a ``Job`` (``query_job``): ``query_run`` runs it on the embedded
store (inside the query worker, ``publisher.sparql.worker``), ``forward`` sends it to the external server,
and ``results`` writes either answer in the format the client asked for.
"""

from __future__ import annotations

from typing import Protocol

from publisher.store.describe import Description, DocumentFacts, Term
from publisher.store.embedded import DUMP_FORMATS, EmbeddedStore
from publisher.store.query_job import Job, Outcome
from publisher.store.remote import RemoteStore, RemoteStoreError
from publisher.store.terms import sparql_iri, sparql_string


class Store(Protocol):
    """A release's data, read-only: what the web layer asks of the embedded and the remote store alike."""

    def select(self, query: str) -> list[dict[str, str]]:
        """Rows of a SELECT query, each mapping variable names to lexical values; callers must not change
        them (small answers are remembered)."""
        ...

    def describe(
        self, thing: str, facts: DocumentFacts, page: int = 1, page_size: int = 100
    ) -> Description | None:
        """The content of the document about ``thing``; None when the release says nothing about it."""
        ...

    def knows(self, thing: str) -> bool:
        """Whether the release holds any statement about ``thing``."""
        ...

    def figures_about(self, thing: str, language: str) -> list[dict[str, str]]:
        """The figures (observations) about ``thing``."""
        ...


__all__ = [
    "DUMP_FORMATS",
    "Description",
    "DocumentFacts",
    "EmbeddedStore",
    "Job",
    "Outcome",
    "RemoteStore",
    "RemoteStoreError",
    "Store",
    "Term",
    "sparql_iri",
    "sparql_string",
]
