"""The change feed's shape over releases: pages per release with relations in time, closed pages immutable
and shared with earlier releases on disk, tombstones, the DCAT record's versions and the VoID link."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from publisher.changes import read_entities
from publisher.history import read_pages, write_feed
from publisher.web import create_app
from tests.history import History, three_releases

TREE = "https://w3id.org/tree#"
LDES = "https://w3id.org/ldes#"
DCAT = "http://www.w3.org/ns/dcat#"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    return three_releases(tmp_path_factory.mktemp("feed-shape"))


@pytest.fixture(scope="module")
def client(history: History) -> FlaskClient:
    return create_app(history.settings).test_client()


def _graph(client: FlaskClient, path: str) -> Graph:
    answer = client.get(path, headers={"Accept": "text/turtle"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return Graph().parse(data=answer.get_data(as_text=True), format="turtle")


def test_the_stream_says_how_versions_and_deletions_are_told(history: History, client: FlaskClient) -> None:
    graph = _graph(client, "/feed")
    stream = URIRef(f"{history.base}feed")
    assert (stream, RDF.type, URIRef(f"{LDES}EventStream")) in graph
    assert graph.value(stream, URIRef(f"{LDES}timestampPath")) == PROV.generatedAtTime
    assert graph.value(stream, URIRef(f"{LDES}versionOfPath")) == DCTERMS.isVersionOf
    assert graph.value(stream, URIRef(f"{LDES}versionDeleteObject")) == URIRef(
        "https://www.w3.org/ns/activitystreams#Delete"
    )
    assert graph.value(stream, URIRef(f"{TREE}view")) == URIRef(f"{history.base}feed/1")


def test_each_page_holds_one_release_and_leads_to_the_next_in_time(
    history: History, client: FlaskClient
) -> None:
    pages = read_pages(history.releases[-1].folder)
    assert [p.release for p in pages] == [r.id for r in history.releases]
    for page in pages[:-1]:
        graph = _graph(client, f"/feed/{page.number}")
        relation = graph.value(URIRef(f"{history.base}feed/{page.number}"), URIRef(f"{TREE}relation"))
        assert graph.value(relation, RDF.type) == URIRef(f"{TREE}GreaterThanOrEqualToRelation")
        assert graph.value(relation, URIRef(f"{TREE}node")) == URIRef(f"{history.base}feed/{page.number + 1}")
        following = pages[page.number]
        starts = Literal(following.built, datatype=XSD.dateTime)
        assert graph.value(relation, URIRef(f"{TREE}value")) == starts
        members = set(graph.objects(URIRef(f"{history.base}feed"), URIRef(f"{TREE}member")))
        assert len(members) == page.members
        for member in members:
            assert graph.value(member, PROV.generatedAtTime) == Literal(page.built, datatype=XSD.dateTime)


def test_a_removal_is_a_tombstone_and_a_return_a_new_version(history: History, client: FlaskClient) -> None:
    entity = URIRef(f"{history.base}id/observation/obs-events")
    removal = URIRef(f"{history.base}releases/{history.releases[1].id}/id/observation/obs-events")
    second = _graph(client, "/feed/2")
    assert set(second.predicate_objects(removal)) == {
        (DCTERMS.isVersionOf, entity),
        (PROV.generatedAtTime, Literal(str(history.releases[1].manifest["built"]), datatype=XSD.dateTime)),
        (RDF.type, URIRef("https://www.w3.org/ns/activitystreams#Delete")),
    }
    back = URIRef(f"{history.base}releases/{history.releases[2].id}/id/observation/obs-events")
    third = _graph(client, "/feed/3")
    assert third.value(back, DCTERMS.isVersionOf) == entity
    assert third.value(back, URIRef("https://schema.org/value")) == Literal(127)


def test_closed_pages_are_immutable_and_the_newest_short_lived(client: FlaskClient) -> None:
    closed = client.get("/feed/1")
    assert closed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    newest = client.get("/feed/3")
    assert newest.headers["Cache-Control"] == "public, max-age=60"
    assert client.get("/feed").headers["Cache-Control"] == "public, max-age=60"
    again = client.get("/feed/1", headers={"If-None-Match": closed.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/feed/4").status_code == 404


def test_every_format_says_the_same(client: FlaskClient) -> None:
    turtle = _graph(client, "/feed/2")
    for media_type, name in (
        ("application/n-quads", "nt"),  # default-graph N-Quads are N-Triples lines
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ):
        answer = client.get("/feed/2", headers={"Accept": media_type})
        assert answer.headers["Content-Type"].startswith(media_type)
        graph = Graph().parse(data=answer.get_data(as_text=True), format=name)
        assert len(graph) == len(turtle)


def test_a_closed_page_is_one_file_on_disk_for_every_release(history: History) -> None:
    first, last = history.releases[0].folder, history.releases[-1].folder
    assert os.path.samefile(first / "feed" / "1.nt", last / "feed" / "1.nt")


def test_a_release_holds_at_most_page_members_per_page(history: History, tmp_path: Path) -> None:
    release = history.releases[0]
    entities = sorted(read_entities(release.folder / "entities.tsv"))
    dump = release.folder / "dumps" / "data.nt.gz"
    built = str(release.manifest["built"])
    pages = write_feed(tmp_path, None, history.base, release.id, built, entities, [], dump, page_members=4)
    full, rest = divmod(len(entities), 4)
    assert [p.members for p in pages] == [4] * full + ([rest] if rest else [])
    assert [p.number for p in pages] == list(range(1, len(pages) + 1))
    together = Graph()
    for page in pages:
        together.parse(tmp_path / page.file, format="nt")
    assert len(set(together.objects(None, DCTERMS.isVersionOf))) == len(entities)


def test_the_release_history_gives_each_release_as_a_dcat_version(
    history: History, client: FlaskClient
) -> None:
    graph = _graph(client, "/releases")
    dataset = URIRef(f"{history.base}dataset")
    versions = [URIRef(f"{history.base}releases/{r.id}") for r in history.releases]
    assert set(graph.objects(dataset, URIRef(f"{DCAT}hasVersion"))) == set(versions)
    assert graph.value(dataset, URIRef(f"{DCAT}hasCurrentVersion")) == versions[-1]
    for earlier, later in itertools.pairwise(versions):
        assert graph.value(later, URIRef(f"{DCAT}previousVersion")) == earlier
    assert graph.value(versions[0], URIRef(f"{DCAT}version")) == Literal(history.releases[0].id)


def test_the_dataset_description_names_its_current_version_and_the_feed(
    history: History, client: FlaskClient
) -> None:
    graph = _graph(client, "/dataset")
    dataset = URIRef(f"{history.base}dataset")
    current = URIRef(f"{history.base}releases/{history.releases[-1].id}")
    assert graph.value(dataset, URIRef(f"{DCAT}hasCurrentVersion")) == current
    assert (dataset, RDFS.seeAlso, URIRef(f"{history.base}feed")) in graph
    assert len(set(graph.subjects(RDF.type, URIRef(f"{DCAT}Dataset")))) == 1  # one record for a portal


def test_void_names_the_feed(history: History, client: FlaskClient) -> None:
    graph = _graph(client, "/.well-known/void")
    assert (URIRef(f"{history.base}dataset"), RDFS.seeAlso, URIRef(f"{history.base}feed")) in graph
