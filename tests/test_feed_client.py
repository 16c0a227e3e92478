"""The change feed replicated by the LDES client people use (npm ``ldes-client``, its CLI) against the real
server: from the start it gives the current dump's entities; after one more build, following the feed from
where it stopped (``--save``, ``--follow``) gives exactly the changes that release recorded."""

from __future__ import annotations

import gzip
import json
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from publisher.history import read_pages
from tests.conftest import PROJECT
from tests.history import History, three_releases
from tests.rdf_compare import assert_isomorphic
from tests.server import stop, until

CLI = PROJECT / "tests" / "clients" / "ldes" / "node_modules" / "ldes-client" / "dist" / "bin" / "cli.js"
AS_DELETE = URIRef("https://www.w3.org/ns/activitystreams#Delete")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    return three_releases(tmp_path_factory.mktemp("feed"))


@pytest.fixture(scope="module")
def server(history: History) -> Iterator[str]:
    with history.serve() as url:
        yield url


def _members(output: str) -> dict[URIRef, Graph]:
    """The client's output (each member's quads, members apart by an empty line) as a graph per member."""
    members: dict[URIRef, Graph] = {}
    for block in output.split("\n\n"):
        if block.strip():
            graph = Graph().parse(data=block, format="turtle")  # the client writes 127 for "127"^^xsd:integer
            member = next(iter(graph.subjects(DCTERMS.isVersionOf, None)))
            assert isinstance(member, URIRef)
            members[member] = graph
    return members


def _replicate(members: dict[URIRef, Graph]) -> Graph:
    """What a harvester keeps: each entity's newest version, its statements put back on the entity; an entity
    whose newest member is a tombstone is left out."""
    newest: dict[URIRef, tuple[str, URIRef]] = {}
    for member, graph in members.items():
        entity = graph.value(member, DCTERMS.isVersionOf)
        stamp = str(graph.value(member, PROV.generatedAtTime))
        assert isinstance(entity, URIRef)
        if entity not in newest or newest[entity][0] < stamp:
            newest[entity] = (stamp, member)
    replica = Graph()
    for entity, (_, member) in newest.items():
        graph = members[member]
        if (member, RDF.type, AS_DELETE) in graph:
            continue
        for s, p, o in graph:
            if s == member and p in (DCTERMS.isVersionOf, PROV.generatedAtTime):
                continue
            replica.add((entity if s == member else s, p, o))
    return replica


def _entities_of_dump(history: History) -> Graph:
    """The current dump's entities: subjects under {base}id/ and the blank nodes they lead to."""
    dump = Graph()
    with gzip.open(history.settings.releases_dir / "current" / "dumps" / "data.nt.gz", "rt") as handle:
        dump.parse(data=handle.read(), format="nt")
    entities = Graph()
    things = f"{history.base}id/"
    todo = [s for s in set(dump.subjects()) if isinstance(s, URIRef) and str(s).startswith(things)]
    seen = set()
    while todo:
        subject = todo.pop()
        for _, p, o in dump.triples((subject, None, None)):
            entities.add((subject, p, o))
            if isinstance(o, BNode) and o not in seen:
                seen.add(o)
                todo.append(o)
    return entities


def test_replicating_the_feed_from_the_start_gives_the_current_entities(
    history: History, server: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    state = tmp_path_factory.mktemp("client") / "state"
    done = subprocess.run(
        ["node", str(CLI), "--save", str(state), f"{server}feed"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    members = _members(done.stdout)
    tombstones = [m for m, g in members.items() if (m, RDF.type, AS_DELETE) in g]
    removal = f"{server}releases/{history.releases[1].id}/id/observation/obs-events"
    assert [str(m) for m in tombstones] == [removal]  # release 2 removed it, release 3 brought it back
    assert_isomorphic(_replicate(members), _entities_of_dump(history))


def test_following_the_feed_after_one_more_build_gives_exactly_its_changes(
    history: History, server: str, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    subprocess.run(
        ["node", str(CLI), "--quiet", "--save", str(state), f"{server}feed"], timeout=300, check=True
    )
    history.edit("people", "Erika Mustermann,Prof.", "Erika Musterfrau,Prof.")
    history.edit("observations", "obs-members,", "obs-members-2,")
    release = history.build()
    changes = json.loads((release.folder / "changes.json").read_text())["lists"]
    _wait_for_page(server, read_pages(release.folder)[-1].number)
    expected = len(changes["added"]) + len(changes["changed"]) + len(changes["removed"])
    output = _follow(state, f"{server}feed", expected)
    members = _members(output)
    assert {str(m) for m in members} == {
        f"{server}releases/{release.id}/{iri[len(server) :]}"
        for kind in ("added", "changed", "removed")
        for iri in changes[kind]
    }
    for member, graph in members.items():
        entity = graph.value(member, DCTERMS.isVersionOf)
        if str(entity) in changes["removed"]:
            assert set(graph) == {
                (member, DCTERMS.isVersionOf, entity),
                (member, PROV.generatedAtTime, graph.value(member, PROV.generatedAtTime)),
                (member, RDF.type, AS_DELETE),
            }
    person = URIRef(f"{server}id/person/person-a")
    assert (person, URIRef("https://schema.org/name"), Literal("Prof. Dr. Erika Musterfrau")) in _replicate(
        members
    )


def _wait_for_page(server: str, number: int) -> None:
    """The server takes a new release once it has checked and prepared it: then its new page is there."""
    until(lambda: requests.get(f"{server}feed/{number}", timeout=10).status_code == 200, seconds=60)


def _follow(state: Path, url: str, expected: int, seconds: float = 120) -> str:
    """Run the client in follow mode until ``expected`` members came and one more poll brought no more."""
    process = subprocess.Popen(
        ["node", str(CLI), "--follow", "--poll-interval", "500", "--save", str(state), url],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: list[str] = []
    output = process.stdout
    assert output is not None
    reader = threading.Thread(target=lambda: lines.extend(iter(output.readline, "")), daemon=True)
    reader.start()
    deadline = time.monotonic() + seconds
    try:
        while sum("isVersionOf" in line for line in lines) < expected:
            assert time.monotonic() < deadline, f"the client gave {''.join(lines)!r}"
            time.sleep(0.1)
        time.sleep(2)  # four more polls: nothing else may come
    finally:
        stop(process)  # type: ignore[arg-type]
        reader.join(timeout=10)
        output.close()
    return "".join(lines)
