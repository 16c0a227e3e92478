"""Events for people: iCalendar feeds that calendar applications import or subscribe to.

``{base}calendar/events.ics`` holds every event (event series included), ``calendar/initiative/<key>.ics``
the events an initiative organises, ``calendar/field/<key>.ics`` the events organised by initiatives of a
policy or technology field or of a narrower one. Every event is all-day (the data has dates, not times):
DTEND is the day after the last day, as RFC 5545 wants.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Flask, current_app, request
from icalendar import Calendar, Event
from werkzeug.exceptions import NotFound
from werkzeug.http import http_date
from werkzeug.wrappers import Response

from publisher.release import Release
from publisher.settings import Settings
from publisher.store import Store
from publisher.tables import SLUG_PATTERN
from publisher.web.kept import kept
from publisher.web.publication import publication_for
from publisher.web.release import current_or_503, prefix_of, store_of

CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//clusterlod//clusterlod//DE"  # the product that made the calendar, not the publication
_KEY = re.compile(SLUG_PATTERN)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ONE_DAY = dt.timedelta(days=1)

EVENTS = """
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX cluster: <CLUSTER>
SELECT ?event (SAMPLE(?startDate) AS ?start) (SAMPLE(?endDate) AS ?end)
       (SAMPLE(?labelDe) AS ?label) (SAMPLE(?labelOther) AS ?otherLabel)
       (SAMPLE(?placeDe) AS ?place) (SAMPLE(?placeOther) AS ?otherPlace)
       (SAMPLE(?venueName) AS ?venue) (SAMPLE(?text) AS ?description)
       (SAMPLE(?seriesLabel) AS ?series)
       (GROUP_CONCAT(DISTINCT ?organizerLabel; separator="; ") AS ?organizers)
WHERE {
  VALUES ?type { schema:Event schema:EventSeries }
  ?event a ?type ; schema:startDate ?startDate .
  FILTER(isIRI(?event) && STRSTARTS(STR(?event), THINGS))
  SELECTION
  OPTIONAL { ?event schema:endDate ?endDate }
  OPTIONAL { ?event rdfs:label ?labelDe FILTER(LANG(?labelDe) = "de") }
  OPTIONAL { ?event rdfs:label ?labelOther }
  OPTIONAL { ?event schema:location ?location .
             OPTIONAL { ?location rdfs:label ?placeDe FILTER(LANG(?placeDe) = "de") }
             OPTIONAL { ?location rdfs:label ?placeOther } }
  OPTIONAL { ?event cluster:venueName ?venueName }
  OPTIONAL { ?event schema:description ?text FILTER(LANG(?text) IN ("de", "")) }
  OPTIONAL { ?event schema:superEvent/rdfs:label ?seriesLabel FILTER(LANG(?seriesLabel) = "de") }
  OPTIONAL { ?event schema:organizer/rdfs:label ?organizerLabel FILTER(LANG(?organizerLabel) = "de") }
}
GROUP BY ?event
"""
BY_INITIATIVE = "?event schema:organizer SUBJECT ."
BY_FIELD = """?event schema:organizer ?initiative .
  ?initiative cluster:technologyField ?field . ?field skos:broader* SUBJECT ."""
LABEL = """
SELECT ?label WHERE { SUBJECT <http://www.w3.org/2000/01/rdf-schema#label> ?label . }
ORDER BY DESC(LANG(?label) = "de") ?label LIMIT 1
"""


@dataclass(frozen=True)
class Feed:
    """Which events a feed holds and what it is called."""

    name: str
    selection: str = ""


FeedOf = Callable[[Store, str], Feed]
"""Which feed to answer, from the release's store and the base (raises NotFound for unknown things)."""


def init_app(app: Flask, settings: Settings) -> None:
    prefix = prefix_of(settings)
    app.add_url_rule(f"{prefix}/calendar/events.ics", "calendar_events", all_events)
    app.add_url_rule(f"{prefix}/calendar/initiative/<key>.ics", "calendar_initiative", initiative_events)
    app.add_url_rule(f"{prefix}/calendar/field/<key>.ics", "calendar_field", field_events)


def all_events() -> Response:
    return _answer(lambda store, base: Feed("Veranstaltungen"), whole=True)  # the whole feed names itself


def events_calendar(release: Release, settings: Settings) -> bytes:
    """The feed of every event, made once per release (it reads every event: 6 s at 300,000 triples)."""
    feed = Feed(f"{publication_for(settings, release).description.short_title['de']}: Veranstaltungen")
    return kept(
        "calendar-events", release, lambda: ical(store_of(release), settings, release, feed), settings
    )


def initiative_events(key: str) -> Response:
    def feed(store: Store, base: str) -> Feed:
        subject = _known(store, base, "initiative", key)
        return Feed(
            f"Veranstaltungen: {_label(store, subject, key)}", BY_INITIATIVE.replace("SUBJECT", subject)
        )

    return _answer(feed, "initiative", key)


def field_events(key: str) -> Response:
    def feed(store: Store, base: str) -> Feed:
        subject = _known(store, base, "field", key)
        return Feed(
            f"Veranstaltungen im Feld {_label(store, subject, key)}", BY_FIELD.replace("SUBJECT", subject)
        )

    return _answer(feed, "field", key)


def _known(store: Store, base: str, type_word: str, key: str) -> str:
    """The thing as a SPARQL IRI term; 404 unless the store knows it."""
    iri = f"{base}id/{type_word}/{key}"
    if not _KEY.fullmatch(key) or not store.knows(iri):
        raise NotFound(f"There is no {type_word} called {key!r} in this dataset.")
    return str(ox.NamedNode(iri))


def _label(store: Store, subject: str, key: str) -> str:
    rows = store.select(LABEL.replace("SUBJECT", subject))
    return rows[0]["label"] if rows else key


def _answer(feed_of: FeedOf, type_word: str = "", key: str = "", whole: bool = False) -> Response:
    settings: Settings = current_app.config["SETTINGS"]
    release = current_or_503()
    if type_word and not _KEY.fullmatch(key):
        raise NotFound(f"There is no {type_word} called {key!r} in this dataset.")
    etag = hashlib.sha256(f"{release.id}|{request.path}".encode()).hexdigest()[:32]
    if etag in request.if_none_match:
        return _cached(Response(status=304), etag, release)
    store = store_of(release)
    body = (
        events_calendar(release, settings)
        if whole
        else ical(store, settings, release, feed_of(store, settings.base))
    )
    return _cached(Response(body, content_type=CONTENT_TYPE), etag, release)


def ical(store: Store, settings: Settings, release: Release, feed: Feed) -> bytes:
    """The feed as an iCalendar document."""
    query = (
        EVENTS.replace("CLUSTER", f"{settings.base}def/cluster#")
        .replace("THINGS", str(ox.Literal(f"{settings.base}id/")))
        .replace("SELECTION", feed.selection)
    )
    stamp = _built(release)
    documents = f"{settings.base}doc/event/"
    things = f"{settings.base}id/event/"
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
        if row["event"].startswith(things):
            event.add("url", documents + row["event"][len(things) :])
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


def _built(release: Release) -> dt.datetime:
    return dt.datetime.fromisoformat(str(release.manifest["built"]).replace("Z", "+00:00")).astimezone(dt.UTC)


def _cached(response: Response, etag: str, release: Release) -> Response:
    response.set_etag(etag)
    response.headers["Last-Modified"] = http_date(_built(release))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
