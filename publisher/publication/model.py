"""The publication's description of itself, as the site, the catalog and VoID say it: titles and texts in
German and English, keywords and themes, the area, the publisher, and the total the data is a part of.

Pure data: made by publisher.publication.resolve and recorded in a release's manifest
(:meth:`Description.as_json`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"
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
