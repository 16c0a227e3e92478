"""Stage release: a complete, checksummed folder becomes current atomically; failures leave current alone."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from rdflib import Graph

from publisher.build import run_pipeline
from publisher.errors import SourceDataError, ValidationError
from publisher.integrity import sha256_of
from publisher.map import map_sources
from publisher.read import read_sources
from publisher.release import activate
from publisher.releases import current_release, list_releases
from publisher.settings import Settings
from publisher.uris import UriScheme
from tests.rdf_compare import assert_isomorphic


def _snapshot(folder: Path) -> dict[str, tuple[int, float]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime) for p in folder.rglob("*")}


def test_a_build_writes_a_complete_release_and_makes_it_current(settings: Settings) -> None:
    result = run_pipeline(settings, release=True)
    assert result.release is not None
    current = current_release(settings.releases_dir)
    assert current is not None and current.id == result.release.id
    folder = current.folder
    for name in (
        "dumps/data.ttl",
        "dumps/data.ttl.gz",
        "dumps/data.nt.gz",
        "dumps/data.jsonld",
        "dumps/data.jsonld.gz",
        "entities.tsv",
        "changes.json",
        "gone.json",
        "validation-report.ttl",
        "manifest.json",
    ):
        assert (folder / name).is_file(), name
    assert (folder / "store").is_dir()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["release"] == current.id
    assert manifest["triples"] == result.triples
    assert manifest["classes"]["cluster:ClusterInitiative"] == 1
    assert manifest["rows"]["initiatives"] == 1
    for name, entry in manifest["files"].items():
        assert sha256_of(folder / name) == entry["sha256"], name
        assert (folder / name).stat().st_size == entry["bytes"]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("data.ttl", "turtle"),
        ("data.ttl.gz", "turtle"),
        ("data.nt.gz", "nt"),
        ("data.jsonld", "json-ld"),
        ("data.jsonld.gz", "json-ld"),
    ],
)
def test_each_dump_parses_back_to_the_mapped_graph(settings: Settings, name: str, fmt: str) -> None:
    result = run_pipeline(settings, release=True)
    assert result.release is not None
    path = result.release.folder / "dumps" / name
    raw = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
    dumped = Graph().parse(data=raw, format=fmt)
    expected = map_sources(read_sources(settings.data_dir), UriScheme(settings.base)).graph
    assert_isomorphic(dumped, expected)


@pytest.mark.parametrize("name", ["data.ttl.gz", "data.nt.gz", "data.jsonld.gz"])
def test_each_gzip_dump_holds_the_store_graph(settings: Settings, name: str) -> None:
    import pyoxigraph as ox

    release = run_pipeline(settings, release=True).release
    assert release is not None
    formats = {"data.ttl.gz": "turtle", "data.nt.gz": "nt", "data.jsonld.gz": "json-ld"}
    dumped = Graph().parse(
        data=gzip.decompress((release.folder / "dumps" / name).read_bytes()), format=formats[name]
    )
    store = ox.Store.read_only(str(release.folder / "store"))
    stored = Graph().parse(
        data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt"
    )
    del store
    assert_isomorphic(dumped, stored)


def test_the_validation_report_says_it_conforms(settings: Settings) -> None:
    result = run_pipeline(settings, release=True)
    assert result.release is not None
    report = (result.release.folder / "validation-report.ttl").read_text()
    assert "sh:conforms true" in report


def test_invalid_tables_leave_the_current_release_untouched(settings: Settings) -> None:
    run_pipeline(settings, release=True)
    before = _snapshot(settings.releases_dir)
    (settings.data_dir / "people.csv").write_text("id,name\nbroken,Nobody\n", encoding="utf-8")
    with pytest.raises(SourceDataError):
        run_pipeline(settings, release=True)
    assert _snapshot(settings.releases_dir) == before


def test_shape_violations_leave_the_current_release_untouched(settings: Settings) -> None:
    run_pipeline(settings, release=True)
    before = _snapshot(settings.releases_dir)
    events = settings.data_dir / "events.csv"
    events.write_text(events.read_text().replace("2017-04-20,2017-04-28", "2017-04-29,2017-04-28"))
    with pytest.raises(ValidationError) as raised:
        run_pipeline(settings, release=True)
    assert any(str(v.origin) == "events.csv:2" and v.path == "startDate" for v in raised.value.violations)
    assert _snapshot(settings.releases_dir) == before


def test_leftovers_of_a_killed_build_are_cleared_by_the_next_build(settings: Settings) -> None:
    first = run_pipeline(settings, release=True).release
    assert first is not None
    stale = settings.releases_dir / ".building-20000101T000000Z-deadbeef"
    (stale / "dumps").mkdir(parents=True)
    (stale / "dumps" / "data.ttl").write_text("half written")
    assert current_release(settings.releases_dir).id == first.id  # type: ignore[union-attr]
    run_pipeline(settings, release=True)
    assert not stale.exists()


def test_a_new_release_replaces_current_and_an_old_one_can_be_reactivated(settings: Settings) -> None:
    first = run_pipeline(settings, release=True).release
    people = settings.data_dir / "people.csv"
    people.write_text(people.read_text().replace("Erika Muster,Prof.", "Erika Mustermann,Prof."))
    second = run_pipeline(settings, release=True).release
    assert first is not None and second is not None and first.id != second.id
    assert current_release(settings.releases_dir).id == second.id  # type: ignore[union-attr]
    assert [r.id for r in list_releases(settings.releases_dir)] == [first.id, second.id]
    activate(settings.releases_dir, first.id)
    assert os.readlink(settings.releases_dir / "current") == first.id


def _grow(data_dir: Path, observations: int) -> None:
    """Append synthetic observations so a build's release stage takes long enough to be interrupted."""
    with (data_dir / "observations.csv").open("a", encoding="utf-8") as handle:
        for n in range(observations):
            handle.write(f"obs-synthetic-{n},week,events,{n},,2017-04-19,Synthetische Zahl {n},,doc-a\n")


def test_a_build_killed_while_releasing_leaves_current_as_it_was(settings: Settings) -> None:
    import signal
    import subprocess
    import sys

    first = run_pipeline(settings, release=True).release
    assert first is not None
    before = _snapshot(first.folder)
    _grow(settings.data_dir, 5000)
    build = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "publisher",
            "build",
            "--data",
            str(settings.data_dir),
            "--releases",
            str(settings.releases_dir),
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert build.stderr is not None
    for line in build.stderr:
        if line.startswith("release"):
            build.send_signal(signal.SIGKILL)
            break
    assert build.wait(timeout=120) == -signal.SIGKILL
    build.stderr.close()
    assert current_release(settings.releases_dir).id == first.id  # type: ignore[union-attr]
    assert _snapshot(first.folder) == before
    assert [r.id for r in list_releases(settings.releases_dir)] == [first.id]
    second = run_pipeline(settings, release=True).release
    assert second is not None and second.manifest["rows"]["observations"] == 5002
    assert not list(settings.releases_dir.glob(".building-*"))
