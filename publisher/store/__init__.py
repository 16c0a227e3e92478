"""The store seam: the only package that talks to pyoxigraph (or, later, to a remote SPARQL server).

``embedded`` holds the release's Oxigraph store; ``describe`` answers "what do we know about this IRI"
for the documents about things.
"""

from __future__ import annotations

from publisher.store.describe import Description, DocumentFacts, Term
from publisher.store.embedded import DUMP_FORMATS, EmbeddedStore

__all__ = ["DUMP_FORMATS", "Description", "DocumentFacts", "EmbeddedStore", "Term"]
