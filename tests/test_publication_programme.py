"""Another ministry's tables publish as that ministry's programme: a synthetic programme
(tests/fixtures/kuestenland, written from data/README.md alone) is built and served, with and without its
publication.csv, and no page, neither catalog profile, not VoID and not the ontology speaks of
Baden-Württemberg or its Cluster Week."""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
import requests
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV

from tests.conftest import PROJECT
from tests.govdata_profiles import TEST_CONTRIBUTOR, findings
from tests.server import running_server
from tests.test_cli import run

PROGRAMME = PROJECT / "tests" / "fixtures" / "kuestenland"
BASE = "http://localhost:8080/"
DATASET = URIRef(f"{BASE}dataset")
FORBIDDEN = ("Baden-Württemberg", "Baden", "Clusterwoche", "Cluster Week", "Stuttgart", "stateKey/08")
TITLE = "Clusterprogramm Küstenland: Netzwerke an der Förde"
PUBLISHER = "Ministerium für Wirtschaft und Häfen des Küstenlands (synthetisch)"
SKIPPED_SUFFIXES = (".ttl", ".jsonld", ".rdf", ".nt", ".gz", ".ics", ".sha256", ".json", ".csv", ".tsv")
DQV = Namespace("http://www.w3.org/ns/dqv#")
MOST_PAGES = 3000


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def crawl(root: str) -> dict[str, str]:
    """Every HTML page reachable from the home page by links within the site: URL -> page."""
    pages: dict[str, str] = {}
    queue, seen = [root], {root}
    while queue:
        url = queue.pop()
        answer = requests.get(url, headers={"Accept": "text/html"}, timeout=60)
        if not answer.headers.get("Content-Type", "").startswith("text/html"):
            continue
        pages[url] = answer.text
        assert len(pages) < MOST_PAGES, "the crawl does not end"
        parser = _Links()
        parser.feed(answer.text)
        for href in parser.hrefs:
            found = urldefrag(urljoin(url, href)).url
            if (
                found.startswith(root)
                and found not in seen
                and not urlsplit(found).path.endswith(SKIPPED_SUFFIXES)
                and "/dumps/" not in found
            ):
                seen.add(found)
                queue.append(found)
    return pages


def forbidden_in(text: str) -> list[str]:
    return [word for word in FORBIDDEN if word.casefold() in text.casefold()]


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    releases = tmp_path_factory.mktemp("programme") / "releases"
    with running_server(releases, PROGRAMME, {"CLUSTERLOD_CONTRIBUTOR_ID": TEST_CONTRIBUTOR}) as url:
        yield url


@pytest.fixture(scope="module")
def undescribed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The same tables without publication.csv; yields the root URL and what serve's first build printed."""
    root = tmp_path_factory.mktemp("undescribed")
    shutil.copytree(PROGRAMME, root / "data", ignore=shutil.ignore_patterns("publication.csv", "README.md"))
    log = root / "serve.log"
    with running_server(root / "releases", root / "data", log=log) as url:
        yield url, log.read_text(encoding="utf-8")


def catalog(url: str, profile: str) -> tuple[str, Graph]:
    answer = requests.get(
        url + "dataset", params={"profile": profile}, headers={"Accept": "text/turtle"}, timeout=60
    )
    assert answer.status_code == 200, answer.text
    return answer.text, Graph().parse(data=answer.text, format="turtle")


def test_no_page_speaks_of_another_programme(programme: str) -> None:
    pages = crawl(programme)
    assert len(pages) > 40  # every document, list, search and language variant the site links to
    found = {url: words for url, page in pages.items() if (words := forbidden_in(page))}
    assert found == {}
    home = pages[programme]
    assert f"<h1>{TITLE}</h1>" in home
    assert "\u2013 Cluster im Küstenland</title>" in home
    assert 'placeholder="z. B. Meeresmedizin, Möwenstedt"' in home
    assert "Die Daten enthalten 4 von rund 12" in home


@pytest.mark.parametrize("profile", ["3.0", "2.0"])
def test_the_catalog_describes_the_programme(programme: str, profile: str) -> None:
    text, graph = catalog(programme, profile)
    assert forbidden_in(text) == []
    assert Literal(TITLE, lang="de") in set(graph.objects(DATASET, DCTERMS.title))
    publisher = graph.value(DATASET, DCTERMS.publisher)
    assert str(graph.value(publisher, FOAF.name)) == PUBLISHER
    assert graph.value(DATASET, DCTERMS.spatial) == URIRef(f"{BASE}id/place/kuestenland")
    themes = {str(theme).rsplit("/", 1)[-1] for theme in graph.objects(DATASET, DCAT.theme)}
    assert themes == {"ECON", "TRAN"}
    assert Literal("„Blaue Wirtschaft“", lang="de") in set(graph.objects(DATASET, DCAT.keyword))
    for distribution in graph.objects(DATASET, DCAT.distribution):
        assert str(graph.value(distribution, DCTERMS.license)) == "http://dcat-ap.de/def/licenses/cc-by/4.0"
    description = str(next(d for d in graph.objects(DATASET, DCTERMS.description) if d.language == "de"))
    assert "Die Daten enthalten 4 von rund 12: „rund 12 Cluster-Initiativen" in description
    assert "Clusterübersicht Küstenland 2023 (synthetisch)" in description
    assert [f for f in findings(graph, profile) if f.severity == "Violation"] == []


def test_void_says_how_much_the_data_covers(programme: str) -> None:
    answer = requests.get(programme + ".well-known/void", headers={"Accept": "text/turtle"}, timeout=60)
    assert forbidden_in(answer.text) == []
    graph = Graph().parse(data=answer.text, format="turtle")
    measurement = graph.value(DATASET, DQV.hasQualityMeasurement)
    assert graph.value(measurement, DQV.value).toPython() == 4  # type: ignore[union-attr]
    observation = URIRef(f"{BASE}id/observation/obs-initiatives-2023-uebersicht")
    assert graph.value(measurement, PROV.wasDerivedFrom) == observation
    assert Literal(TITLE, lang="de") in set(graph.objects(DATASET, DCTERMS.title))


@pytest.mark.parametrize("accept", ["text/turtle", "text/html"])
def test_the_ontology_names_no_programme(programme: str, accept: str) -> None:
    answer = requests.get(programme + "def/cluster", headers={"Accept": accept}, timeout=60)
    assert answer.status_code == 200
    assert forbidden_in(answer.text) == []


def test_the_reconciliation_service_is_named_after_the_programme(programme: str) -> None:
    answer = requests.get(programme + "reconcile", timeout=60)
    assert answer.json()["name"] == "Cluster im Küstenland (clusterlod)"


def test_without_a_description_the_site_is_neutral_and_serve_warns(undescribed: tuple[str, str]) -> None:
    url, printed = undescribed
    assert "the data folder has no publication.csv" in printed
    assert "publisher_name is not set" in printed
    home = requests.get(url, headers={"Accept": "text/html"}, timeout=60).text
    assert "<h1>Cluster-Initiativen als Linked Open Data</h1>" in home
    assert forbidden_in(home) == []
    assert "Küstenland" not in home.split("<main>")[0]  # nothing guessed for the title
    text, graph = catalog(url, "3.0")
    assert forbidden_in(text) == []
    assert graph.value(DATASET, DCTERMS.spatial) is None
    assert str(graph.value(graph.value(DATASET, DCTERMS.publisher), FOAF.name)) == "clusterlod"
    themes = {str(theme).rsplit("/", 1)[-1] for theme in graph.objects(DATASET, DCAT.theme)}
    assert themes == {"ECON", "TRAN", "HEAL"}  # what fields.eu_themes maps the fields to


def test_build_warns_of_every_default_a_portal_would_publish(tmp_path: Path) -> None:
    shutil.copytree(PROGRAMME, tmp_path / "data", ignore=shutil.ignore_patterns("publication.csv"))
    built = run(
        "build", "--data", str(tmp_path / "data"), "--releases", str(tmp_path / "releases"), cwd=tmp_path
    )
    assert built.returncode == 0, built.stderr
    for warning in (
        "the data folder has no publication.csv",
        "publisher_name is not set",
        "licence is not set",
        "contributor_id is not set",
        "neither contact_email nor contact_url is set",
    ):
        assert f"Dataset description: {warning}" in built.stderr


def test_a_setting_overrides_the_description_for_a_deployment(tmp_path: Path) -> None:
    env = {
        "CLUSTERLOD_PUBLISHER_NAME": "Betriebsagentur (synthetisch)",
        "CLUSTERLOD_CONTRIBUTOR_ID": TEST_CONTRIBUTOR,
    }
    built = run(
        "build", "--data", str(PROGRAMME), "--releases", str(tmp_path / "releases"), cwd=tmp_path, env=env
    )
    assert built.returncode == 0, built.stderr
    assert "publisher_name" not in built.stderr and "publication.csv" not in built.stderr
    release = next(p for p in (tmp_path / "releases").iterdir() if p.name[0].isdigit())
    graph = Graph().parse(release / "catalog.ttl", format="turtle")
    assert (
        str(graph.value(graph.value(DATASET, DCTERMS.publisher), FOAF.name))
        == "Betriebsagentur (synthetisch)"
    )
    assert Literal(TITLE, lang="de") in set(graph.objects(DATASET, DCTERMS.title))


@pytest.mark.parametrize(
    ("row", "column", "expected"),
    [
        ("spatial,nirgendwo,", "value", "'nirgendwo' is not an id in places.csv"),
        ("themes,ECON;WATER,", "value", "'WATER' is not an EU data theme"),
        ("contact-email,mailto:daten@example.org,", "value", "is not an e-mail address"),
        ("spatial,kuestenland,Coastland", "value_en", "leave value_en empty"),
        ("titel,Küstenland,", "id", "'titel' is not allowed"),
    ],
)
def test_a_bad_description_is_refused_with_row_and_column(
    tmp_path: Path, row: str, column: str, expected: str
) -> None:
    data = tmp_path / "data"
    shutil.copytree(PROGRAMME, data)
    lines = (data / "publication.csv").read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines if not line.startswith(row.split(",", 1)[0] + ",")]
    (data / "publication.csv").write_text("\n".join([*lines, row]) + "\n", encoding="utf-8")
    built = run("build", "--data", str(data), "--releases", str(tmp_path / "releases"), cwd=tmp_path)
    assert built.returncode == 1
    assert f"publication.csv:{len(lines) + 1} column {column!r}" in built.stderr
    assert expected in built.stderr


def test_the_bundled_data_still_publishes_as_baden_wuerttemberg(tmp_path: Path) -> None:
    from publisher.build import run_pipeline
    from publisher.settings import Settings
    from publisher.web import create_app

    settings = Settings(data_dir=PROJECT / "data", releases_dir=tmp_path / "releases")
    release = run_pipeline(settings, release=True).release
    assert release is not None
    graph = Graph().parse(release.folder / "catalog.ttl", format="turtle")
    title = Literal("Cluster-Initiativen und Clusterpolitik Baden-Württemberg", lang="de")
    assert title in set(graph.objects(DATASET, DCTERMS.title))
    state = URIRef("http://dcat-ap.de/def/politicalGeocoding/stateKey/08")
    assert graph.value(DATASET, DCTERMS.spatial) == state
    assert Literal("Clusterwoche", lang="de") in set(graph.objects(DATASET, DCAT.keyword))
    description = " ".join(str(d) for d in graph.objects(DATASET, DCTERMS.description))
    with (PROJECT / "data" / "initiatives.csv").open(encoding="utf-8", newline="") as table:
        counted = sum(row["kind"] in ("cluster-initiative", "state-network") for row in csv.DictReader(table))
    assert f"Die Daten enthalten {counted} von rund 120: „Die rund 120 Cluster-Initiativen" in description
    assert "Bundesweite Clusterwoche 2017, Baden-Württemberg.de; Stand 2017-04-19" in description
    home = create_app(settings).test_client().get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "<h1>Cluster-Initiativen und Clusterpolitik Baden-Württemberg</h1>" in home
    assert "\u2013 Cluster-Initiativen Baden-Württemberg</title>" in home
    assert 'placeholder="z. B. Photonik, Stuttgart"' in home
    assert f"Die Daten enthalten {counted} von rund 120" in home


def test_data_readme_documents_every_property_of_the_description() -> None:
    from publisher.tables import PUBLICATION, PUBLICATION_PROPERTIES

    readme = (PROJECT / "data" / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index(f"## 7. {PUBLICATION.file_name}") :]
    documented = set(re.findall(r"^\| `([a-z_-]+)` \|", section, re.M))
    assert {*PUBLICATION_PROPERTIES, *(c.name for c in PUBLICATION.columns)} <= documented


@pytest.mark.parametrize("folder", ["data", "tests/fixtures/kuestenland", "tests/fixtures/minimal"])
def test_the_description_a_release_records_reads_back_the_same(folder: str) -> None:
    import json

    from publisher.publication import describe, description_of
    from publisher.read import read_sources

    described = describe(read_sources(PROJECT / folder))
    assert description_of(json.loads(json.dumps(described.as_json()))) == described


def test_without_a_description_the_wording_comes_from_the_tables() -> None:
    from publisher.publication import describe
    from publisher.read import read_sources

    described = describe(read_sources(PROJECT / "tests" / "fixtures" / "minimal"))
    assert not described.has_file
    assert described.search_hint["de"] == "Testfeld X, Teststadt"
    assert described.description["de"].startswith("1 Initiative, 1 Organisation, 2 Veranstaltungen")
    assert (described.spatial, described.total, described.publisher_name) == (None, None, "")
