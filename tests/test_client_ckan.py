"""CKAN's DCAT harvester on our catalog, as GovData-like portals run it: CKAN 2.12 with ckanext-dcat 2.4 and
ckanext-harvest 1.6 in a venv of their own (tests/clients/ckan), the harvester's own download and
ckanext-dcat's RDFParser with each profile it ships that reads DCAT datasets (tests/clients/ckan/harvest.py).

What the portal reads is compared with the catalog as Turtle: one dataset, every distribution with its
download URL, format and licence, and the licence as the dataset's licence in a register of dcat-ap.de's
licences.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
import requests
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS

from publisher.catalog import PROFILES
from tests.clients import CLIENTS, python
from tests.conftest import BASE, PROJECT
from tests.server import running_server

# ckanext-dcat's profiles that read DCAT datasets ("default" is the parser's own choice, euro_dcat_ap_3).
# Not here: croissant (reads Croissant, not DCAT), schemaorg (writes only) and euro_dcat_ap_scheming
# (needs ckanext-scheming's dataset schema on top of another profile).
PARSER_PROFILES = [
    "default",
    "euro_dcat_ap",
    "euro_dcat_ap_2",
    "euro_dcat_ap_3",
    "euro_health_dcat_ap",
    "dcat_us_3",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    releases = tmp_path_factory.mktemp("ckan") / "releases"
    with running_server(releases, PROJECT / "data") as url:
        yield url


@pytest.fixture(scope="module")
def harvest(site: str) -> Any:
    """What the harvester read from a catalog URL (a path of the site), on a portal in a language (CKAN's
    default "en", GovData's "de"), one run of CKAN each."""

    @cache
    def harvested(path: str, locale: str = "de") -> dict[str, Any]:
        arguments = [site + path, locale, *PARSER_PROFILES]
        read: dict[str, Any] = json.loads(python("harvest.py", CLIENTS / "ckan", *arguments))
        return read

    return harvested


def source(catalog_profile: str) -> str:
    """The harvest source a portal is given for a DCAT-AP.de profile."""
    return "dataset" if catalog_profile == "3.0" else f"dataset?profile={catalog_profile}"


def in_language(graph: Graph, subject: URIRef, predicate: URIRef, language: str) -> str:
    (value,) = [
        o for o in graph.objects(subject, predicate) if isinstance(o, Literal) and o.language == language
    ]
    return str(value)


def catalog(site: str, catalog_profile: str) -> Graph:
    answer = requests.get(
        f"{site}dataset", params={"profile": catalog_profile}, headers={"Accept": "text/turtle"}, timeout=60
    )
    assert answer.status_code == 200
    return Graph().parse(data=answer.text, format="turtle")


def extras(dataset: dict[str, Any]) -> dict[str, str]:
    """A CKAN dataset's extras (what has no field of its own) by key."""
    return {extra["key"]: extra["value"] for extra in dataset["extras"]}


def distributions(graph: Graph) -> set[tuple[str, str, str]]:
    """(download URL, format, licence) of each distribution of the catalog's one dataset."""
    (dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    found = set()
    for distribution in graph.objects(dataset, DCAT.distribution):
        found.add(
            (
                str(graph.value(distribution, DCAT.downloadURL)),
                str(graph.value(distribution, DCTERMS.format)),
                str(graph.value(distribution, DCTERMS.license)),
            )
        )
    return found


@pytest.mark.parametrize("catalog_profile", sorted(PROFILES))
def test_the_harvester_downloads_the_catalog_as_turtle(harvest: Any, catalog_profile: str) -> None:
    assert harvest(source(catalog_profile))["format"] == "text/turtle"


@pytest.mark.parametrize("parser_profile", PARSER_PROFILES)
@pytest.mark.parametrize("catalog_profile", sorted(PROFILES))
def test_the_portal_reads_one_dataset_with_every_distribution(
    site: str, harvest: Any, catalog_profile: str, parser_profile: str
) -> None:
    parsed = harvest(source(catalog_profile))["parsed"][parser_profile]
    graph = catalog(site, catalog_profile)
    (dataset_iri,) = graph.subjects(RDF.type, DCAT.Dataset)
    (dataset,) = parsed["datasets"]
    assert parsed["next_page"] is None
    assert dataset["title"] == in_language(graph, dataset_iri, DCTERMS.title, "de")
    assert extras(dataset)["uri"] == str(dataset_iri)
    expected = distributions(graph)
    assert len(expected) >= 3
    resources = dataset["resources"]
    assert {(r["download_url"], r["format"], r["license"]) for r in resources} == expected
    assert len(resources) == len(expected)
    assert all(resource["url"] == resource["download_url"] for resource in resources)
    (licence,) = {licence for _, _, licence in expected}
    assert dataset["license_id"] == licence


@pytest.mark.parametrize("catalog_profile", sorted(PROFILES))
def test_every_download_url_the_portal_lists_downloads(site: str, harvest: Any, catalog_profile: str) -> None:
    """The URLs name the base the data is published under; this server answers them at its own address."""
    (dataset,) = harvest(source(catalog_profile))["parsed"]["default"]["datasets"]
    for resource in dataset["resources"]:
        assert resource["download_url"].startswith(BASE)
        url = site + resource["download_url"].removeprefix(BASE)
        answer = requests.get(url, timeout=60)
        assert answer.status_code == 200, url
        assert int(answer.headers["Content-Length"]) == resource["size"] > 0


def test_the_portal_reads_the_catalog_record_of_the_dataset(site: str, harvest: Any) -> None:
    """The fields a portal shows beside the distributions, from DCAT-AP.de 3.0."""
    (dataset,) = harvest(source("3.0"))["parsed"]["default"]["datasets"]
    graph = catalog(site, "3.0")
    (dataset_iri,) = graph.subjects(RDF.type, DCAT.Dataset)
    assert extras(dataset)["publisher_uri"] == str(graph.value(dataset_iri, DCTERMS.publisher))
    assert extras(dataset)["identifier"] == str(graph.value(dataset_iri, DCTERMS.identifier))
    themes = {str(theme) for theme in graph.objects(dataset_iri, DCAT.theme)}
    assert set(json.loads(extras(dataset)["theme"])) == themes
    assert dataset["notes"] == in_language(graph, dataset_iri, DCTERMS.description, "de")
    assert URIRef(extras(dataset)["access_rights"]) == graph.value(dataset_iri, DCTERMS.accessRights)


@pytest.mark.parametrize("locale", ["de", "en"])
def test_a_portal_reads_the_title_and_description_in_its_language(
    site: str, harvest: Any, locale: str
) -> None:
    (dataset,) = harvest(source("3.0"), locale)["parsed"]["default"]["datasets"]
    graph = catalog(site, "3.0")
    (dataset_iri,) = graph.subjects(RDF.type, DCAT.Dataset)
    assert dataset["title"] == in_language(graph, dataset_iri, DCTERMS.title, locale)
    assert dataset["notes"] == in_language(graph, dataset_iri, DCTERMS.description, locale)
    assert [resource["name"] for resource in dataset["resources"]] == [
        in_language(graph, URIRef(resource["uri"]), DCTERMS.title, locale)
        for resource in dataset["resources"]
    ]


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("dataset.rdf", "application/rdf+xml"),
        ("dataset.jsonld", "application/ld+json"),
        ("dataset.nt", "application/n-triples"),
        ("dataset.ttl?profile=2.0", "text/turtle"),
    ],
)
def test_a_source_in_another_serialization_gives_the_same_dataset(
    harvest: Any, path: str, media_type: str
) -> None:
    """Portals are often given the RDF/XML form; the harvester reads the format from the Content-Type."""
    read = harvest(path)
    assert read["format"] == media_type
    profile = "2.0" if "profile=2.0" in path else "3.0"
    expected = harvest(source(profile))["parsed"]
    assert read["parsed"].keys() == expected.keys()
    for parser_profile, parsed in read["parsed"].items():
        (dataset,) = parsed["datasets"]
        (same,) = expected[parser_profile]["datasets"]
        assert canonical(dataset) == canonical(same), parser_profile


def canonical(value: Any) -> Any:
    """A CKAN dataset dict without the order its lists happen to have (the parser reads a graph: a set),
    also inside the extras' JSON-encoded lists."""
    if isinstance(value, dict):
        return {key: canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted((canonical(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, str) and value.startswith("["):
        return canonical(json.loads(value))
    return value
