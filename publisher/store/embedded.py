"""The embedded Oxigraph store inside a release: created once by a build, read by the server."""

from __future__ import annotations

import logging
from pathlib import Path

import pyoxigraph as ox

from publisher.store.answers import RememberedAnswers
from publisher.store.describe import Description, DocumentFacts, Lookups, describe
from publisher.vocab import PREFIXES

log = logging.getLogger(__name__)


FIGURES = """
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?figure ?value ?date ?statement ?measure ?qualifier ?source ?sourceTitle ?sourceUrl WHERE {
  VALUES (?thing ?language) { (THING_AND_LANGUAGE) }
  ?figure schema:observationAbout ?thing ; schema:value ?value ; schema:observationDate ?date ;
          schema:measuredProperty ?property ; prov:wasDerivedFrom ?source .
  ?property rdfs:label ?measure . FILTER(LANG(?measure) = ?language)
  OPTIONAL { ?figure ?q ?qualifierNode . ?qualifierNode rdfs:label ?qualifier .
             FILTER(STRENDS(STR(?q), "#qualifier") && LANG(?qualifier) = ?language) }
  OPTIONAL { ?figure rdfs:label ?statement . FILTER(LANG(?statement) = "de") }
  OPTIONAL { ?source dcterms:title ?sourceTitle }
  OPTIONAL { ?source schema:url ?sourceUrl }
} ORDER BY ?measure ?date ?value
"""

DUMP_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}


class EmbeddedStore:
    """An Oxigraph store on disk, written once by a build and read by the server."""

    def __init__(self, store: ox.Store, folder: Path) -> None:
        self._store = store
        self.folder = folder
        self._lookups = Lookups(store)
        self._answers = RememberedAnswers()

    @classmethod
    def create(cls, folder: Path, ntriples: Path) -> EmbeddedStore:
        """Create a store in ``folder`` and bulk-load the N-Triples file into its default graph."""
        store = ox.Store(str(folder))
        store.bulk_load(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        store.flush()
        return cls(store, folder)

    @classmethod
    def open_read_only(cls, folder: Path) -> EmbeddedStore:
        return cls(ox.Store.read_only(str(folder)), folder)

    def __len__(self) -> int:
        return len(self._store)

    def dump(self, path: Path, extension: str, base: str) -> None:
        """Write the default graph to ``path`` in the format of ``extension`` (ttl, nt, jsonld)."""
        prefixes = {**PREFIXES, "cluster": f"{base}def/cluster#"}
        self._store.dump(
            str(path),
            DUMP_FORMATS[extension],
            from_graph=ox.DefaultGraph(),
            prefixes=None if extension == "nt" else prefixes,
        )

    def describe(
        self, thing: str, facts: DocumentFacts, page: int = 1, page_size: int = 100
    ) -> Description | None:
        """What the store knows about ``thing``, for the document about it (see publisher.store.describe)."""
        return describe(self._lookups, thing, facts, page, page_size)

    def knows(self, thing: str) -> bool:
        """Whether the store holds any statement about ``thing``."""
        quads = self._store.quads_for_pattern(ox.NamedNode(thing), None, None, ox.DefaultGraph())
        return next(iter(quads), None) is not None

    def figures_about(self, thing: str, language: str) -> list[dict[str, str]]:
        """The figures (observations) about ``thing``: value, qualifier, date, statement and source."""
        values = f"{ox.NamedNode(thing)} {ox.Literal(language)}"  # written as N-Triples terms: always safe
        return self.select(FIGURES.replace("THING_AND_LANGUAGE", values))

    def select(self, query: str) -> list[dict[str, str]]:
        """Run a SELECT query; each row maps variable names to the value's lexical form.

        A release's store never changes, so small answers are remembered (a bounded number of them): the
        pages that ask the same questions on every request get them from memory. Callers must not change
        rows. Large answers (sitemaps, the search index) are not kept twice.
        """
        return self._answers.get(query, self._run_select)

    def _run_select(self, query: str) -> list[dict[str, str]]:
        solutions = self._store.query(query)
        assert isinstance(solutions, ox.QuerySolutions)  # noqa: S101 - callers pass SELECT queries only
        return lexical_rows(solutions)


def lexical_rows(solutions: ox.QuerySolutions) -> list[dict[str, str]]:
    """Each solution as a dict of variable name to the lexical form of its value (unbound ones left out)."""
    names = [v.value for v in solutions.variables]
    return [{name: row[name].value for name in names if row[name] is not None} for row in solutions]
