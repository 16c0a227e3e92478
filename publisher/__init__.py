"""clusterlod: publish Baden-Württemberg's cluster policy data as Linked Open Data.

The package reads like the pipeline it implements::

    read (tables, read) -> map (uris, vocab, map) -> validate -> release (store, release) -> serve (web)

``build`` runs the stages in order; ``cli`` is the only module that prints or sets exit codes.
"""

from __future__ import annotations

__version__ = "0.1.0"
