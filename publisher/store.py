"""The store seam: the embedded Oxigraph store inside a release. Only this module talks to pyoxigraph."""

from __future__ import annotations

import logging
from pathlib import Path

import pyoxigraph as ox

from publisher.vocab import PREFIXES

log = logging.getLogger(__name__)


DUMP_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}


class EmbeddedStore:
    """An Oxigraph store on disk, written once by a build and read by the server."""

    def __init__(self, store: ox.Store, folder: Path) -> None:
        self._store = store
        self.folder = folder

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
        prefixes = {**PREFIXES, "cluster": f"{base}def/cluster#", "id": f"{base}id/"}
        self._store.dump(
            str(path),
            DUMP_FORMATS[extension],
            from_graph=ox.DefaultGraph(),
            prefixes=None if extension == "nt" else prefixes,
        )

    def select(self, query: str) -> list[dict[str, str]]:
        """Run a SELECT query; each row maps variable names to the value's lexical form."""
        solutions = self._store.query(query)
        assert isinstance(solutions, ox.QuerySolutions)  # noqa: S101 - callers pass SELECT queries only
        names = [v.value for v in solutions.variables]
        return [{name: row[name].value for name in names if row[name] is not None} for row in solutions]
