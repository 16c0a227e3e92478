"""The publisher's own neutral wording for what publication.csv does not say, drawn from the tables: never a
guess of the area, the publisher or the licence (those stay empty, and the build warns)."""

from __future__ import annotations

from collections.abc import Mapping

from publisher.publication.model import Words
from publisher.read import Record

TITLE = Words("Cluster-Initiativen als Linked Open Data", "Cluster initiatives as Linked Open Data")
KEYWORDS = {
    "de": ("Cluster", "Clusterpolitik", "Innovation", "Netzwerke"),
    "en": ("clusters", "cluster policy", "innovation", "networks"),
}


def catalog_title(short_title: Words) -> Words:
    return Words(
        f"Linked-Open-Data-Katalog: {short_title['de']}", f"Linked Open Data catalog: {short_title['en']}"
    )


def tables_text(count: Mapping[str, int]) -> Words:
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


def hint_from_tables(records: Mapping[str, list[Record]]) -> Words:
    """A field and a municipality the tables name, as examples of what to search for."""
    field_label = next((r.text("label_de") for r in records.get("fields", []) if r.text("broader")), None)
    place = next(
        (r.text("label_de") for r in records.get("places", []) if r.text("kind") == "municipality"), None
    )
    words = [word for word in (field_label, place) if word]
    return Words(", ".join(words))


def themes_from_tables(records: Mapping[str, list[Record]]) -> tuple[str, ...]:
    """The EU data themes the fields are mapped to (fields.eu_themes)."""
    codes = {str(value).split(":", 1)[1] for r in records.get("fields", []) for value in r.refs("eu_themes")}
    return tuple(sorted(codes))
