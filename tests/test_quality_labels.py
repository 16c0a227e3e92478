"""Quality labels and dated facts in the built release of the bundled data: a portal's questions answered."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from publisher.build import run_pipeline
from publisher.settings import Settings
from publisher.web.examples import EXAMPLES_DIR
from tests.conftest import PROJECT

GOLD_QUERY = (EXAMPLES_DIR / "06-gold-labels.rq").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """The Turtle dump of a release built from data/ (the base is the default the query is written for)."""
    releases = tmp_path_factory.mktemp("labels") / "releases"
    result = run_pipeline(Settings(data_dir=PROJECT / "data", releases_dir=releases), release=True)
    assert result.release is not None
    return Graph().parse(Path(result.release.folder) / "dumps" / "data.ttl")


def test_which_clusters_hold_a_gold_label_and_since_when(released: Graph) -> None:
    rows = {(str(r.label), str(r.awarded)) for r in released.query(GOLD_QUERY)}
    assert ("Virtual Dimension Center", "2013") in rows
    assert ("Cluster Medizintechnologie", "2020-08-12") in rows
    assert ("Cluster Elektromobilität Süd-West", "2014") in rows
    assert ("TechnologyMountains", "2015") in rows


def test_disagreeing_label_dates_stand_side_by_side(released: Graph) -> None:
    years = {str(awarded) for label, awarded in _gold(released) if label == "Virtual Dimension Center"}
    # 2013 (region-stuttgart.de) beside „seit 2012“ (k-magazin.de); renewed 2019 (clusterplattform.de)
    assert years == {"2012", "2013", "2019"}


def test_both_reports_on_leichtbau_bw_are_published_with_their_dates(released: Graph) -> None:
    query = """PREFIX cluster: <http://localhost:8080/def/cluster#> PREFIX schema: <https://schema.org/>
    SELECT ?status ?since ?reported WHERE {
      <http://localhost:8080/id/initiative/leichtbau-bw> cluster:statusReport ?r .
      ?r cluster:reportedStatus ?status .
      OPTIONAL { ?r schema:startDate ?since } OPTIONAL { ?r cluster:reportedOn ?reported } }"""
    rows = {(str(r.status).rsplit("#", 1)[1], str(r.since), str(r.reported)) for r in released.query(query)}
    assert rows == {("Dissolved", "2022-12-31", "2022"), ("InDissolution", "None", "2023-03-15")}


def test_the_ministrys_old_name_stays_as_an_alternative_with_its_date(released: Graph) -> None:
    query = """PREFIX cluster: <http://localhost:8080/def/cluster#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX schema: <https://schema.org/>
    SELECT ?label ?alt ?attested WHERE {
      <http://localhost:8080/id/organisation/ministry-economy-bw> rdfs:label ?label ; skos:altLabel ?alt ;
        cluster:hadName ?n . ?n schema:name ?alt ; cluster:attestedOn ?attested .
      FILTER(LANG(?label) = "de") }"""
    rows = {(str(r.label), str(r.alt), str(r.attested)) for r in released.query(query)}
    assert rows == {
        (
            "Ministerium für Wirtschaft, Arbeit und Tourismus Baden-Württemberg",
            "Ministerium für Wirtschaft, Arbeit und Wohnungsbau Baden-Württemberg",
            "2017-12-13",
        )
    }


def test_the_clusteragenturs_operators_differ_by_date(released: Graph) -> None:
    query = """PREFIX cluster: <http://localhost:8080/def/cluster#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?role (GROUP_CONCAT(?agent; separator="|") AS ?agents) WHERE {
      <http://localhost:8080/id/initiative/clusteragentur-bw> cluster:hasRole ?role .
      ?role cluster:roleAgent/rdfs:label ?agent . FILTER(LANG(?agent) = "de") } GROUP BY ?role"""
    operators = {str(r.role).rsplit("/", 1)[1]: set(str(r.agents).split("|")) for r in released.query(query)}
    assert "Steinbeis-Beratungszentren GmbH" in operators["role-clusteragentur-operators-2014"]
    assert "Steinbeis 2i GmbH" in operators["role-clusteragentur-operators-2018"]
    assert operators["role-regioclusteragentur-operator-2022"] == {"VDI/VDE Innovation + Technik GmbH"}


def test_the_cluster_week_initiators_are_published_side_by_side(released: Graph) -> None:
    query = """PREFIX cluster: <http://localhost:8080/def/cluster#> PREFIX prov: <http://www.w3.org/ns/prov#>
    SELECT ?role ?source WHERE { <http://localhost:8080/id/event/clusterwoche-2017> cluster:hasRole ?role .
      ?role cluster:roleType cluster:Initiator ; prov:wasDerivedFrom ?source }"""
    sources = {str(r.source).rsplit("/", 1)[1] for r in released.query(query)}
    assert sources == {
        "clusterportal-clusterwoche-voller-erfolg",
        "studylib-grusswort-clusterwoche-2017",
        "clusterplattform-newsletter-clusterwoche-2017",
    }


def test_our_field_classification_is_marked_as_ours(released: Graph) -> None:
    query = """PREFIX cluster: <http://localhost:8080/def/cluster#>
    SELECT (COUNT(DISTINCT ?i) AS ?all) (COUNT(DISTINCT ?marked) AS ?ours) WHERE {
      ?i cluster:technologyField ?f .
      OPTIONAL { ?i cluster:classifiedBy cluster:PublisherClassification . BIND(?i AS ?marked) } }"""
    row = next(iter(released.query(query)))
    assert int(row.all) >= 20
    assert int(row.ours) == int(row.all)


def _gold(graph: Graph) -> set[tuple[str, str]]:
    return {(str(r.label), str(r.awarded)) for r in graph.query(GOLD_QUERY)}


@pytest.mark.parametrize(
    ("region", "initiative"),
    [
        ("regierungsbezirk-karlsruhe", "cluster-medizintechnologie-mannheim"),
        ("regierungsbezirk-karlsruhe", "cyberforum"),
        ("regierungsbezirk-stuttgart", "virtual-dimension-center"),
        ("regierungsbezirk-freiburg", "biolago"),
        ("regierungsbezirk-tuebingen", "medical-valley-hechingen"),
        ("baden-wuerttemberg", "medical-valley-hechingen"),  # through its region
    ],
)
def test_a_government_region_contains_the_initiatives_in_its_municipalities(
    released: Graph, region: str, initiative: str
) -> None:
    query = f"""PREFIX schema: <https://schema.org/>
    ASK {{ <http://localhost:8080/id/initiative/{initiative}> schema:location/schema:containedInPlace+
           <http://localhost:8080/id/place/{region}> }}"""
    assert released.query(query).askAnswer


def test_every_municipality_in_the_state_is_placed_in_one_government_region(released: Graph) -> None:
    query = """PREFIX schema: <https://schema.org/> PREFIX cluster: <http://localhost:8080/def/cluster#>
    SELECT ?m ?within WHERE { ?m a cluster:Municipality ; cluster:municipalityKey ?ags .
      OPTIONAL { ?m schema:containedInPlace ?within } }"""
    within = {str(r.m).rsplit("/", 1)[1]: str(r.within).rsplit("/", 1)[1] for r in released.query(query)}
    assert within and all(w.startswith("regierungsbezirk-") for w in within.values()), within


def test_the_kinds_the_sources_distinguish_are_classes(released: Graph) -> None:
    query = """PREFIX cluster: <http://localhost:8080/def/cluster#>
    SELECT ?class (COUNT(?i) AS ?n) WHERE { ?i a ?class .
      VALUES ?class { cluster:Platform cluster:CrossStateCluster cluster:StateNetwork } } GROUP BY ?class"""
    counts = {str(r["class"]).rsplit("#", 1)[1]: int(r.n) for r in released.query(query)}
    assert counts["Platform"] == 3  # Smart Grids-Plattform, Plattform H2BW, smart businessIT
    # Automotive-Cluster RheinMainNeckar, Software-Cluster, Logistik-Cluster Schwaben, H2 Süd
    assert counts["CrossStateCluster"] == 4
    assert counts["StateNetwork"] >= 8


def test_a_merger_names_its_successor_and_its_date(released: Graph) -> None:
    query = """PREFIX cluster: <http://localhost:8080/def/cluster#> PREFIX schema: <https://schema.org/>
    SELECT ?successor ?since WHERE {
      <http://localhost:8080/id/initiative/packaging-excellence-center> cluster:statusReport ?r .
      ?r cluster:reportedStatus cluster:Merged ; cluster:successor ?successor ; schema:startDate ?since }"""
    rows = {(str(r.successor).rsplit("/", 1)[1], str(r.since)) for r in released.query(query)}
    assert rows == {("packaging-valley", "2020")}
