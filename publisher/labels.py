"""German and English labels of the terms of other vocabularies that the mapping uses, as pages show them.

The ontology's own terms carry their labels in ontology/cluster.ttl (they are published with the data); the
terms of the standard vocabularies (schema.org, SKOS, DCTERMS, FOAF, ORG, PROV, OWL, RDF, RDFS) are labelled
here, in one table, since their own vocabularies are not loaded. A link read backwards (what links to a
thing, on its page) has a label of its own in INVERSE, the ontology's properties included. A test checks that
every property and class of the mapped bundled data has a German and an English label, from the ontology or
from this table, and every link between things a label read backwards.
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import Literal

from publisher.vocab import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    load_ontology,
    schema_term,
)

ONTOLOGY_PREFIX = "cluster"

# term IRI -> (German, English); nouns capitalised in German, lower case in English, as in the ontology
LABELS: dict[str, tuple[str, str]] = {
    str(term): labels
    for term, labels in {
        RDF.type: ("Typ", "type"),
        RDFS.label: ("Bezeichnung", "label"),
        OWL.sameAs: ("dasselbe wie", "same as"),
        DCTERMS.title: ("Titel", "title"),
        DCTERMS.description: ("Beschreibung", "description"),
        DCTERMS.issued: ("veröffentlicht am", "issued"),
        DCTERMS.publisher: ("Herausgeber", "publisher"),
        DCTERMS.isReplacedBy: ("ersetzt durch", "replaced by"),
        PROV.wasDerivedFrom: ("Quelle", "source"),
        FOAF.name: ("Name", "name"),
        FOAF.homepage: ("Website", "homepage"),
        ORG.heldBy: ("Inhaberin oder Inhaber", "held by"),
        ORG.postIn: ("Stelle bei", "post in"),
        SKOS.prefLabel: ("Bevorzugte Bezeichnung", "preferred label"),
        SKOS.altLabel: ("Weitere Bezeichnung", "alternative label"),
        SKOS.definition: ("Definition", "definition"),
        SKOS.editorialNote: ("Anmerkung", "note"),
        SKOS.broader: ("Übergeordnetes Feld", "broader field"),
        SKOS.inScheme: ("Teil von", "in scheme"),
        SKOS.topConceptOf: ("Oberstes Feld in", "top concept of"),
        SKOS.hasTopConcept: ("Oberstes Feld", "top concept"),
        SKOS.exactMatch: ("Entspricht genau", "exact match"),
        SKOS.closeMatch: ("Entspricht ungefähr", "close match"),
        SKOS.broadMatch: ("Fällt unter", "broader match"),
        SDO.name: ("Name", "name"),
        SDO.honorificPrefix: ("Namenszusatz", "honorific prefix"),
        SDO.givenName: ("Vorname", "given name"),
        SDO.familyName: ("Familienname", "family name"),
        SDO.description: ("Beschreibung", "description"),
        SDO.url: ("Webadresse", "web address"),
        SDO.location: ("Ort", "place"),
        SDO.containedInPlace: ("Liegt in", "contained in"),
        SDO.foundingDate: ("Gründungsdatum", "founding date"),
        SDO.startDate: ("Beginn", "start date"),
        SDO.endDate: ("Ende", "end date"),
        SDO.superEvent: ("Veranstaltungsreihe", "event series"),
        SDO.organizer: ("Veranstalter", "organiser"),
        SDO.measuredProperty: ("Gezählt wird", "what is counted"),
        SDO.value: ("Wert", "value"),
        SDO.observationDate: ("Stand", "as of"),
        schema_term("observationAbout"): ("Angabe über", "figure about"),
        # classes
        FOAF.Document: ("Quelle", "source document"),
        FOAF.Agent: ("Akteur", "agent"),
        FOAF.Person: ("Person", "person"),
        SDO.Person: ("Person", "person"),
        ORG.FormalOrganization: ("Organisation", "organisation"),
        ORG.Post: ("Funktion", "post"),
        SDO.GovernmentOrganization: ("Behörde", "government organisation"),
        SDO.Corporation: ("Unternehmen", "company"),
        SDO.NGO: ("Nichtregierungsorganisation", "non-governmental organisation"),
        SDO.ResearchOrganization: ("Forschungseinrichtung", "research organisation"),
        SDO.Event: ("Veranstaltung", "event"),
        SDO.EventSeries: ("Veranstaltungsreihe", "event series"),
        SDO.Country: ("Staat", "country"),
        SDO.State: ("Land", "state"),
        SDO.Observation: ("Zahlenangabe", "figure"),
        SKOS.Concept: ("Politik- oder Technologiefeld", "policy or technology field"),
        SKOS.ConceptScheme: ("Begriffssystem", "concept scheme"),
    }.items()
}

# property -> how a page names it read backwards, from its object: "broader field of", not "broader field".
# The ontology's own properties are keyed by their name (their IRIs depend on the base).
INVERSE: dict[str, tuple[str, str]] = {
    **{
        str(term): labels
        for term, labels in {
            PROV.wasDerivedFrom: ("Quelle von", "source of"),
            ORG.heldBy: ("Inhaberin oder Inhaber von", "holder of"),
            ORG.postIn: ("Funktionen", "posts"),
            SKOS.broader: ("Übergeordnetes Feld von", "broader field of"),
            SKOS.inScheme: ("Enthält", "contains"),
            SKOS.topConceptOf: ("Oberste Felder", "top concepts"),
            SKOS.hasTopConcept: ("Oberstes Feld in", "top concept of"),
            SDO.location: ("Ort von", "place of"),
            SDO.containedInPlace: ("Darin liegt", "contains"),
            SDO.superEvent: ("Veranstaltungen der Reihe", "events of the series"),
            SDO.organizer: ("Veranstalter von", "organiser of"),
            schema_term("observationAbout"): ("Zahlenangaben dazu", "figures about it"),
        }.items()
    },
    "managedBy": ("managt", "manages"),
    "technologyField": ("Technologiefeld von", "technology field of"),
    "patron": ("Schirmherrin oder Schirmherr von", "patron of"),
    "initiatedBy": ("hat angeregt", "initiated"),
    "managedFrom": ("Von hier gemanagt", "managed from here"),
    "hadName": ("Name von", "name of"),
    "hasRole": ("Rolle in", "role in"),
    "roleAgent": ("Rollen", "roles"),
    "holdsLabel": ("Verliehen an", "awarded to"),
    "statusReport": ("Statusmeldung zu", "status report on"),
    "successor": ("Nachfolger in", "successor in"),
}


def term_label(iri: str, language: str) -> str | None:
    """The label of a standard vocabulary's term in ``language`` (``de`` or ``en``), None for other IRIs."""
    labels = LABELS.get(iri)
    if labels is None:
        return None
    return labels[1] if language == "en" else labels[0]


def inverse_label(iri: str, language: str, ontology_namespace: str) -> str | None:
    """How a page names property ``iri`` read backwards, in ``language``; None when the table lacks it."""
    key = iri[len(ontology_namespace) :] if iri.startswith(ontology_namespace) else iri
    labels = INVERSE.get(key)
    if labels is None:
        return None
    return labels[1] if language == "en" else labels[0]


def name_label(name: str, language: str) -> str:
    """The label of a term given by its prefixed name (``schema:Event``, ``cluster:ClusterInitiative``, as a
    release's manifest counts classes), in ``language``; the name itself when no label is known."""
    prefix, _, local = name.partition(":")
    if prefix == ONTOLOGY_PREFIX:
        labels = _ontology_labels().get(local)
        found = labels.get(language) or labels.get("de") if labels else None
    else:
        namespace = PREFIXES.get(prefix)
        found = term_label(namespace + local, language) if namespace else None
    return found or name


@lru_cache(maxsize=1)
def _ontology_labels() -> dict[str, dict[str, str]]:
    """The labels of the ontology's own terms by term name, from ontology/cluster.ttl."""
    namespace = "http://labels.invalid/def/cluster#"  # any base: the names are what count
    found: dict[str, dict[str, str]] = {}
    for term, label in load_ontology(namespace[:-1]).subject_objects(RDFS.label):
        if isinstance(label, Literal) and str(term).startswith(namespace):
            found.setdefault(str(term)[len(namespace) :], {})[label.language or ""] = str(label)
    return found
