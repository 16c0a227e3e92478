"""Stage 2, map: typed records become RDF triples, with minted URIs and provenance on every entity."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from publisher.cells import PartialDate
from publisher.links import AUTHORITIES_BY_KEY, THEME_MATCHES
from publisher.map_dated import DatedMapper, dated
from publisher.read import Record, SourceData
from publisher.tables import TABLES_BY_NAME
from publisher.uris import UriScheme
from publisher.vocab import (
    DCTERMS,
    FOAF,
    ORG,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    XSD,
    ClusterTerms,
    load_ontology,
    measure_term,
    schema_term,
)

log = logging.getLogger(__name__)

_PRECISION_TYPES = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}
_ORGANISATION_TYPES = {
    "ministry": SDO.GovernmentOrganization,
    "public-body": SDO.GovernmentOrganization,
    "company": SDO.Corporation,
    "research-institute": SDO.ResearchOrganization,
    "association": SDO.NGO,
}
_INITIATIVE_CLASSES = {
    "cluster-initiative": "ClusterInitiative",
    "state-network": "StateNetwork",
    "state-agency": "StateAgency",
    "research-campus": "ResearchCampus",
    "support-agency": "SupportAgency",
    "platform": "Platform",
    "cross-state-cluster": "CrossStateCluster",
}
_PLACE_CLASSES = {"country": SDO.Country, "state": SDO.State}
_QUALIFIERS = {"exact": "Exact", "approximately": "Approximately", "more-than": "MoreThan"}
# places.csv column -> the authority its identifier belongs to (its link predicate is the authority's first)
_PLACE_LINKS = {
    "wikidata": "wikidata",
    "gnd": "gnd",
    "geonames": "geonames",
    "nuts": "nuts",
    "state_key": "state-key",
    "ags": "municipality-key",
}


@dataclass(frozen=True)
class Origin:
    """Where a mapped node came from: a source table's file and row."""

    file: str
    row: int

    def __str__(self) -> str:
        return f"{self.file}:{self.row}"


@dataclass
class Mapping:
    """The mapped graph and, for every subject, the source row it came from.

    ``replacements`` (from replacements.csv) maps a retired id to the IRI replacing it and the IRIs of the
    documents that say so; it stays out of the graph, since the retired IRI is no longer in the dataset
    (publisher.release.previous records it in gone.json for the 410 Gone answer).
    """

    graph: Graph
    origins: dict[Node, Origin] = field(default_factory=dict)
    replacements: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)


def map_sources(data: SourceData, uris: UriScheme) -> Mapping:
    """Map every record of ``data`` into one graph under the URI scheme ``uris``."""
    mapper = _Mapper(data, uris)
    for table_name, records in data.records.items():
        map_record = mapper.table_mappers[table_name]
        for record in records:
            map_record(record)
    mapper.map_field_scheme()
    mapper.graph += mapper.ontology  # terms, labels and class hierarchy travel with the data
    log.info("mapped %d rows to %d triples", data.rows_read, len(mapper.graph))
    replacements = {
        r.id: (
            str(mapper.iri(str(r.get("replaced_by")))),
            tuple(str(mapper.iri(k)) for k in r.refs("source")),
        )
        for r in data.replacements
    }
    return Mapping(mapper.graph, mapper.origins, replacements)


class _Mapper(DatedMapper):
    def __init__(self, data: SourceData, uris: UriScheme) -> None:
        self.data = data
        self.uris = uris
        self.terms = ClusterTerms(uris.ontology_namespace)
        self.ontology = load_ontology(str(uris.ontology))
        self.graph = Graph()
        self.origins: dict[Node, Origin] = {}
        self.top_fields: list[Record] = []
        self.iris: dict[str, URIRef] = {}
        self.table_mappers: dict[str, Callable[[Record], None]] = {
            "documents": self.map_document,
            "fields": self.map_field,
            "places": self.map_place,
            "organisations": self.map_organisation,
            "initiatives": self.map_initiative,
            "people": self.map_person,
            "posts": self.map_post,
            "events": self.map_event,
            "observations": self.map_observation,
            "labels": self.map_label_award,
            "statuses": self.map_status_report,
            "names": self.map_dated_name,
            "roles": self.map_agent_role,
        }

    # -- helpers ---------------------------------------------------------------------------------------

    def iri(self, key: str) -> URIRef:
        """The IRI of the entity with id ``key`` (ids are unique across tables); minted once per id."""
        found = self.iris.get(key)
        if found is None:
            record = self.data.by_id[key]
            found = self.iris[key] = self.uris.thing(TABLES_BY_NAME[record.table].type_word, key)
        return found

    def add(self, subject: Node, predicate: URIRef, value: object) -> None:
        if value is None:
            return
        obj: Node
        if isinstance(value, Node):
            obj = value
        elif isinstance(value, PartialDate):
            obj = Literal(value.text, datatype=_PRECISION_TYPES[value.precision])
        elif isinstance(value, dt.date):
            obj = Literal(value.isoformat(), datatype=XSD.date)
        elif isinstance(value, int):
            obj = Literal(value, datatype=XSD.integer)
        else:
            obj = Literal(str(value))
        self.graph.add((subject, predicate, obj))

    def add_text(self, subject: Node, predicate: URIRef, text: str | None, lang: str | None = None) -> None:
        if text:
            self.graph.add((subject, predicate, Literal(text, lang=lang)))

    def add_refs(self, subject: Node, predicate: URIRef, keys: Iterable[str]) -> None:
        for key in keys:
            self.graph.add((subject, predicate, self.iri(key)))

    def entity(self, record: Record, *classes: URIRef) -> URIRef:
        """Mint the entity of ``record`` with its classes, labels and sources."""
        subject = self.iri(record.id)
        self.origins[subject] = Origin(TABLES_BY_NAME[record.table].file_name, record.row)
        for cls in classes:
            self.graph.add((subject, RDF.type, cls))
        self.add_text(subject, RDFS.label, record.text("label_de"), "de")
        self.add_text(subject, RDFS.label, record.text("label_en"), "en")
        self.add_refs(subject, PROV.wasDerivedFrom, (k for k in record.refs("source") if k != record.id))
        return subject

    # -- one method per table --------------------------------------------------------------------------

    def map_document(self, record: Record) -> None:
        subject = self.entity(record, FOAF.Document)
        lang = record.text("title_lang")
        self.add_text(subject, DCTERMS.title, record.text("title"), lang)
        self.add_text(subject, RDFS.label, record.text("title"), lang)
        publisher = BNode(f"publisher-{record.id}")
        self.graph.add((subject, DCTERMS.publisher, publisher))
        self.graph.add((publisher, RDF.type, FOAF.Agent))
        self.add_text(publisher, FOAF.name, record.text("publisher"))
        self.add(subject, DCTERMS.issued, record.get("issued"))
        self.add(subject, SDO.url, URIRef(str(record.get("url"))))

    def map_field(self, record: Record) -> None:
        subject = self.entity(record, SKOS.Concept)
        self.add_text(subject, SKOS.prefLabel, record.text("label_de"), "de")
        self.add_text(subject, SKOS.prefLabel, record.text("label_en"), "en")
        scheme = self.uris.field_scheme
        self.graph.add((subject, SKOS.inScheme, scheme))
        broader = record.text("broader")
        if broader:
            self.graph.add((subject, SKOS.broader, self.iri(broader)))
        else:
            self.graph.add((subject, SKOS.topConceptOf, scheme))
            self.graph.add((scheme, SKOS.hasTopConcept, subject))
            self.top_fields.append(record)
        themes = AUTHORITIES_BY_KEY["eu-data-theme"]
        for value in record.refs("eu_themes"):  # our own mapping, e.g. "broad:TECH" (data/README.md)
            match, code = value.split(":")
            self.graph.add((subject, URIRef(THEME_MATCHES[match]), themes.iri(code)))
        if record.refs("eu_themes"):
            self.graph.add((subject, self.terms.classifiedBy, self.terms.PublisherClassification))

    def map_field_scheme(self) -> None:
        if not self.top_fields:
            return
        scheme = self.uris.field_scheme
        self.graph.add((scheme, RDF.type, SKOS.ConceptScheme))
        self.add_text(scheme, RDFS.label, "Politik- und Technologiefelder", "de")
        self.add_text(scheme, RDFS.label, "Policy and technology fields", "en")
        sources = {key for record in self.top_fields for key in record.refs("source")}
        self.add_refs(scheme, PROV.wasDerivedFrom, sorted(sources))

    def map_place(self, record: Record) -> None:
        kind = str(record.get("kind"))
        cls = (
            _PLACE_CLASSES.get(kind)
            or self.terms["Municipality" if kind == "municipality" else "GovernmentRegion"]
        )
        subject = self.entity(record, cls)
        self.add_refs(subject, SDO.containedInPlace, record.refs("within"))
        self.add_text(subject, self.terms.municipalityKey, record.text("ags"))
        for column, key in _PLACE_LINKS.items():
            identifier = record.text(column)
            if identifier:
                authority = AUTHORITIES_BY_KEY[key]
                self.graph.add((subject, URIRef(authority.predicates[0]), authority.iri(identifier)))

    def map_organisation(self, record: Record) -> None:
        extra = _ORGANISATION_TYPES.get(str(record.get("kind")))
        subject = self.entity(record, ORG.FormalOrganization, *([extra] if extra else []))
        self.add_homepage(subject, record)
        self.add_refs(subject, SDO.location, record.refs("place"))

    def map_initiative(self, record: Record) -> None:
        subject = self.entity(record, self.terms[_INITIATIVE_CLASSES[str(record.get("kind"))]])
        for alt in record.refs("alt_labels"):
            self.add_text(subject, SKOS.altLabel, alt, "de")
        self.add_refs(subject, SDO.location, record.refs("place"))
        self.add_text(subject, self.terms.regionText, record.text("region"))
        self.add_text(subject, self.terms.technologyFieldText, record.text("field_text"))
        self.add_refs(subject, self.terms.technologyField, record.refs("fields"))  # ours, not a source's:
        if record.refs("fields"):  # the page and the data say whose classification it is
            self.graph.add((subject, self.terms.classifiedBy, self.terms.PublisherClassification))
        self.add_refs(subject, self.terms.managedFrom, record.refs("managed_from"))
        self.add(subject, SDO.foundingDate, record.get("founded"))
        self.add_text(subject, self.terms.foundingNote, record.text("founded_note"))
        self.add_refs(subject, self.terms.managedBy, record.refs("managing_orgs"))
        self.add_homepage(subject, record)
        self.add_text(subject, self.terms.statusText, record.text("status"))
        self.add_text(subject, SKOS.editorialNote, record.text("note"))

    def map_person(self, record: Record) -> None:
        subject = self.entity(record, SDO.Person, FOAF.Person)
        self.add_text(subject, RDFS.label, record.text("name"))
        self.add_text(subject, SDO.name, record.text("name"))
        self.add_text(subject, SDO.honorificPrefix, record.text("honorific_prefix"))
        self.add_text(subject, SDO.givenName, record.text("given_name"))
        self.add_text(subject, SDO.familyName, record.text("family_name"))

    def map_post(self, record: Record) -> None:
        subject = self.entity(record, ORG.Post)
        for language in ("de", "en"):  # the title; the label adds its dates, so a page shows them with it
            role = record.text(f"role_{language}")
            self.add_text(subject, SKOS.prefLabel, role, language)
            if role:
                label = dated(role, record, ("start", "end", "attested"), language)
                self.add_text(subject, RDFS.label, label, language)
        self.add_refs(subject, ORG.heldBy, record.refs("holder"))
        self.add_refs(subject, ORG.postIn, record.refs("organisation"))
        self.add(subject, SDO.startDate, record.get("start"))
        self.add(subject, SDO.endDate, record.get("end"))
        self.add(subject, self.terms.attestedOn, record.get("attested"))

    def map_event(self, record: Record) -> None:
        cls = SDO.EventSeries if record.get("kind") == "series" else SDO.Event
        subject = self.entity(record, cls)
        self.add(subject, SDO.startDate, record.get("start"))
        self.add(subject, SDO.endDate, record.get("end"))
        self.add_refs(subject, SDO.location, record.refs("place"))
        self.add_text(subject, self.terms.venueName, record.text("venue"))
        self.add_refs(subject, SDO.superEvent, record.refs("series"))
        self.add_refs(subject, SDO.organizer, record.refs("organisers"))
        self.add_refs(subject, self.terms.patron, record.refs("patrons"))
        self.add_refs(subject, self.terms.initiatedBy, record.refs("initiated_by"))
        self.add_homepage(subject, record)
        self.add_text(subject, SDO.description, record.text("description_de"), "de")

    def map_observation(self, record: Record) -> None:
        subject = self.entity(record, SDO.Observation)
        self.add_refs(subject, schema_term("observationAbout"), record.refs("about"))
        self.graph.add((subject, SDO.measuredProperty, self.terms[measure_term(str(record.get("measure")))]))
        self.add(subject, SDO.value, record.get("value"))
        qualifier = _QUALIFIERS[str(record.get("qualifier") or "exact")]
        self.graph.add((subject, self.terms.qualifier, self.terms[qualifier]))
        self.add(subject, SDO.observationDate, record.get("ref_date"))

    def add_homepage(self, subject: URIRef, record: Record) -> None:
        homepage = record.text("homepage")
        if homepage:
            self.graph.add((subject, FOAF.homepage, URIRef(homepage)))
