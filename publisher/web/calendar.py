"""Events for people: iCalendar feeds that calendar applications import or subscribe to.

``{base}calendar/events.ics`` holds every event (event series included), ``calendar/initiative/<key>.ics``
the events an initiative organises, ``calendar/field/<key>.ics`` the events organised by initiatives of a
policy or technology field or of a narrower one. Every event is all-day (the data has dates, not times):
DTEND is the day after the last day, as RFC 5545 wants.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, request
from icalendar import Calendar, Event
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from publisher.releases import Release
from publisher.settings import Settings
from publisher.store import Store
from publisher.store.queries import Queries
from publisher.tables import SLUG_PATTERN
from publisher.uris import UriScheme
from publisher.web import current, respond
from publisher.web.kept import kept
from publisher.web.publication import publication_for
from publisher.web.release import store_of

CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//clusterlod//clusterlod//DE"  # the product that made the calendar, not the publication
_KEY = re.compile(SLUG_PATTERN)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Feed:
    """Which events a feed holds and what it is called."""

    name: str
    selection: str = ""


FeedOf = Callable[[Store, str], Feed]
"""Which feed to answer, from the release's store and the base (raises NotFound for unknown things)."""


bp = Blueprint("calendar", __name__)


@bp.get("/calendar/events.ics")
def all_events() -> Response:
    return _answer(lambda store, base: Feed("Veranstaltungen"), whole=True)  # the whole feed names itself


def events_calendar(release: Release, settings: Settings) -> bytes:
    """The feed of every event, made once per release (it reads every event: 6 s at 300,000 triples)."""
    feed = Feed(f"{publication_for(settings, release).description.short_title['de']}: Veranstaltungen")
    return kept(
        "calendar-events", release, lambda: ical(store_of(release), settings, release, feed), settings
    )


@bp.get("/calendar/initiative/<key>.ics")
def initiative_events(key: str) -> Response:
    def feed(store: Store, base: str) -> Feed:
        subject = _known(store, base, "initiative", key)
        return Feed(f"Veranstaltungen: {_label(store, base, subject, key)}", Queries.organised_by(subject))

    return _answer(feed, "initiative", key)


@bp.get("/calendar/field/<key>.ics")
def field_events(key: str) -> Response:
    def feed(store: Store, base: str) -> Feed:
        subject = _known(store, base, "field", key)
        return Feed(f"Veranstaltungen im Feld {_label(store, base, subject, key)}", Queries.in_field(subject))

    return _answer(feed, "field", key)


def _known(store: Store, base: str, type_word: str, key: str) -> str:
    """The thing's IRI; 404 unless the store knows it."""
    iri = str(UriScheme(base).thing(type_word, key))
    if not _KEY.fullmatch(key) or not store.knows(iri):
        raise NotFound(f"There is no {type_word} called {key!r} in this dataset.")
    return iri


def _label(store: Store, base: str, subject: str, key: str) -> str:
    rows = store.select(Queries.of(base).label(subject))
    return rows[0]["label"] if rows else key


def _answer(feed_of: FeedOf, type_word: str = "", key: str = "", whole: bool = False) -> Response:
    settings, release = current.settings(), current.release()
    if type_word and not _KEY.fullmatch(key):
        raise NotFound(f"There is no {type_word} called {key!r} in this dataset.")
    etag = respond.etag_of(release.id, request.path)
    if respond.not_modified(etag):
        return respond.respond(b"", CONTENT_TYPE, etag=etag, vary=())
    store = current.store()
    body = (
        events_calendar(release, settings)
        if whole
        else ical(store, settings, release, feed_of(store, settings.base))
    )
    return respond.respond(body, CONTENT_TYPE, etag=etag, vary=())


def ical(store: Store, settings: Settings, release: Release, feed: Feed) -> bytes:
    """The feed as an iCalendar document."""
    query = Queries.of(settings.base).events(feed.selection)
    stamp = release.built_at
    uris = UriScheme(settings.base)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", feed.name)
    calendar.add("x-wr-timezone", "Europe/Berlin")
    rows = [row for row in store.select(query) if _date(row.get("start", ""))]
    for row in sorted(rows, key=lambda r: (r["start"], r["event"])):
        start = _date(row["start"])
        assert start is not None  # noqa: S101 - filtered above
        end = _date(row.get("end", ""))
        event = Event()
        event.add("uid", row["event"])
        event.add("dtstamp", stamp)
        event.add("summary", row.get("label") or row.get("otherLabel") or row["event"])
        event.add("dtstart", start)
        event.add("dtend", (end if end and end >= start else start) + ONE_DAY)
        event.add("transp", "TRANSPARENT")
        place = row.get("place") or row.get("otherPlace")
        if place:
            event.add("location", place)
        known = uris.key_of(row["event"])
        if known is not None:
            event.add("url", str(uris.document(*known)))
        description = _description(row)
        if description:
            event.add("description", description)
        calendar.add_component(event)
    body: bytes = calendar.to_ical()
    return body


def _description(row: dict[str, str]) -> str:
    lines = [row["description"]] if row.get("description") else []
    if row.get("venue"):
        lines.append(f"Veranstaltungsort: {row['venue']}")
    if row.get("organizers"):
        lines.append(f"Veranstalter: {row['organizers']}")
    if row.get("series"):
        lines.append(f"Teil von: {row['series']}")
    return "\n".join(lines)


def _date(lexical: str) -> dt.date | None:
    """The day of an xsd:date (or the date part of an xsd:dateTime); None for anything coarser."""
    match = _DATE.match(lexical)
    if match is None:
        return None
    try:
        return dt.date.fromisoformat(match.group())
    except ValueError:
        return None
