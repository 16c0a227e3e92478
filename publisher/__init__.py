"""clusterlod: publish a programme's cluster policy data (a data folder's tables and description) as
Linked Open Data.

The package reads like the pipeline it implements::

    read (tables, read) -> map (uris, vocab, links, map) -> validate
        -> release (release, store, changes, catalog) -> serve (web, sparql, reconcile)

``build`` runs the stages in order; ``cli`` is the only module that prints or sets exit codes.
"""

from __future__ import annotations

__version__ = "0.1.0"
