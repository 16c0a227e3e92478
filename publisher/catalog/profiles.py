"""What the two DCAT-AP.de versions GovData validates disagree on, and the dump formats both describe."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Namespace, URIRef
from rdflib.namespace import OWL, XSD

SPDX = Namespace("http://spdx.org/rdf/terms#")
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")  # DCAT 3; rdflib knows DCAT 2


@dataclass(frozen=True)
class Profile:
    """How one DCAT-AP.de version wants the few properties the versions disagree on."""

    key: str
    label: str
    iri: str
    byte_size_type: URIRef
    checksum_algorithm: URIRef | None  # None: the profile's list names no SHA-256 we could cite
    version_property: URIRef
    political_geocoding_uri: bool  # dcatde:politicalGeocodingURI (deprecated in 3.0 for dcterms:spatial)


PROFILES: dict[str, Profile] = {
    "3.0": Profile(
        key="3.0",
        label="DCAT-AP.de 3.0",
        iri="https://www.dcat-ap.de/def/dcatde/3.0/spec/",
        byte_size_type=XSD.nonNegativeInteger,
        checksum_algorithm=SPDX.checksumAlgorithm_sha256,
        version_property=DCAT_VERSION,
        political_geocoding_uri=False,
    ),
    "2.0": Profile(
        key="2.0",
        label="DCAT-AP.de 2.0",
        iri="https://www.dcat-ap.de/def/dcatde/2.0/spec/",
        byte_size_type=XSD.decimal,
        checksum_algorithm=None,
        version_property=OWL.versionInfo,
        political_geocoding_uri=True,
    ),
}
DEFAULT_PROFILE = "3.0"


@dataclass(frozen=True)
class DumpKind:
    """What a dump file holds: its EU file type, its media type and whether it is gzipped."""

    file_type: str
    media_type: str
    gzipped: bool
    label: str


DUMP_KINDS = {
    "data.ttl": DumpKind("RDF_TURTLE", "text/turtle", False, "Turtle"),
    "data.ttl.gz": DumpKind("RDF_TURTLE", "text/turtle", True, "Turtle, gzip"),
    "data.nt.gz": DumpKind("RDF_N_TRIPLES", "application/n-triples", True, "N-Triples, gzip"),
    "data.jsonld": DumpKind("JSON_LD", "application/ld+json", False, "JSON-LD"),
    "data.jsonld.gz": DumpKind("JSON_LD", "application/ld+json", True, "JSON-LD, gzip"),
}


def catalog_file(profile: Profile) -> str:
    """The name of a profile's copy in a release folder."""
    return "catalog.ttl" if profile.key == DEFAULT_PROFILE else f"catalog-dcat-ap-de-{profile.key}.ttl"
