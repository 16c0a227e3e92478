"""The publication's description of itself: what names the programme, the area and the publisher, read from
``publication.csv`` in the data folder and from what the tables say, with neutral wording where it is silent.

Pure: made once per build (:func:`describe`), recorded in the release's manifest (:meth:`Description.as_json`)
and read back by the server (:func:`description_of`), which never reads the data folder. The deployment's
settings may override the publisher's facts (publisher.catalog.publication_of).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from publisher.cells import PartialDate
from publisher.errors import Problem, SourceDataError
from publisher.links import THEME_CODES
from publisher.read import Record, SourceData
from publisher.tables import LIST_SEPARATOR, PUBLICATION, TABLES_BY_NAME

log = logging.getLogger(__name__)

CONTRIBUTORS = "http://dcat-ap.de/def/contributors/"
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"
TEXTS = ("title", "short-title", "catalog-title", "description", "home-text", "search-hint", "coverage")
LISTS = ("keywords",)  # texts in both languages, several values separated by ';'
CODES = ("themes", "coverage-kinds")  # language-neutral lists
WEB_ADDRESSES = ("publisher-url", "contact-url", "licence")
KINDS = TABLES_BY_NAME["initiatives"].column("kind").choices
QUALIFIER_WORDS = {
    "exact": {"de": "", "en": ""},
    "approximately": {"de": "rund ", "en": "about "},
    "more-than": {"de": "über ", "en": "over "},
}


@dataclass(frozen=True)
class Words:
    """A text in German and, if given, English; asking for a language without a text gives the German."""

    de: str
    en: str = ""

    def __getitem__(self, language: str) -> str:
        return self.en if language == "en" and self.en else self.de

    def items(self) -> Iterator[tuple[str, str]]:
        """The texts given, by language (for RDF literals with language tags)."""
        yield "de", self.de
        if self.en:
            yield "en", self.en

    def __bool__(self) -> bool:
        return bool(self.de)


@dataclass(frozen=True)
class Spatial:
    """The area the data covers: a place of places.csv and, if the table gives its official key, the
    DCAT-AP.de political geocoding IRI and level."""

    place: str  # the places id
    label: Words
    geocoding: str = ""  # http://dcat-ap.de/def/politicalGeocoding/stateKey/08, ...
    level: str = ""  # state, municipality

    @property
    def level_iri(self) -> str:
        return f"{GEOCODING}Level/{self.level}" if self.level else ""


@dataclass(frozen=True)
class Source:
    """A document stating the total, as documents.csv has it."""

    title: str
    publisher: str
    url: str
    issued: str = ""


@dataclass(frozen=True)
class Total:
    """A figure of observations.csv that the data is a part of: how many there are, as a source says."""

    observation: str  # the observations id
    value: int
    qualifier: str
    ref_date: str
    label: Words
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Description:
    """Everything the site, the catalog and VoID say about the publication; empty strings are not given.

    ``stated`` lists the properties publication.csv gave; ``has_file`` says whether there was one.
    """

    title: Words
    short_title: Words
    catalog_title: Words
    description: Words
    home_text: Words
    search_hint: Words
    keywords: Mapping[str, tuple[str, ...]]
    themes: tuple[str, ...]
    spatial: Spatial | None
    publisher_name: str = ""
    publisher_url: str = ""
    contact_email: str = ""
    contact_url: str = ""
    contributor_id: str = ""
    licence: str = ""
    attribution: str = ""
    selection: Words = field(default_factory=lambda: Words(""))
    counted: int = 0  # initiatives of the kinds the total counts
    total: Total | None = None
    stated: tuple[str, ...] = ()
    has_file: bool = False

    def coverage(self, language: str) -> str:
        """How many of how many (the total with its source and date), then how the selection was made."""
        parts = [self.share(language)] if self.total else []
        if self.selection:
            parts.append(self.selection[language])
        return " ".join(parts)

    def share(self, language: str) -> str:
        total = self.total
        if total is None:
            return ""
        of = QUALIFIER_WORDS.get(total.qualifier, QUALIFIER_WORDS["exact"])[language]
        source = "; ".join(f"{s.title}, {s.publisher}" for s in total.sources)
        if language == "en":  # label_en is a paraphrase, label_de the source's words
            said = total.label.en or f"{of}{total.value}, „{total.label.de}“"
            dated = f"({source}; as of {total.ref_date})"
            return f"The data holds {self.counted} of the total its source states: {said} {dated}."
        return (
            f"Die Daten enthalten {self.counted} von {of}{total.value}: „{total.label['de']}“ "
            f"({source}; Stand {total.ref_date})."
        )

    def full_description(self, language: str) -> str:
        """The description followed by the coverage statement (the dataset's ``dcterms:description``)."""
        return " ".join(part for part in (self.description[language], self.coverage(language)) if part)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def description_of(recorded: Mapping[str, Any] | None) -> Description:
    """The description a release's manifest records; a neutral one for releases made before it did."""
    if not recorded:
        return _neutral({}, SourceData(Path()))
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
    described = _neutral(rows, data)
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


def _neutral(rows: Mapping[str, Record], data: SourceData) -> Description:
    """Fill in what publication.csv leaves out with neutral wording from the tables (never a guess of the
    area, the publisher or the licence: those stay empty, and the build warns)."""
    records = data.records
    count = {name: len(found) for name, found in records.items()}
    title = _words(rows, "title") or Words(
        "Cluster-Initiativen als Linked Open Data", "Cluster initiatives as Linked Open Data"
    )
    short_title = _words(rows, "short-title") or title
    description = _words(rows, "description") or _tables_text(count)
    spatial_id = _plain(rows, "spatial")
    total_id = _plain(rows, "coverage-total")
    kinds = _split(_plain(rows, "coverage-kinds")) or KINDS
    initiatives = records.get("initiatives", [])
    return Description(
        title=title,
        short_title=short_title,
        catalog_title=_words(rows, "catalog-title")
        or Words(
            f"Linked-Open-Data-Katalog: {short_title['de']}", f"Linked Open Data catalog: {short_title['en']}"
        ),
        description=description,
        home_text=_words(rows, "home-text") or description,
        search_hint=_words(rows, "search-hint") or _hint_from_tables(records),
        keywords=_keywords(rows.get("keywords")),
        themes=_split(_plain(rows, "themes")) or _themes_from_tables(records),
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


def _tables_text(count: Mapping[str, int]) -> Words:
    if not count:  # a release made before releases recorded their description
        return Words(
            "Die Daten dieser Veröffentlichung, jede Angabe mit ihrer Quelle, als Linked Open Data.",
            "The data of this publication, every statement with its source, as Linked Open Data.",
        )
    counted = {
        language: [_counted(count.get(table, 0), nouns[language]) for table, nouns in NOUNS.items()]
        for language in ("de", "en")
    }
    de, en = counted["de"], counted["en"]
    return Words(
        f"{', '.join(de[:-1])} und {de[-1]}, jede Angabe mit ihrer Quelle, als Linked Open Data.",
        f"{', '.join(en[:-1])} and {en[-1]}, every statement with its source, as Linked Open Data.",
    )


NOUNS = {  # table -> (singular, plural) per language, for the neutral description
    "initiatives": {"de": ("Initiative", "Initiativen"), "en": ("initiative", "initiatives")},
    "organisations": {"de": ("Organisation", "Organisationen"), "en": ("organisation", "organisations")},
    "events": {"de": ("Veranstaltung", "Veranstaltungen"), "en": ("event", "events")},
    "fields": {
        "de": ("Politik- oder Technologiefeld", "Politik- und Technologiefelder"),
        "en": ("policy or technology field", "policy and technology fields"),
    },
    "observations": {"de": ("Zahl", "Zahlen"), "en": ("figure", "figures")},
}


def _counted(number: int, nouns: tuple[str, str]) -> str:
    return f"{number} {nouns[0] if number == 1 else nouns[1]}"


def _hint_from_tables(records: Mapping[str, list[Record]]) -> Words:
    """A field and a municipality the tables name, as examples of what to search for."""
    field_label = next((r.text("label_de") for r in records.get("fields", []) if r.text("broader")), None)
    place = next(
        (r.text("label_de") for r in records.get("places", []) if r.text("kind") == "municipality"), None
    )
    words = [word for word in (field_label, place) if word]
    return Words(", ".join(words))


def _themes_from_tables(records: Mapping[str, list[Record]]) -> tuple[str, ...]:
    """The EU data themes the fields are mapped to (fields.eu_themes)."""
    codes = {str(value).split(":", 1)[1] for r in records.get("fields", []) for value in r.refs("eu_themes")}
    return tuple(sorted(codes))


def _keywords(record: Record | None) -> dict[str, tuple[str, ...]]:
    if record is None or not record.text("value"):
        return {
            "de": ("Cluster", "Clusterpolitik", "Innovation", "Netzwerke"),
            "en": ("clusters", "cluster policy", "innovation", "networks"),
        }
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
