"""The vocabularies the mapping uses: standard namespaces from rdflib and the ontology's own terms.

The ontology's IRIs depend on the base (``{base}def/cluster#Term``), so its terms are looked up at run time
against the term list below; a test checks that list against ontology/cluster.ttl, and an unknown term is an
AttributeError, not a new IRI.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    VOID,
    XSD,
    Graph,
    Namespace,
    URIRef,
)

__all__ = [
    "DCAT",
    "DCAT3",
    "DCTERMS",
    "FOAF",
    "ONTOLOGY_FILE",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SDO",
    "SH",
    "SKOS",
    "TERMS",
    "VOID",
    "XHV",
    "XSD",
    "ClusterTerms",
    "expand",
    "load_ontology",
    "prefixes_for",
    "schema_term",
]

# DCAT 3 (W3C Recommendation 2024) terms rdflib's DCAT namespace, which predates it, lacks.
DCAT3 = Namespace("http://www.w3.org/ns/dcat#")
XHV = Namespace("http://www.w3.org/1999/xhtml/vocab#")  # next/prev of a paged list

# Prefixes for serializations and summaries (the ontology's own, `cluster:`, depends on the base).
PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
}


def prefixes_for(base: str) -> dict[str, str]:
    """PREFIXES with the ontology's own, ``cluster:`` (``{base}def/cluster#``)."""
    return {**PREFIXES, "cluster": f"{base}def/cluster#"}


def expand(name: str, base: str) -> str:
    """The IRI of a compact name (``cluster:ClusterInitiative``) under ``base``; other text as it is."""
    prefixes = prefixes_for(base)
    prefix, _, local = name.partition(":")
    return prefixes[prefix] + local if prefix in prefixes and local else name


ONTOLOGY_FILE = Path(__file__).resolve().parent.parent / "ontology" / "cluster.ttl"

CLASSES = (
    "ClusterOrganisation",
    "ClusterInitiative",
    "StateNetwork",
    "StateAgency",
    "ResearchCampus",
    "SupportAgency",
    "Municipality",
    "GovernmentRegion",
    "Qualifier",
    "Platform",
    "CrossStateCluster",
    "QualityLabel",
    "LabelAward",
    "Status",
    "StatusReport",
    "DatedName",
    "AgentRole",
    "RoleType",
)
INDIVIDUALS = (
    "Exact",
    "Approximately",
    "MoreThan",
    "PublisherClassification",
    "StateClusterExcellence",
    "ClusterManagementExcellenceBronze",
    "ClusterManagementExcellenceSilver",
    "ClusterManagementExcellenceGold",
    "DissolutionDecided",
    "InDissolution",
    "Dissolved",
    "Merged",
    "Operator",
    "Initiator",
)
PROPERTIES = (
    "managedBy",
    "technologyField",
    "technologyFieldText",
    "regionText",
    "statusText",
    "foundingNote",
    "municipalityKey",
    "venueName",
    "patron",
    "initiatedBy",
    "attestedOn",
    "qualifier",
    "queryTimeLimit",
    "resultRowLimit",
    "requestSizeLimit",
    "classifiedBy",
    "managedFrom",
    "holdsLabel",
    "qualityLabel",
    "awardedOn",
    "validUntil",
    "statedAs",
    "statusReport",
    "reportedStatus",
    "reportedOn",
    "successor",
    "hadName",
    "hasRole",
    "roleType",
    "roleAgent",
    "agentText",
)
MEASURE_TERMS = (
    "numberOfEvents",
    "numberOfEventsFromState",
    "numberOfTradeFairActions",
    "numberOfTradeFairActionsFromState",
    "numberOfActivities",
    "numberOfActivitiesFromState",
    "numberOfInitiatives",
    "numberOfInitiativesAndNetworks",
    "numberOfNetworks",
    "numberOfClusters",
    "numberOfClusterActors",
    "numberOfParticipants",
    "numberOfFederalStates",
    "numberOfMembers",
)
TERMS: frozenset[str] = frozenset(CLASSES + INDIVIDUALS + PROPERTIES + MEASURE_TERMS)


class ClusterTerms:
    """The ontology's terms under one base: ``terms.ClusterInitiative`` or ``terms["numberOfEvents"]``."""

    def __init__(self, namespace: str) -> None:
        self.namespace = Namespace(namespace)

    def __getitem__(self, name: str) -> URIRef:
        if name not in TERMS:
            raise AttributeError(f"{name!r} is not a term of the cluster ontology")
        return self.namespace[name]

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("_") or name == "namespace":
            raise AttributeError(name)
        return self[name]


def measure_term(measure: str) -> str:
    """The ontology term of a measure: ``events-from-state`` -> numberOfEventsFromState."""
    return "numberOf" + "".join(part.capitalize() for part in measure.split("-"))


def schema_term(name: str) -> URIRef:
    """A schema.org term that rdflib's SDO namespace does not list yet (it follows an older schema.org)."""
    if name not in NEWER_SCHEMA_TERMS:
        raise AttributeError(f"{name!r} is not a known schema.org term; use rdflib's SDO namespace")
    return URIRef(str(SDO) + name)


NEWER_SCHEMA_TERMS = frozenset({"observationAbout"})


def load_ontology(ontology_iri: str) -> Graph:
    """The ontology as a graph, its relative IRIs resolved against ``ontology_iri`` ({base}def/cluster)."""
    graph = Graph()
    graph.parse(ONTOLOGY_FILE, format="turtle", publicID=ontology_iri)
    return graph
