"""TimeMaps (RFC 7089, section 5): every memento of one URI, in ``application/link-format`` and as JSON.

A memento of a release that pruning removed stays listed, marked ``available="false"``: its URI answers
410 Gone, and a citation naming it still learns when it was published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.utils import format_datetime
from typing import Any

from publisher import formats
from publisher.history.timeline import Version

LINK_FORMAT = formats.LINK_FORMAT.media_type


@dataclass(frozen=True)
class Memento:
    """One memento: its URI, the release it is from, and whether that release is still on disk."""

    uri: str
    release: Version
    available: bool


@dataclass(frozen=True)
class TimeMap:
    original: str
    timegate: str
    uri: str  # the TimeMap itself
    mementos: list[Memento]


def link_format(timemap: TimeMap) -> str:
    """The TimeMap as link-format: original, timegate, self, then the mementos oldest first."""
    mementos = timemap.mementos
    self_link = f'<{timemap.uri}>; rel="self"; type="{LINK_FORMAT}"'
    if mementos:
        self_link += f'; from="{_date(mementos[0])}"; until="{_date(mementos[-1])}"'
    if timemap.original == timemap.timegate:  # the URI is its own TimeGate
        links = [f'<{timemap.original}>; rel="original timegate"', self_link]
    else:
        links = [f'<{timemap.original}>; rel="original"', f'<{timemap.timegate}>; rel="timegate"', self_link]
    for n, memento in enumerate(mementos):
        rel = " ".join(
            [*(["first"] if n == 0 else []), *(["last"] if n == len(mementos) - 1 else []), "memento"]
        )
        link = f'<{memento.uri}>; rel="{rel}"; datetime="{_date(memento)}"'
        if not memento.available:
            link += '; available="false"'
        links.append(link)
    return ",\n".join(links) + "\n"


def as_json(timemap: TimeMap) -> dict[str, Any]:
    """The TimeMap as JSON, shaped like the Memento aggregator's, with the release of each memento."""
    listed = [
        {
            "datetime": m.release.built.isoformat().replace("+00:00", "Z"),
            "uri": m.uri,
            "release": m.release.id,
            "available": m.available,
        }
        for m in timemap.mementos
    ]
    body: dict[str, Any] = {
        "original_uri": timemap.original,
        "timegate_uri": timemap.timegate,
        "timemap_uri": {"link_format": timemap.uri, "json_format": f"{timemap.uri}?format=json"},
        "mementos": {"list": listed},
    }
    if listed:
        body["mementos"]["first"] = listed[0]
        body["mementos"]["last"] = listed[-1]
    return body


def _date(memento: Memento) -> str:
    return http_date(memento.release.built)


def http_date(when: dt.datetime) -> str:
    """An HTTP date (RFC 9110, IMF-fixdate), as Memento-Datetime and TimeMaps give it."""
    return format_datetime(when.astimezone(dt.UTC), usegmt=True)
