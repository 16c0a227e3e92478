"""The two ways a publication's description is made: from ``publication.csv`` and the tables at build time
(:func:`describe`: every value checked, ids resolved, neutral wording where it is silent), and from the
release's manifest at serve time (:func:`description_of`)."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from publisher.cells import PartialDate
from publisher.errors import Problem, SourceDataError
from publisher.links import THEME_CODES
from publisher.publication import neutral
from publisher.publication.model import GEOCODING, Description, Source, Spatial, Total, Words
from publisher.read import Record, SourceData
from publisher.tables import LIST_SEPARATOR, PUBLICATION, TABLES_BY_NAME

log = logging.getLogger(__name__)

CONTRIBUTORS = "http://dcat-ap.de/def/contributors/"
TEXTS = ("title", "short-title", "catalog-title", "description", "home-text", "search-hint", "coverage")
LISTS = ("keywords",)  # texts in both languages, several values separated by ';'
CODES = ("themes", "coverage-kinds")  # language-neutral lists
WEB_ADDRESSES = ("publisher-url", "contact-url", "licence")
KINDS = TABLES_BY_NAME["initiatives"].column("kind").choices


def description_of(recorded: Mapping[str, Any] | None) -> Description:
    """The description a release's manifest records; a neutral one for releases made before it did."""
    if not recorded:
        return _resolve({}, SourceData(Path()))
    spatial = recorded.get("spatial")
    total = recorded.get("total")
    words: dict[str, Any] = {name: Words(**recorded[name]) for name in _WORD_FIELDS}
    return Description(
        **words,
        keywords={language: tuple(values) for language, values in recorded["keywords"].items()},
        themes=tuple(recorded["themes"]),
        spatial=None if spatial is None else Spatial(**{**spatial, "label": Words(**spatial["label"])}),
        total=None
        if total is None
        else Total(
            **{
                **total,
                "label": Words(**total["label"]),
                "sources": tuple(Source(**s) for s in total["sources"]),
            }
        ),
        stated=tuple(recorded.get("stated", ())),
        **{name: recorded[name] for name in _PLAIN_FIELDS},
    )


_WORD_FIELDS = (
    "title",
    "short_title",
    "catalog_title",
    "description",
    "home_text",
    "search_hint",
    "selection",
)
_PLAIN_FIELDS = (
    "publisher_name",
    "publisher_url",
    "contact_email",
    "contact_url",
    "contributor_id",
    "licence",
    "attribution",
    "counted",
    "has_file",
)


def describe(data: SourceData) -> Description:
    """The description from publication.csv (if the folder has one) and the tables; raise SourceDataError
    naming row and column of every value that cannot be used."""
    rows = {record.id: record for record in data.publication or ()}
    problems = list(_problems(data))
    if problems:
        raise SourceDataError(problems)
    described = _resolve(rows, data)
    log.info("publication described by %d properties of %s", len(rows), PUBLICATION.file_name)
    return described


def _problems(data: SourceData) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for record in data.publication or ():
        yield from _problems_of(record, data, seen)


def _problems_of(record: Record, data: SourceData, seen: dict[str, int]) -> Iterator[Problem]:
    name, value, english = record.id, record.text("value") or "", record.text("value_en") or ""

    def problem(message: str, column: str = "value") -> Problem:
        return Problem(PUBLICATION.file_name, record.row, column, message)

    if name in seen:
        yield problem(f"{name} is given twice (first in row {seen[name]})", "id")
    seen.setdefault(name, record.row)
    if english and name not in (*TEXTS, *LISTS):
        yield problem(f"{name} has one value for every language: leave value_en empty", "value_en")
    if not value:
        if english:
            yield problem(f"{name} has an English text but no German one in value")
        return
    for column, text in (("value", value), ("value_en", english)):
        if name in (*LISTS, *CODES) and any(not part.strip() for part in text.split(LIST_SEPARATOR)) and text:
            yield problem(f"empty item in list {text!r}: separate values with '{LIST_SEPARATOR}'", column)
    if name == "themes":
        for code in _split(value):
            if code not in THEME_CODES:
                yield problem(f"{code!r} is not an EU data theme; expected one of {', '.join(THEME_CODES)}")
    elif name == "coverage-kinds":
        for kind in _split(value):
            if kind not in KINDS:
                yield problem(
                    f"{kind!r} is not a kind of initiatives.csv; expected one of {', '.join(KINDS)}"
                )
    elif name == "spatial" and _row(data, "places", value) is None:
        yield problem(f"{value!r} is not an id in places.csv")
    elif name == "coverage-total" and _row(data, "observations", value) is None:
        yield problem(f"{value!r} is not an id in observations.csv")
    elif name in WEB_ADDRESSES:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
            yield problem(f"{value!r} is not a web address: expected an absolute http(s) IRI")
    elif name == "contact-email" and ("@" not in value or value.startswith("mailto:") or " " in value):
        yield problem(f"{value!r} is not an e-mail address (name@host, without mailto:)")
    elif name == "contributor-id" and not value.startswith(CONTRIBUTORS):
        yield problem(f"{value!r} is not from GovData's list of contributor IDs ({CONTRIBUTORS}...)")


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(LIST_SEPARATOR) if part.strip())


def _row(data: SourceData, table: str, key: str) -> Record | None:
    found = next((r for r in data.table(table) if r.id == key), None) if data.records else None
    return found


def _words(rows: Mapping[str, Record], name: str) -> Words:
    record = rows.get(name)
    if record is None or not record.text("value"):
        return Words("")
    return Words(record.text("value") or "", record.text("value_en") or "")


def _plain(rows: Mapping[str, Record], name: str) -> str:
    record = rows.get(name)
    return (record.text("value") or "") if record else ""


def _resolve(rows: Mapping[str, Record], data: SourceData) -> Description:
    """What publication.csv's rows say, its ids resolved in the tables, and neutral wording (never a guess of
    the area, the publisher or the licence: those stay empty, and the build warns) for what they leave out."""
    records = data.records
    count = {name: len(found) for name, found in records.items()}
    title = _words(rows, "title") or neutral.TITLE
    short_title = _words(rows, "short-title") or title
    description = _words(rows, "description") or neutral.tables_text(count)
    spatial_id = _plain(rows, "spatial")
    total_id = _plain(rows, "coverage-total")
    kinds = _split(_plain(rows, "coverage-kinds")) or KINDS
    initiatives = records.get("initiatives", [])
    return Description(
        title=title,
        short_title=short_title,
        catalog_title=_words(rows, "catalog-title") or neutral.catalog_title(short_title),
        description=description,
        home_text=_words(rows, "home-text") or description,
        search_hint=_words(rows, "search-hint") or neutral.hint_from_tables(records),
        keywords=_keywords(rows.get("keywords")),
        themes=_split(_plain(rows, "themes")) or neutral.themes_from_tables(records),
        spatial=_spatial(data, spatial_id) if spatial_id else None,
        publisher_name=_plain(rows, "publisher-name"),
        publisher_url=_plain(rows, "publisher-url"),
        contact_email=_plain(rows, "contact-email"),
        contact_url=_plain(rows, "contact-url"),
        contributor_id=_plain(rows, "contributor-id"),
        licence=_plain(rows, "licence"),
        attribution=_plain(rows, "attribution"),
        selection=_words(rows, "coverage"),
        counted=sum(1 for r in initiatives if r.text("kind") in kinds),
        total=_total(data, total_id) if total_id else None,
        stated=tuple(sorted(name for name, record in rows.items() if record.text("value"))),
        has_file=data.publication is not None,
    )


def _keywords(record: Record | None) -> dict[str, tuple[str, ...]]:
    if record is None or not record.text("value"):
        return dict(neutral.KEYWORDS)
    found = {"de": _split(record.text("value") or "")}
    if record.text("value_en"):
        found["en"] = _split(record.text("value_en") or "")
    return found


def _spatial(data: SourceData, key: str) -> Spatial:
    place = _row(data, "places", key)
    assert place is not None  # noqa: S101 - checked by _problems
    label = Words(place.text("label_de") or key, place.text("label_en") or "")
    if place.text("state_key"):
        return Spatial(key, label, f"{GEOCODING}stateKey/{place.text('state_key')}", "state")
    if place.text("ags"):
        return Spatial(key, label, f"{GEOCODING}municipalityKey/{place.text('ags')}", "municipality")
    return Spatial(key, label)


def _total(data: SourceData, key: str) -> Total:
    observation = _row(data, "observations", key)
    assert observation is not None  # noqa: S101 - checked by _problems
    sources = []
    for document in observation.refs("source"):
        found = _row(data, "documents", document)
        if found is not None:
            issued = found.get("issued")
            sources.append(
                Source(
                    title=found.text("title") or document,
                    publisher=found.text("publisher") or "",
                    url=str(found.get("url") or ""),
                    issued=issued.isoformat() if hasattr(issued, "isoformat") else "",
                )
            )
    ref_date = observation.get("ref_date")
    return Total(
        observation=key,
        value=int(observation.get("value") or 0),  # type: ignore[call-overload]
        qualifier=observation.text("qualifier") or "exact",
        ref_date=ref_date.text if isinstance(ref_date, PartialDate) else str(ref_date),
        label=Words(observation.text("label_de") or "", observation.text("label_en") or ""),
        sources=tuple(sources),
    )
