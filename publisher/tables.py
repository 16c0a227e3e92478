"""The input contract: which source tables exist, their columns, types and references.

data/README.md documents the same contract for people; a test keeps both in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from publisher.links import AUTHORITIES_BY_KEY, THEME_CODES, THEME_MATCHES

SLUG_PATTERN = r"[a-z0-9][a-z0-9-]*"
LIST_SEPARATOR = ";"


class ValueType(Enum):
    """How the text of a cell is read."""

    TEXT = "text"
    SLUG = "slug"  # an id, or a reference to one
    DATE = "date"  # YYYY-MM-DD
    YEARISH = "yearish"  # YYYY, YYYY-MM or YYYY-MM-DD
    COUNT = "count"  # non-negative integer
    IRI = "iri"  # absolute http(s) IRI
    CHOICE = "choice"  # one of Column.choices
    PATTERN = "pattern"  # text matching Column.pattern


@dataclass(frozen=True)
class Column:
    """One column of a source table."""

    name: str
    type: ValueType = ValueType.TEXT
    required: bool = False
    many: bool = False
    refers_to: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    pattern: str = ""
    expected: str = ""  # how the value should look, for error messages
    paragraphs: bool = False  # free text that may hold line breaks (a quoted cell, RFC 4180)


@dataclass(frozen=True)
class Table:
    """A source table: ``{name}.csv`` in the data folder; its rows become things of ``type_word``."""

    name: str
    type_word: str
    columns: tuple[Column, ...]
    optional: bool = False  # an optional table's file may be absent (then it has no rows)

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


ID = Column("id", ValueType.SLUG, required=True)
SOURCE = Column("source", ValueType.SLUG, required=True, many=True, refers_to=("documents",))
ORG_TABLES = ("initiatives", "organisations")


def _ref(name: str, *tables: str, required: bool = False, many: bool = False) -> Column:
    return Column(name, ValueType.SLUG, required=required, many=many, refers_to=tables)


def _choice(name: str, *choices: str, required: bool = False) -> Column:
    return Column(name, ValueType.CHOICE, required=required, choices=choices)


def _text(name: str, required: bool = False, many: bool = False, paragraphs: bool = False) -> Column:
    return Column(name, ValueType.TEXT, required=required, many=many, paragraphs=paragraphs)


def _iri(name: str) -> Column:
    return Column(name, ValueType.IRI)


def _pattern(name: str, pattern: str, expected: str, many: bool = False) -> Column:
    return Column(name, ValueType.PATTERN, many=many, pattern=pattern, expected=expected)


def _identifier(name: str, authority: str, expected: str) -> Column:
    """An authority's identifier, checked against the pattern of publisher.links."""
    return _pattern(name, AUTHORITIES_BY_KEY[authority].pattern, expected)


EU_THEME = f"({'|'.join(THEME_MATCHES)}):({'|'.join(THEME_CODES)})"


MEASURES = (
    "events",
    "events-from-state",
    "trade-fair-actions",
    "trade-fair-actions-from-state",
    "activities",
    "activities-from-state",
    "initiatives",
    "initiatives-and-networks",
    "networks",
    "clusters",
    "cluster-actors",
    "participants",
    "federal-states",
    "members",
)

TABLES: tuple[Table, ...] = (
    Table(
        "documents",
        "document",
        (
            ID,
            _text("title", required=True),
            _choice("title_lang", "de", "en", required=True),
            _text("publisher", required=True),
            Column("issued", ValueType.DATE),
            Column("url", ValueType.IRI, required=True),
            SOURCE,
        ),
    ),
    Table(
        "fields",
        "field",
        (
            ID,
            _text("label_de", required=True),
            _text("label_en"),
            _ref("broader", "fields"),
            _pattern(
                "eu_themes",
                EU_THEME,
                "close: or broad: and an EU data-theme code, such as broad:TECH",
                many=True,
            ),
            SOURCE,
        ),
    ),
    Table(
        "places",
        "place",
        (
            ID,
            _choice("kind", "country", "state", "government-region", "municipality", required=True),
            _text("label_de", required=True),
            _text("label_en"),
            _identifier("ags", "municipality-key", "an 8-digit official municipality key such as 08111000"),
            _identifier("state_key", "state-key", "a 2-digit state key such as 08"),
            _identifier("nuts", "nuts", "a NUTS code such as DE11"),
            _identifier("wikidata", "wikidata", "a Wikidata item id such as Q985"),
            _identifier("gnd", "gnd", "a GND id such as 4004176-1"),
            _identifier("geonames", "geonames", "a GeoNames id such as 2953481"),
            _ref("within", "places"),
            SOURCE,
        ),
    ),
    Table(
        "organisations",
        "organisation",
        (
            ID,
            _choice(
                "kind",
                "ministry",
                "company",
                "association",
                "research-institute",
                "public-body",
                "other",
                required=True,
            ),
            _text("label_de", required=True),
            _text("label_en"),
            _iri("homepage"),
            _ref("place", "places"),
            SOURCE,
        ),
    ),
    Table(
        "initiatives",
        "initiative",
        (
            ID,
            _choice(
                "kind",
                "cluster-initiative",
                "state-network",
                "state-agency",
                "research-campus",
                "support-agency",
                "platform",
                "cross-state-cluster",
                required=True,
            ),
            _text("label_de", required=True),
            _text("label_en"),
            _text("alt_labels", many=True),
            _ref("place", "places"),
            _ref("managed_from", "places", many=True),
            _text("region"),
            _text("field_text"),
            _ref("fields", "fields", many=True),
            Column("founded", ValueType.YEARISH),
            _text("founded_note"),
            _ref("managing_orgs", "organisations", many=True),
            _iri("homepage"),
            _text("status"),
            _text("note", paragraphs=True),
            SOURCE,
        ),
    ),
    Table(
        "people",
        "person",
        (
            ID,
            _text("name", required=True),
            _text("honorific_prefix"),
            _text("given_name", required=True),
            _text("family_name", required=True),
            SOURCE,
        ),
    ),
    Table(
        "posts",
        "post",
        (
            ID,
            _ref("holder", "people", required=True),
            _ref("organisation", "organisations", required=True),
            _text("role_de", required=True),
            _text("role_en"),
            Column("start", ValueType.DATE),
            Column("end", ValueType.DATE),
            Column("attested", ValueType.DATE),
            SOURCE,
        ),
    ),
    Table(
        "events",
        "event",
        (
            ID,
            _choice("kind", "series", "event", required=True),
            _text("label_de", required=True),
            _text("label_en"),
            Column("start", ValueType.DATE, required=True),
            Column("end", ValueType.DATE),
            _ref("place", "places"),
            _text("venue"),
            _ref("series", "events"),
            _ref("organisers", *ORG_TABLES, many=True),
            _ref("patrons", "people", many=True),
            _ref("initiated_by", "organisations", many=True),
            _iri("homepage"),
            _text("description_de", paragraphs=True),
            SOURCE,
        ),
    ),
    Table(
        "observations",
        "observation",
        (
            ID,
            _ref(
                "about",
                "initiatives",
                "organisations",
                "places",
                "events",
                "people",
                "fields",
                "documents",
                required=True,
            ),
            _choice("measure", *MEASURES, required=True),
            Column("value", ValueType.COUNT, required=True),
            _choice("qualifier", "exact", "approximately", "more-than"),
            Column("ref_date", ValueType.YEARISH, required=True),
            _text("label_de", required=True),
            _text("label_en"),
            SOURCE,
        ),
    ),
)

# Dated, sourced statements about the things above (optional tables: a data folder may leave them out). Each
# row becomes a node of its own with its dates and sources, so two sources that disagree stand side by side.
QUALITY_LABELS = ("state-cluster-excellence", "esca-bronze", "esca-silver", "esca-gold")
STATUSES = ("dissolution-decided", "in-dissolution", "dissolved", "merged")
ROLES = ("operator", "initiator")
DATED_TABLES: tuple[Table, ...] = (
    Table(
        "labels",
        "award",
        (
            ID,
            _ref("holder", "initiatives", required=True),
            _choice("label", *QUALITY_LABELS, required=True),
            Column("awarded", ValueType.YEARISH),
            Column("valid_until", ValueType.YEARISH),
            Column("attested", ValueType.YEARISH),
            _text("wording"),
            SOURCE,
        ),
        optional=True,
    ),
    Table(
        "statuses",
        "status",
        (
            ID,
            _ref("about", *ORG_TABLES, required=True),
            _choice("status", *STATUSES, required=True),
            Column("since", ValueType.YEARISH),
            Column("reported", ValueType.YEARISH),
            _ref("successor", *ORG_TABLES),
            _text("wording"),
            SOURCE,
        ),
        optional=True,
    ),
    Table(
        "names",
        "name",
        (
            ID,
            _ref("about", *ORG_TABLES, required=True),
            _text("name", required=True),
            _choice("lang", "de", "en", required=True),
            Column("start", ValueType.YEARISH),
            Column("end", ValueType.YEARISH),
            Column("attested", ValueType.YEARISH, many=True),
            SOURCE,
        ),
        optional=True,
    ),
    Table(
        "roles",
        "role",
        (
            ID,
            _choice("role", *ROLES, required=True),
            _ref("in", "initiatives", "events", required=True),
            _ref("agents", "organisations", many=True),
            _text("agents_text"),
            Column("start", ValueType.YEARISH),
            Column("end", ValueType.YEARISH),
            Column("attested", ValueType.YEARISH, many=True),
            _text("wording"),
            SOURCE,
        ),
        optional=True,
    ),
)
TABLES = TABLES + DATED_TABLES

TABLES_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}

# Not an entity table, and optional: ids taken out of the tables, each with the entity that replaces it. A
# retired id answers 410 Gone naming its replacement (dcterms:isReplacedBy); it must not be a current id.
REPLACEMENTS = Table(
    "replacements",
    "",  # its rows become no things
    (ID, _ref("replaced_by", *(t.name for t in TABLES), required=True), SOURCE),
)

# Not an entity table, and optional: the publication's description of itself (title, texts, spatial coverage,
# publisher, ...), one row per property; publisher.publication checks the values and data/README.md section 7
# documents them. ``id`` names the property, ``value`` holds it (a text's German wording), ``value_en`` a
# text's English wording.
PUBLICATION_PROPERTIES = (
    "title",
    "short-title",
    "catalog-title",
    "description",
    "home-text",
    "search-hint",
    "keywords",
    "themes",
    "spatial",
    "publisher-name",
    "publisher-url",
    "contact-email",
    "contact-url",
    "contributor-id",
    "licence",
    "attribution",
    "coverage",
    "coverage-total",
    "coverage-kinds",
)
PUBLICATION = Table(
    "publication",
    "",  # its rows become no things
    (
        Column("id", ValueType.CHOICE, required=True, choices=PUBLICATION_PROPERTIES),
        _text("value"),
        _text("value_en"),
    ),
)
