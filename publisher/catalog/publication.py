"""What the publication says about itself (its description, publisher, contact, terms) and the period its data
covers: the data folder's description (publisher.publication), with the deployment's settings over it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from publisher.publication import Description, description_of
from publisher.read import SourceData
from publisher.settings import Settings
from publisher.tables import TABLES, ValueType

DEFAULT_LICENCE = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
DEFAULT_PUBLISHER = "clusterlod"
OVERRIDDEN = (  # the facts a setting of the same name overrides: (field, property of publication.csv)
    ("publisher_name", "publisher-name"),
    ("publisher_url", "publisher-url"),
    ("contact_email", "contact-email"),
    ("contact_url", "contact-url"),
    ("contributor_id", "contributor-id"),
    ("licence", "licence"),
    ("attribution", "attribution"),
)


@dataclass(frozen=True)
class Publication:
    """What the publication says about itself and under which terms: the description of the data folder,
    each publisher fact overridden by the deployment's setting when that is set."""

    base: str
    licence: str
    publisher_name: str
    publisher_url: str = ""
    contact_email: str = ""
    contact_url: str = ""
    contributor_id: str = ""
    attribution: str = ""
    description: Description = field(default_factory=lambda: description_of(None))
    defaults: tuple[str, ...] = ()  # the facts that neither the settings nor the description give

    @property
    def attribution_text(self) -> str:
        return self.attribution or self.publisher_name

    @property
    def contact_page(self) -> str | None:
        """The contact's URL: the one set; without it and without an e-mail, the publisher's home page or,
        lacking that, this site's (DCAT-AP.de wants an e-mail or a URL)."""
        if self.contact_url:
            return self.contact_url
        if self.contact_email:
            return None
        return self.publisher_url or self.base


@dataclass(frozen=True)
class Coverage:
    """The first and last day the data speaks about (``dcterms:temporal``); None when it states no dates."""

    start: dt.date | None
    end: dt.date | None


COVERAGE_QUERY = """
SELECT ?type (MIN(?date) AS ?first) (MAX(?date) AS ?last) WHERE {
  ?thing ?property ?date
  FILTER(STRSTARTS(STR(?thing), "BASEid/"))
  BIND(DATATYPE(?date) AS ?type)
  FILTER(?type IN (<http://www.w3.org/2001/XMLSchema#date>, <http://www.w3.org/2001/XMLSchema#gYearMonth>,
                   <http://www.w3.org/2001/XMLSchema#gYear>))
} GROUP BY ?type
"""


def harvest_warnings(publication: Publication) -> list[str]:
    """What a data portal would publish as a default: what neither publication.csv nor the settings give
    (the defaults describe a local preview, not a programme or a publishing organisation)."""
    described = publication.description
    warnings = []
    if not described.has_file:
        warnings.append(
            "the data folder has no publication.csv: title, description and keywords are neutral wording "
            "from the tables, and there is no spatial coverage (data/README.md, section 7)"
        )
    else:
        missing = [
            name for name in ("title", "description", "keywords", "themes") if name not in described.stated
        ]
        if missing:
            warnings.append(
                f"publication.csv does not give {', '.join(missing)}: neutral wording is published"
            )
        if described.spatial is None:
            warnings.append("publication.csv does not give spatial: the description has no dcterms:spatial")
        if described.total is None:
            warnings.append(
                "publication.csv does not give coverage-total: nothing says how much the data covers"
            )
    if "publisher_name" in publication.defaults:
        warnings.append(
            f"publisher_name is not set (publication.csv publisher-name, or the setting): the publisher is "
            f"{publication.publisher_name!r}"
        )
    if "licence" in publication.defaults:
        warnings.append(
            f"licence is not set (publication.csv licence, or the setting): it is {publication.licence}"
        )
    if not publication.contributor_id:
        warnings.append(
            "contributor_id is not set: the DCAT-AP.de 2.0 description lacks dcatde:contributorID, which "
            "GovData's conventions require (GovData assigns the ID)"
        )
    if not publication.contact_email and not publication.contact_url:
        warnings.append(
            f"neither contact_email nor contact_url is set: the contact point is {publication.contact_page}"
        )
    if publication.base.startswith(("http://localhost", "http://127.0.0.1")):
        warnings.append(f"base is {publication.base}: every URI and download URL in the description is local")
    return warnings


def coverage_of_sources(data: SourceData) -> Coverage:
    """The period from the date columns of the source tables (the dates the data states), found in one pass
    over the records: far cheaper than scanning a large store."""
    first: dt.date | None = None
    last: dt.date | None = None
    for table in TABLES:
        columns = [c.name for c in table.columns if c.type in (ValueType.DATE, ValueType.YEARISH)]
        for record in data.table(table.name) if columns else ():
            for name in columns:
                value = record.values.get(name)
                text = value.isoformat() if isinstance(value, dt.date) else getattr(value, "text", None)
                if text is None:
                    continue
                start, end = _first_day(text), _last_day(text)
                first = start if first is None or start < first else first
                last = end if last is None or end > last else last
    return Coverage(first, last)


def coverage_query(base: str) -> str:
    """SPARQL for the earliest and latest date, year-month and year stated about the things under ``base``."""
    return COVERAGE_QUERY.replace("BASE", base)


def coverage_of(rows: list[dict[str, str]]) -> Coverage:
    """The period from the answers of :func:`coverage_query`: a year starts on 1 January and ends on
    31 December, a month on its first and last day."""
    starts = [_first_day(row["first"]) for row in rows if "first" in row]
    ends = [_last_day(row["last"]) for row in rows if "last" in row]
    return Coverage(min(starts, default=None), max(ends, default=None))


def _first_day(value: str) -> dt.date:
    parts = [int(part) for part in value[:10].split("-")]
    return dt.date(*parts, *[1] * (3 - len(parts)))


def _last_day(value: str) -> dt.date:
    parts = [int(part) for part in value[:10].split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(parts[0], 12, 31)


def publication_of(settings: Settings, description: Description | None = None) -> Publication:
    """The description of the data folder (neutral without one), each publisher fact overridden by the
    setting of the same name when that is set; the publisher and the licence fall back to defaults."""
    described = description or description_of(None)
    facts = {name: getattr(settings, name) or getattr(described, name) for name, _property in OVERRIDDEN}
    fallbacks = {"publisher_name": DEFAULT_PUBLISHER, "licence": DEFAULT_LICENCE}
    defaults = tuple(name for name in fallbacks if not facts[name])
    facts.update({name: fallbacks[name] for name in defaults})
    return Publication(base=settings.base, description=described, defaults=defaults, **facts)
