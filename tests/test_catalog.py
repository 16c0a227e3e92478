"""The DCAT-AP.de description at /dataset: GovData's official shapes of both profiles find no violation, and
what it says about the dumps (size, SHA-256, download URL) is what the server hands out."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from publisher.build import run_pipeline
from publisher.catalog import (
    PROFILES,
    Publication,
    catalog_file,
    catalog_graph,
    coverage_of,
    coverage_of_sources,
    coverage_query,
)
from publisher.catalog.publication import DEFAULT_LICENCE
from publisher.read import read_sources
from publisher.releases import Release, current_release
from publisher.settings import Settings
from publisher.store import EmbeddedStore
from tests.conftest import PROJECT
from tests.govdata_profiles import TEST_CONTRIBUTOR, findings
from tests.server import running_server
from tests.test_cli import run

SPDX = Namespace("http://spdx.org/rdf/terms#")
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
BASE = "http://localhost:8080/"
DATASET = URIRef(f"{BASE}dataset")
# The one warning 2.0 keeps: the state's geocoding IRI is a dcterms:Location (3.0 asks for that) without
# coordinates, which the shapes allow ("können Sie den Fehler ignorieren").
KNOWN_WARNINGS = {"2.0": {"dct:Location: SOLL eine der folgenden Eigenschaften nutzen"}, "3.0": set()}


ENV = {
    "CLUSTERLOD_CONTRIBUTOR_ID": TEST_CONTRIBUTOR,
    "CLUSTERLOD_CONTACT_EMAIL": "daten@example.org",
    "CLUSTERLOD_PUBLISHER_NAME": "Testredaktion",
}


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("catalog") / "releases"


@pytest.fixture(scope="module")
def site(releases: Path) -> Iterator[str]:
    with running_server(releases, PROJECT / "data", ENV) as url:
        yield url


def fetch(url: str, profile: str | None = None, fmt: str = "text/turtle", **headers: str) -> Graph:
    params = {"profile": profile} if profile else {}
    answer = requests.get(url + "dataset", params=params, headers={"Accept": fmt, **headers}, timeout=60)
    assert answer.status_code == 200, answer.text
    return Graph().parse(data=answer.text, format="json-ld" if "json" in fmt else "turtle")


@pytest.mark.parametrize("profile", ["3.0", "2.0"])
def test_each_profile_has_no_violation_of_govdatas_shapes(site: str, profile: str) -> None:
    catalog = fetch(site, profile)
    results = findings(catalog, profile)
    assert [f for f in results if f.severity == "Violation"] == []
    unexpected = [
        f for f in results if not any(f.message.startswith(known) for known in KNOWN_WARNINGS[profile])
    ]
    assert unexpected == []


def test_the_shapes_do_bite(site: str) -> None:
    """The 3.0 description breaks 2.0's rules (byteSize datatype, hash list), and a description without a
    contributor ID breaks the 2.0 conventions: so zero violations above is a real result."""
    three = fetch(site, "3.0")
    paths = {f.path for f in findings(three, "2.0") if f.severity == "Violation"}
    assert str(DCAT.byteSize) in paths
    two = fetch(site, "2.0")
    two.remove((None, DCATDE.contributorID, None))
    messages = [f.message for f in findings(two, "2.0") if f.severity == "Violation"]
    assert any("contributorID" in message for message in messages), messages


def test_the_catalog_says_what_the_issue_asks(site: str) -> None:
    catalog = fetch(site)
    assert (None, RDF.type, DCAT.Catalog) in catalog
    assert (None, DCAT.dataset, DATASET) in catalog
    titles = {t.language for t in catalog.objects(DATASET, DCTERMS.title)}  # type: ignore[attr-defined]
    assert titles == {"de", "en"}
    themes = {str(t).rsplit("/", 1)[-1] for t in catalog.objects(DATASET, DCAT.theme)}
    assert themes == {"ECON", "TECH", "REGI"}
    state = URIRef("http://dcat-ap.de/def/politicalGeocoding/stateKey/08")
    assert (DATASET, DCTERMS.spatial, state) in catalog
    assert (DATASET, DCATDE.contributorID, URIRef(TEST_CONTRIBUTOR)) in catalog
    publisher = catalog.value(DATASET, DCTERMS.publisher)
    assert str(catalog.value(publisher, URIRef("http://xmlns.com/foaf/0.1/name"))) == "Testredaktion"
    contact = catalog.value(DATASET, DCAT.contactPoint)
    assert (
        contact,
        URIRef("http://www.w3.org/2006/vcard/ns#hasEmail"),
        URIRef("mailto:daten@example.org"),
    ) in (catalog)
    period = catalog.value(DATASET, DCTERMS.temporal)
    assert (
        str(catalog.value(period, DCAT.startDate)) <= "2017-04-20" <= str(catalog.value(period, DCAT.endDate))
    )
    service = catalog.value(None, DCAT.servesDataset, DATASET)
    assert str(catalog.value(service, DCAT.endpointURL)) == f"{BASE}sparql"
    assert (DATASET, DCATDE.politicalGeocodingURI, state) in fetch(site, "2.0")


def test_every_distribution_is_the_file_the_server_hands_out(site: str) -> None:
    catalog = fetch(site)
    distributions = list(catalog.objects(DATASET, DCAT.distribution))
    names = {str(catalog.value(d, DCAT.downloadURL)).rsplit("/", 1)[-1] for d in distributions}
    assert {"data.ttl", "data.nt.gz", "data.jsonld"} <= names
    for distribution in distributions:
        url = str(catalog.value(distribution, DCAT.downloadURL))
        assert url.startswith(f"{BASE}dumps/")
        assert catalog.value(distribution, DCAT.accessURL) == URIRef(url)
        answer = requests.get(site + url.removeprefix(BASE), timeout=60)
        assert answer.status_code == 200, url
        assert int(catalog.value(distribution, DCAT.byteSize)) == len(answer.content)  # type: ignore[arg-type]
        checksum = catalog.value(distribution, SPDX.checksum)
        assert str(catalog.value(checksum, SPDX.checksumValue)) == hashlib.sha256(answer.content).hexdigest()
        assert str(catalog.value(distribution, DCTERMS.license)) == DEFAULT_LICENCE  # data/publication.csv


def test_profile_by_header_and_the_profile_named_in_the_answer(site: str) -> None:
    two = PROFILES["2.0"].iri
    answer = requests.get(
        site + "dataset", headers={"Accept": "text/turtle", "Accept-Profile": f"<{two}>"}, timeout=60
    )
    assert answer.headers["Content-Profile"] == f"<{two}>"
    sizes = Graph().parse(data=answer.text, format="turtle").objects(None, DCAT.byteSize)
    assert {size.datatype for size in sizes} == {XSD.decimal}  # type: ignore[attr-defined]
    default = requests.get(site + "dataset", headers={"Accept": "text/turtle"}, timeout=60)
    assert default.headers["Content-Profile"] == f"<{PROFILES['3.0'].iri}>"
    assert 'profile="' + two in default.headers["Link"]
    refused = requests.get(
        site + "dataset", params={"profile": "9.9"}, headers={"Accept": "text/turtle"}, timeout=60
    )
    assert refused.status_code == 406
    assert "2.0" in refused.text


def test_json_ld_says_the_same_as_turtle(site: str) -> None:
    assert isomorphic(fetch(site, fmt="application/ld+json"), fetch(site))


def test_the_page_for_people_lists_the_dumps_with_their_checksums(site: str) -> None:
    answer = requests.get(site + "dataset", headers={"Accept": "text/html"}, timeout=60)
    assert answer.status_code == 200
    catalog = fetch(site)
    for distribution in catalog.objects(DATASET, DCAT.distribution):
        checksum = catalog.value(distribution, SPDX.checksum)
        assert str(catalog.value(checksum, SPDX.checksumValue)) in answer.text
    english = requests.get(site + "dataset?lang=en", headers={"Accept": "text/html"}, timeout=60)
    assert "Cluster initiatives and cluster policy" in english.text


def test_a_contact_falls_back_to_the_home_page_when_none_is_set() -> None:
    release = Release("r1", Path("r1"), {"release": "r1", "built": "2026-11-28T12:00:00.000Z", "files": {}})
    publication = Publication(base=BASE, licence=DEFAULT_LICENCE, publisher_name="X")
    graph = catalog_graph(publication, release, coverage_of([]), PROFILES["3.0"])
    contact = graph.value(DATASET, DCAT.contactPoint)
    assert graph.value(contact, URIRef("http://www.w3.org/2006/vcard/ns#hasURL")) == URIRef(BASE)
    assert graph.value(DATASET, DCTERMS.temporal) is None


def test_coverage_runs_from_the_first_to_the_last_day_stated() -> None:
    rows = [
        {"type": "gYear", "first": "2005", "last": "2018"},
        {"type": "date", "first": "1997-07-04", "last": "2017-04-28"},
        {"type": "gYearMonth", "first": "2002-12", "last": "2017-02"},
    ]
    coverage = coverage_of(rows)
    assert (str(coverage.start), str(coverage.end)) == ("1997-07-04", "2018-12-31")
    assert str(coverage_of([{"first": "2017-02", "last": "2016-02"}]).end) == "2016-02-29"


@pytest.mark.parametrize("profile", ["3.0", "2.0"])
def test_the_release_keeps_a_copy_of_each_profile(site: str, releases: Path, profile: str) -> None:
    release = current_release(releases)
    assert release is not None
    name = catalog_file(PROFILES[profile])
    copy = release.folder / name
    assert release.manifest["files"][name]["sha256"] == hashlib.sha256(copy.read_bytes()).hexdigest()
    assert isomorphic(Graph().parse(copy, format="turtle"), fetch(site, profile))


def test_issued_is_the_first_release_and_modified_the_current_one(tmp_path: Path, data_dir: Path) -> None:
    settings = Settings(data_dir=data_dir, releases_dir=tmp_path / "releases")
    first = run_pipeline(settings, release=True).release
    second = run_pipeline(settings, release=True).release
    assert first is not None and second is not None
    assert second.manifest["first_built"] == first.manifest["built"] != second.manifest["built"]
    catalog = Graph().parse(second.folder / "catalog.ttl", format="turtle")
    issued, modified = catalog.value(DATASET, DCTERMS.issued), catalog.value(DATASET, DCTERMS.modified)
    assert (issued.toPython(), modified.toPython()) == (  # type: ignore[union-attr]
        dt.datetime.fromisoformat(first.manifest["built"]),
        dt.datetime.fromisoformat(second.manifest["built"]),
    )


def test_the_period_from_the_tables_equals_the_dates_in_the_store(site: str, releases: Path) -> None:
    release = current_release(releases)
    assert release is not None
    store = EmbeddedStore.open_read_only(release.folder / "store")
    from_store = coverage_of(store.select(coverage_query(BASE)))
    from_tables = coverage_of_sources(read_sources(PROJECT / "data"))
    assert from_tables == from_store
    assert release.manifest["coverage"] == {"start": str(from_tables.start), "end": str(from_tables.end)}


def test_a_build_warns_of_what_a_portal_will_miss(tmp_path: Path, data_dir: Path) -> None:
    releases = str(tmp_path / "releases")
    warned = run("build", "--releases", releases, cwd=data_dir.parent)
    assert warned.returncode == 0, warned.stderr
    assert "contributor_id is not set" in warned.stderr
    assert "neither contact_email nor contact_url is set" in warned.stderr
    assert "every URI and download URL in the description is local" in warned.stderr
    assert "publisher_name is not set" in warned.stderr  # data/publication.csv names no publisher
    settings = {
        "CLUSTERLOD_CONTRIBUTOR_ID": TEST_CONTRIBUTOR,
        "CLUSTERLOD_CONTACT_EMAIL": "daten@example.org",
        "CLUSTERLOD_PUBLISHER_NAME": "Testredaktion",
        "CLUSTERLOD_BASE": "https://daten.example.org/cluster/",
    }
    (data_dir / "publication.csv").write_text(
        "id,value,value_en\ntitle,Testdaten,Test data\ndescription,Synthetische Testdaten.,\n"
        "keywords,Test,\nthemes,ECON,\nspatial,place-state,\ncoverage-total,obs-events,\n"
        "licence,http://dcat-ap.de/def/licenses/cc-by/4.0,\n",
        encoding="utf-8",
    )
    quiet = run("build", "--releases", releases, cwd=data_dir.parent, env=settings)
    assert quiet.returncode == 0, quiet.stderr
    assert "Dataset description:" not in quiet.stderr
