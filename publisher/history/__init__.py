"""Time: every release is a version of every thing in it (Memento, RFC 7089) and each release's changes are
published as a change feed (TREE/LDES).

Written at release time, inside each release folder, and carried forward from the release before:

- ``history/releases.json``: the line of releases this one descends from, each with its build time;
- ``history/versions.tsv``: for every entity IRI ever published, the releases (positions in that line) at
  which a version of it appeared (``v``) or it left (``t``, a tombstone), sorted by IRI so a server looks
  one up by bisection without reading the file (publisher.history.timeline);
- ``feed/``: the change feed's pages, each the members one release added (publisher.history.feed); a closed
  page never changes, so the next release hard-links it instead of copying it.

``timeline`` chooses what a URI was at a datetime; ``linkformat`` writes TimeMaps. Neither imports Flask.
"""

from __future__ import annotations

from publisher.history.feed import FEED, PAGES, FeedPage, read_pages, write_feed
from publisher.history.timeline import (
    LINEAGE,
    VERSIONS,
    BeforeFirst,
    Existed,
    Gone,
    NotYet,
    Timeline,
    Version,
    write_timeline,
)

__all__ = [
    "FEED",
    "LINEAGE",
    "PAGES",
    "VERSIONS",
    "BeforeFirst",
    "Existed",
    "FeedPage",
    "Gone",
    "NotYet",
    "Timeline",
    "Version",
    "read_pages",
    "write_feed",
    "write_timeline",
]
