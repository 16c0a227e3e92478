"""The catalog graph: catalog, dataset, one distribution per dump of the release, and the SPARQL service."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, XSD

from publisher.catalog.profiles import DUMP_KINDS, SPDX, Profile
from publisher.catalog.publication import Coverage, Publication
from publisher.publication import Description

# the catalog reads a release's typed facts; publisher.releases itself imports the store, which a pure stage
# must not bring at run time
if TYPE_CHECKING:
    from publisher.releases import FileRecord, Release

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
LANGUAGES = ("DEU", "ENG")
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")


def catalog_graph(
    publication: Publication,
    release: Release,
    coverage: Coverage,
    profile: Profile,
) -> Graph:
    """The catalog, dataset, distributions (one per dump of the release) and SPARQL service."""
    base = publication.base
    built = Literal(release.built, datatype=XSD.dateTime)
    first = Literal(release.first_built, datatype=XSD.dateTime)
    graph = _graph()
    catalog, dataset, service = (
        URIRef(f"{base}dataset#catalog"),
        URIRef(f"{base}dataset"),
        URIRef(f"{base}dataset#sparql"),
    )
    publisher = _publisher(graph, publication)
    contact = _contact(graph, publication)

    described = publication.description
    graph.add((catalog, RDF.type, DCAT.Catalog))
    _texts(graph, catalog, DCTERMS.title, dict(described.catalog_title.items()))
    _texts(graph, catalog, DCTERMS.description, _full_description(described))
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((catalog, FOAF.homepage, _document(graph, base)))
    graph.add((catalog, DCAT.dataset, dataset))
    graph.add((catalog, DCAT.service, service))
    graph.add((catalog, DCAT.themeTaxonomy, URIRef(EU + "data-theme")))
    graph.add((catalog, DCTERMS.license, URIRef(publication.licence)))
    spatial = _spatial(graph, publication)
    if spatial is not None:
        graph.add((catalog, DCTERMS.spatial, spatial))
    graph.add((catalog, DCTERMS.issued, first))
    graph.add((catalog, DCTERMS.modified, built))
    for language in LANGUAGES:
        graph.add((catalog, DCTERMS.language, URIRef(f"{EU}language/{language}")))

    _dataset(graph, dataset, publication, release, coverage, profile)
    graph.add((dataset, DCTERMS.publisher, publisher))
    graph.add((dataset, DCAT.contactPoint, contact))
    graph.add((dataset, DCTERMS.issued, first))
    graph.add((dataset, DCTERMS.modified, built))
    for name, facts in sorted(release.files.items()):
        if name.startswith("dumps/") and name.removeprefix("dumps/") in DUMP_KINDS:
            distribution = _distribution(graph, publication, release.id, name, facts, profile)
            graph.add((dataset, DCAT.distribution, distribution))
            graph.add((distribution, DCTERMS.issued, built))
            graph.add((distribution, DCTERMS.modified, built))

    graph.add((service, RDF.type, DCAT.DataService))
    _texts(graph, service, DCTERMS.title, {"de": "SPARQL-Endpunkt", "en": "SPARQL endpoint"})
    graph.add((service, DCAT.endpointURL, URIRef(f"{base}sparql")))
    graph.add((service, DCAT.endpointDescription, URIRef(f"{base}sparql")))
    graph.add((service, DCTERMS.conformsTo, SPARQL_PROTOCOL))
    graph.add((service, DCAT.servesDataset, dataset))
    graph.add((service, DCTERMS.publisher, publisher))
    graph.add((service, DCAT.contactPoint, contact))
    graph.add((service, DCTERMS.license, URIRef(publication.licence)))
    if profile.version_property == VERSION:  # a DCAT 3 profile
        add_current_version(graph, base, release)
    return graph


# DCAT 3's versioning terms (rdflib's DCAT namespace is DCAT 2's)
HAS_VERSION = URIRef("http://www.w3.org/ns/dcat#hasVersion")
HAS_CURRENT_VERSION = URIRef("http://www.w3.org/ns/dcat#hasCurrentVersion")
PREVIOUS_VERSION = URIRef("http://www.w3.org/ns/dcat#previousVersion")
IS_VERSION_OF = URIRef("http://www.w3.org/ns/dcat#isVersionOf")
VERSION = URIRef("http://www.w3.org/ns/dcat#version")
LDES_SPECIFICATION = URIRef("https://w3id.org/ldes/specification")


def add_current_version(graph: Graph, base: str, release: Release) -> None:
    """The dataset's current version (this release, DCAT 3) and the change feed publishing each release's
    changes. The versions themselves are listed at ``{base}releases`` (add_versions): a portal's harvester
    imports every ``dcat:Dataset`` of a description as a record of its own, and DCAT-AP.de's shapes ask
    that whatever ``dcat:hasVersion`` names here be one."""
    dataset = URIRef(f"{base}dataset")
    graph.add((dataset, HAS_CURRENT_VERSION, URIRef(f"{base}releases/{release.id}")))
    feed = URIRef(f"{base}feed")
    graph.add((dataset, RDFS.seeAlso, feed))
    graph.add((feed, DCTERMS.conformsTo, LDES_SPECIFICATION))


def add_versions(graph: Graph, base: str, versions: Sequence[Mapping[str, str]]) -> None:
    """Each release (``id``, ``built``, oldest first, as publisher.history records them) as a version of the
    dataset (DCAT 3): ``dcat:hasVersion``, ``dcat:isVersionOf``, ``dcat:version``, ``dcat:previousVersion``,
    the newest as ``dcat:hasCurrentVersion``."""
    dataset = URIRef(f"{base}dataset")
    previous: URIRef | None = None
    for entry in versions:
        version = URIRef(f"{base}releases/{entry['id']}")
        graph.add((dataset, HAS_VERSION, version))
        graph.add((version, IS_VERSION_OF, dataset))
        graph.add((version, VERSION, Literal(entry["id"])))
        graph.add((version, DCTERMS.issued, Literal(entry["built"], datatype=XSD.dateTime)))
        if previous is not None:
            graph.add((version, PREVIOUS_VERSION, previous))
        previous = version
    if previous is not None:
        graph.add((dataset, HAS_CURRENT_VERSION, previous))


def _graph() -> Graph:
    graph = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dcterms", DCTERMS),
        ("dcatde", DCATDE),
        ("foaf", FOAF),
        ("spdx", SPDX),
        ("vcard", VCARD),
        ("owl", OWL),
    ):
        graph.bind(prefix, namespace)
    return graph


def _dataset(
    graph: Graph,
    dataset: URIRef,
    publication: Publication,
    release: Release,
    coverage: Coverage,
    profile: Profile,
) -> None:
    base = publication.base
    described = publication.description
    graph.add((dataset, RDF.type, DCAT.Dataset))
    _texts(graph, dataset, DCTERMS.title, dict(described.title.items()))
    _texts(graph, dataset, DCTERMS.description, _full_description(described))
    for language, words in described.keywords.items():
        for word in words:
            graph.add((dataset, DCAT.keyword, Literal(word, lang=language)))
    for theme in described.themes:
        graph.add((dataset, DCAT.theme, URIRef(f"{EU}data-theme/{theme}")))
    for language in LANGUAGES:
        graph.add((dataset, DCTERMS.language, URIRef(f"{EU}language/{language}")))
    spatial = _spatial(graph, publication)
    if spatial is not None:
        graph.add((dataset, DCTERMS.spatial, spatial))
    if described.spatial is not None and described.spatial.geocoding:
        graph.add((dataset, DCATDE.politicalGeocodingLevelURI, URIRef(described.spatial.level_iri)))
        if profile.political_geocoding_uri:
            graph.add((dataset, DCATDE.politicalGeocodingURI, URIRef(described.spatial.geocoding)))
    if coverage.start and coverage.end:
        period = BNode()
        graph.add((dataset, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        graph.add((period, DCAT.startDate, Literal(coverage.start, datatype=XSD.date)))
        graph.add((period, DCAT.endDate, Literal(coverage.end, datatype=XSD.date)))
    graph.add((dataset, DCTERMS.accrualPeriodicity, URIRef(EU + "frequency/IRREG")))
    graph.add((dataset, DCTERMS.accessRights, URIRef(EU + "access-right/PUBLIC")))
    graph.add((dataset, DCTERMS.identifier, Literal(f"{base}dataset")))
    graph.add((dataset, profile.version_property, Literal(release.id)))
    graph.add((dataset, DCAT.landingPage, _document(graph, base)))
    graph.add((dataset, FOAF.page, _document(graph, f"{base}releases")))
    if publication.contributor_id:
        graph.add((dataset, DCATDE.contributorID, URIRef(publication.contributor_id)))


def _distribution(
    graph: Graph, publication: Publication, release_id: str, name: str, facts: FileRecord, profile: Profile
) -> URIRef:
    """One dump of the release: its immutable per-release URL, size, SHA-256, format and licence."""
    file_name = name.removeprefix("dumps/")
    kind = DUMP_KINDS[file_name]
    url = URIRef(f"{publication.base}dumps/{release_id}/{file_name}")
    distribution = URIRef(f"{publication.base}dataset#dump-{file_name.replace('.', '-')}")
    graph.add((distribution, RDF.type, DCAT.Distribution))
    for language, title in publication.description.title.items():
        graph.add((distribution, DCTERMS.title, Literal(f"{title} ({kind.label})", lang=language)))
    graph.add((distribution, DCAT.accessURL, url))
    graph.add((distribution, DCAT.downloadURL, url))
    graph.add((distribution, DCTERMS.format, URIRef(f"{EU}file-type/{kind.file_type}")))
    graph.add((distribution, DCAT.mediaType, _media_type(graph, kind.media_type)))
    if kind.gzipped:
        graph.add((distribution, DCAT.compressFormat, _media_type(graph, "application/gzip")))
    graph.add((distribution, DCAT.byteSize, Literal(str(facts.bytes), datatype=profile.byte_size_type)))
    if profile.checksum_algorithm is not None:
        graph.add((profile.checksum_algorithm, RDF.type, SPDX.ChecksumAlgorithm))
        checksum = BNode()
        graph.add((distribution, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, profile.checksum_algorithm))
        graph.add((checksum, SPDX.checksumValue, Literal(facts.sha256, datatype=XSD.hexBinary)))
    graph.add((distribution, DCTERMS.license, URIRef(publication.licence)))
    graph.add((distribution, DCATDE.licenseAttributionByText, Literal(publication.attribution_text)))
    return distribution


def _publisher(graph: Graph, publication: Publication) -> URIRef:
    agent = URIRef(f"{publication.base}dataset#publisher")
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, RDF.type, FOAF.Organization))
    graph.add((agent, FOAF.name, Literal(publication.publisher_name)))
    if publication.publisher_url:
        graph.add((agent, FOAF.homepage, _document(graph, publication.publisher_url)))
    return agent


def _contact(graph: Graph, publication: Publication) -> URIRef:
    """A vCard contact with e-mail and/or URL; without either, the publisher's or this site's home page."""
    contact = URIRef(f"{publication.base}dataset#contact")
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(publication.publisher_name)))
    if publication.contact_email:
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{publication.contact_email}")))
    if publication.contact_page:
        graph.add((contact, VCARD.hasURL, URIRef(publication.contact_page)))
    return contact


def _full_description(described: Description) -> dict[str, str]:
    """The description and how much the data covers, in each language the description has."""
    return {
        language: described.full_description(language) for language, _text in described.description.items()
    }


def _spatial(graph: Graph, publication: Publication) -> URIRef | None:
    """The area the data covers: its political geocoding IRI, or lacking an official key the place's IRI."""
    spatial = publication.description.spatial
    if spatial is None:
        return None
    location = URIRef(spatial.geocoding or f"{publication.base}id/place/{spatial.place}")
    graph.add((location, RDF.type, DCTERMS.Location))
    return location


def _document(graph: Graph, iri: str) -> URIRef:
    page = URIRef(iri)
    graph.add((page, RDF.type, FOAF.Document))
    return page


def _media_type(graph: Graph, media_type: str) -> URIRef:
    iri = URIRef(IANA + media_type)
    graph.add((iri, RDF.type, DCTERMS.MediaType))
    return iri


def _texts(graph: Graph, subject: URIRef, predicate: URIRef, texts: Mapping[str, str]) -> None:
    for language, text in texts.items():
        graph.add((subject, predicate, Literal(text, lang=language)))
