"""What the Memento views (publisher.web.timegate, publisher.web.memento) share: the served release's
timeline, the URIs of an original, its TimeMap and its mementos, and the answers when there is no version."""

from __future__ import annotations

import datetime as dt
import re

from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from publisher.history.linkformat import LINK_FORMAT
from publisher.history.timeline import BeforeFirst, Gone, NotYet, State, Timeline, Version
from publisher.tables import SLUG_PATTERN, TABLES
from publisher.web import current
from publisher.web.errors import error_response
from publisher.web.kept import kept

ACCEPT_DATETIME = "Accept-Datetime"
KINDS = ("id", "doc")
TYPE_WORDS = frozenset([t.type_word for t in TABLES] + ["scheme"])
_KEY = re.compile(SLUG_PATTERN)


def why_not(state: State, type_word: str, key: str, when: dt.datetime) -> tuple[int, str]:
    thing = thing_iri(type_word, key)
    at = when.strftime("%Y-%m-%d %H:%M:%S UTC")
    if isinstance(state, BeforeFirst):
        return 404, f"{at} is before this dataset's first release ({day(state.first)}): there is no version."
    if isinstance(state, NotYet):
        later = (
            f"; its first version is in release {state.first.id} ({day(state.first)})" if state.first else ""
        )
        return 404, f"{thing} was not in release {state.release.id}, current at {at}{later}."
    assert isinstance(state, Gone)  # noqa: S101 - Existed is answered by the callers
    return 410, (
        f"{thing} was not in this dataset at {at}: it was last in release {state.last.id} and left on "
        f"{day(state.removed)} (release {state.removed.id})."
    )


def problem(status: int, message: str, links: list[str]) -> Response:
    response = error_response(status, message)
    add_links(response, *links)
    add_vary(response, "Accept-Datetime")
    return response


def add_links(response: Response, *links: str) -> None:
    existing = [v for v in response.headers.getlist("Link") if v]
    response.headers.remove("Link")
    joined = ", ".join([*existing, *links])
    if joined:
        response.headers["Link"] = joined


def add_vary(response: Response, header: str) -> None:
    present = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    if header.lower() not in (v.lower() for v in present):
        response.headers["Vary"] = ", ".join([*present, header])


def own_timegate(kind: str) -> bool:
    """Whether URIs of ``kind`` answer ``Accept-Datetime`` themselves.

    A thing's URI, the one people cite, is its own TimeGate (RFC 7089, pattern 1.1). A document names a
    TimeGate apart, ``{base}timegate/{URI}`` (pattern 2.1), and does not vary on Accept-Datetime:
    memento-client's native discovery reads a URI that varies on Accept-Datetime as one without a TimeGate,
    and it reaches the document when it follows a thing's 303 to find the original.
    """
    return kind == "id"


def timegate_uri(kind: str, type_word: str, key: str) -> str:
    """The TimeGate of ``{base}{kind}/{type}/{key}``: the URI itself for things, one apart for documents."""
    uri = original_uri(kind, type_word, key)
    return uri if own_timegate(kind) else outside_timegate_uri(uri)


def outside_timegate_uri(uri: str) -> str:
    return current.urls().timegate(uri)


def original_links(kind: str, type_word: str, key: str) -> list[str]:
    """The ``Link`` values naming the original, its TimeGate and its TimeMap (RFC 7089, section 2.2)."""
    uri, gate = original_uri(kind, type_word, key), timegate_uri(kind, type_word, key)
    named = (
        [f'<{uri}>; rel="original timegate"']
        if gate == uri
        else [f'<{uri}>; rel="original"', f'<{gate}>; rel="timegate"']
    )
    return [*named, timemap_link(kind, type_word, key)]


def timemap_link(kind: str, type_word: str, key: str) -> str:
    return f'<{current.urls().timemap(kind, type_word, key)}>; rel="timemap"; type="{LINK_FORMAT}"'


def served_timeline() -> Timeline:
    release = current.release()
    found = kept("timeline", release, lambda: Timeline.of(release.folder))
    if found is None:
        raise NotFound(
            f"Release {release.id} was built before releases kept a history: rebuild to start one."
        )
    return found


def split_suffix(key: str) -> tuple[str, str]:
    return (key.rsplit(".", 1)[0], key.rsplit(".", 1)[1]) if "." in key else (key, "")


def check_key(type_word: str, key: str) -> None:
    if type_word not in TYPE_WORDS or not _KEY.fullmatch(key):
        raise NotFound(f"There is no {type_word!r} called {key!r} here.")


def thing_iri(type_word: str, key: str) -> str:
    return current.urls().thing(type_word, key)


def original_uri(kind: str, type_word: str, key: str) -> str:
    return current.urls().original(kind, type_word, key)


def memento_uri(release_id: str, kind: str, type_word: str, key: str) -> str:
    return current.urls().memento(release_id, kind, type_word, key)


def day(version: Version) -> str:
    return version.built.strftime("%Y-%m-%d")
