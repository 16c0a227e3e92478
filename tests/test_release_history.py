"""Release history: the changelog of each release, ``/releases``, 410 Gone for removed URIs (with the last
release and the replacement), rollback bringing an entity back, and pruning to ``keep_releases``."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import requests
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD

from publisher.build import run_pipeline
from publisher.changes import entity_digests, read_gone
from publisher.errors import SourceDataError
from publisher.history.timeline import read_lineage
from publisher.release import prune_releases, release_lock
from publisher.releases import Release, current_release, list_releases
from publisher.settings import Settings
from publisher.tables import REPLACEMENTS
from tests.conftest import BASE, PROJECT
from tests.server import running_server, until

VOID = Namespace("http://rdfs.org/ns/void#")
OBS = f"{BASE}id/observation/"
PERSON = f"{BASE}id/person/person-a"


def _edit(settings: Settings, table: str, old: str, new: str) -> None:
    path = settings.data_dir / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _second_edition(settings: Settings) -> None:
    """obs-events goes, obs-members is replaced by obs-members-2014 (sourced), person-a changes."""
    _edit(
        settings,
        "observations",
        "obs-events,week,events,127,,2017-04-19,127 Veranstaltungen,127 events,doc-a\n",
        "",
    )
    _edit(settings, "observations", "obs-members,ini-one", "obs-members-2014,ini-one")
    _edit(settings, "people", "Erika Muster,Prof.", "Erika Mustermann,Prof.")
    (settings.data_dir / "replacements.csv").write_text(
        "id,replaced_by,source\nobs-members,obs-members-2014,doc-b\n", encoding="utf-8"
    )


def _release(settings: Settings) -> Release:
    release = run_pipeline(settings, release=True).release
    assert release is not None
    return release


@pytest.fixture
def two_releases(settings: Settings) -> tuple[Release, Release]:
    first = _release(settings)
    _second_edition(settings)
    return first, _release(settings)


def test_the_changelog_names_what_was_added_changed_and_removed(
    two_releases: tuple[Release, Release],
) -> None:
    first, second = two_releases
    changes = json.loads((second.folder / "changes.json").read_text())
    assert changes["previous"] == first.id
    assert changes["lists"] == {
        "added": [f"{OBS}obs-members-2014"],
        "changed": [PERSON],
        "removed": [f"{OBS}obs-events", f"{OBS}obs-members"],
    }
    assert second.manifest["changes"] == {"previous": first.id, "added": 1, "changed": 1, "removed": 2}
    assert "changes.json" in second.manifest["files"] and "gone.json" in second.manifest["files"]
    opening = json.loads((first.folder / "changes.json").read_text())
    assert opening["previous"] is None and opening["removed"] == opening["changed"] == 0
    assert (
        opening["added"]
        == first.manifest["entities"]
        == len((first.folder / "entities.tsv").read_text().splitlines())
    )


def test_gone_records_the_last_release_and_the_sourced_replacement(
    two_releases: tuple[Release, Release],
) -> None:
    first, second = two_releases
    gone = read_gone(second.folder / "gone.json")
    assert set(gone) == {f"{OBS}obs-events", f"{OBS}obs-members"}
    replaced = gone[f"{OBS}obs-members"]
    assert replaced.last_release == first.id and replaced.removed == second.manifest["built"]
    assert replaced.replaced_by == f"{OBS}obs-members-2014"
    assert replaced.sources == (f"{BASE}id/document/doc-b",)
    assert gone[f"{OBS}obs-events"].replaced_by is None


def test_gone_is_carried_forward_and_forgets_what_came_back(
    settings: Settings, two_releases: tuple[Release, Release]
) -> None:
    _, second = two_releases
    _edit(settings, "people", "Erika Mustermann,Prof.", "Erika M. Mustermann,Prof.")
    third = _release(settings)
    assert read_gone(third.folder / "gone.json") == read_gone(second.folder / "gone.json")
    with (settings.data_dir / "observations.csv").open("a", encoding="utf-8") as handle:
        handle.write("obs-events,week,events,127,,2017-04-19,127 Veranstaltungen,127 events,doc-a\n")
    fourth = _release(settings)
    assert set(read_gone(fourth.folder / "gone.json")) == {f"{OBS}obs-members"}
    assert json.loads((fourth.folder / "changes.json").read_text())["lists"]["added"] == [f"{OBS}obs-events"]


def test_a_release_from_before_the_history_starts_the_line(settings: Settings) -> None:
    first = _release(settings)
    for folder in ("history", "feed"):  # as a release made before publisher.history wrote them
        shutil.rmtree(first.folder / folder)
    _second_edition(settings)
    second = _release(settings)
    assert read_lineage(second.folder) == [
        {"id": first.id, "built": first.built},
        {"id": second.id, "built": second.built},
    ]
    versions = dict(
        line.split("\t") for line in (second.folder / "history/versions.tsv").read_text().splitlines()
    )
    assert versions[PERSON] == "0v 1v"
    assert versions[f"{OBS}obs-members-2014"] == "1v"


def test_the_entity_digest_ignores_order_and_blank_node_labels(tmp_path: Path) -> None:
    one, two = tmp_path / "one.nt", tmp_path / "two.nt"
    thing = f"<{BASE}id/document/d>"
    one.write_text(f'{thing} <p:a> "x" .\n{thing} <p:b> _:b1 .\n_:b1 <p:name> "Verlag" .\n')
    two.write_text(f'_:zz <p:name> "Verlag" .\n{thing} <p:b> _:zz .\n{thing} <p:a> "x" .\n')
    assert entity_digests(one, BASE) == entity_digests(two, BASE)
    two.write_text(f'_:zz <p:name> "Anderer Verlag" .\n{thing} <p:b> _:zz .\n{thing} <p:a> "x" .\n')
    assert entity_digests(one, BASE) != entity_digests(two, BASE)
    packed = tmp_path / "one.nt.gz"
    packed.write_bytes(gzip.compress(one.read_bytes()))
    assert entity_digests(packed, BASE) == entity_digests(one, BASE)


def test_a_replacement_must_name_a_removed_id_and_an_existing_entity(settings: Settings) -> None:
    (settings.data_dir / "replacements.csv").write_text(
        "id,replaced_by,source\nobs-events,obs-members,doc-a\nold-thing,nowhere,doc-a\n", encoding="utf-8"
    )
    with pytest.raises(SourceDataError) as raised:
        run_pipeline(settings, release=False)
    problems = {(p.row, p.column) for p in raised.value.problems if p.file == REPLACEMENTS.file_name}
    assert problems == {(2, "id"), (3, "replaced_by")}


@pytest.fixture
def served(settings: Settings, two_releases: tuple[Release, Release]) -> Iterator[str]:
    with running_server(settings.releases_dir) as url:
        yield url


def test_releases_lists_every_release_newest_first_with_counts(
    served: str, two_releases: tuple[Release, Release]
) -> None:
    first, second = two_releases
    page = requests.get(served + "releases", headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert page.text.index(second.id) < page.text.index(first.id)
    row = re.search(rf'<tr class="current" id="r-{re.escape(second.id)}">(.*?)</tr>', page.text, re.S)
    assert row is not None
    assert re.search(r'class="added">1<.*class="changed">1<.*class="removed">2<', row.group(1), re.S)
    assert f">{second.manifest['triples']}<" in row.group(1)
    english = requests.get(served + "releases?lang=en", headers={"Accept": "text/html"}, timeout=10)
    assert "(current)" in english.text and "Releases" in english.text
    assert 'href="/releases"' in requests.get(served, timeout=10).text


@pytest.mark.parametrize(("path", "accept", "fmt"), [
    ("releases", "text/turtle", "turtle"),
    ("releases.ttl", "", "turtle"),
    ("releases.jsonld", "", "json-ld"),
    ("releases", "application/n-triples", "nt"),
])  # fmt: skip
def test_releases_as_rdf(
    served: str, two_releases: tuple[Release, Release], path: str, accept: str, fmt: str
) -> None:
    first, second = two_releases
    answer = requests.get(served + path, headers={"Accept": accept} if accept else {}, timeout=10)
    assert answer.status_code == 200
    graph = Graph().parse(data=answer.text, format=fmt)
    one, two = URIRef(f"{BASE}releases/{first.id}"), URIRef(f"{BASE}releases/{second.id}")
    assert (two, PROV.wasRevisionOf, one) in graph
    assert graph.value(two, VOID.triples) == Literal(second.manifest["triples"], datatype=XSD.integer)
    assert graph.value(two, DCTERMS.identifier) == Literal(second.id)
    assert (URIRef(f"{BASE}dataset"), DCTERMS.hasVersion, one) in graph
    assert (URIRef(f"{BASE}dataset"), URIRef("http://www.w3.org/ns/dcat#hasCurrentVersion"), two) in graph


def test_a_release_page_lists_and_links_its_changes(
    served: str, two_releases: tuple[Release, Release]
) -> None:
    first, second = two_releases
    page = requests.get(f"{served}releases/{second.id}", headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200
    assert 'href="/doc/observation/obs-members-2014"' in page.text
    assert 'href="/doc/person/person-a"' in page.text
    assert 'href="/id/observation/obs-events"' in page.text
    assert f'href="/releases/{first.id}"' in page.text
    turtle = Graph().parse(data=requests.get(f"{served}releases/{second.id}.ttl", timeout=10).text)
    removed = URIRef(f"{BASE}releases/{second.id}#removed")
    assert set(turtle.objects(removed, PROV.hadMember)) == {
        URIRef(f"{OBS}obs-events"),
        URIRef(f"{OBS}obs-members"),
    }
    assert requests.get(f"{served}releases/20000101T000000.000Z-deadbeef", timeout=10).status_code == 404
    # a form the release has not: 406, as for every negotiated route (publisher.web.respond)
    assert requests.get(f"{served}releases/{second.id}.txt", timeout=10).status_code == 406


def test_a_removed_uri_answers_410_with_its_last_release_and_replacement(
    served: str, two_releases: tuple[Release, Release]
) -> None:
    first, _ = two_releases
    for path in ("id/observation/obs-members", "doc/observation/obs-members"):
        page = requests.get(served + path, headers={"Accept": "text/html"}, allow_redirects=False, timeout=10)
        assert page.status_code == 410, path
        assert f'href="/releases/{first.id}"' in page.text
        assert 'class="replacement"' in page.text and 'href="/doc/observation/obs-members-2014"' in page.text
        links = page.headers["Link"].split(", ")
        assert links[0] == '</id/observation/obs-members-2014>; rel="http://purl.org/dc/terms/isReplacedBy"'
        # its versions stay reachable: a thing is its own TimeGate, a document names one apart
        timegate = "original timegate" if path.startswith("id/") else "original"
        assert links[1] == f'<{BASE}{path}>; rel="{timegate}"'
    turtle = requests.get(
        served + "id/observation/obs-members", headers={"Accept": "text/turtle"}, timeout=10
    )
    assert turtle.status_code == 410 and turtle.headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    old = URIRef(f"{OBS}obs-members")
    assert graph.value(old, DCTERMS.isReplacedBy) == URIRef(f"{OBS}obs-members-2014")
    assert graph.value(old, VOID.inDataset) == URIRef(f"{BASE}releases/{first.id}")
    assert (old, PROV.wasDerivedFrom, URIRef(f"{BASE}id/document/doc-b")) in graph
    answer = requests.get(
        served + "id/observation/obs-members", headers={"Accept": "application/json"}, timeout=10
    )
    error = answer.json()["error"]
    assert (answer.status_code, error["status"], error["title"]) == (410, 410, "Gone")
    assert error["last_release"] == first.id and error["replaced_by"] == f"{OBS}obs-members-2014"
    suffixed = requests.get(served + "doc/observation/obs-events.nt", timeout=10)
    assert suffixed.status_code == 410 and suffixed.headers["Content-Type"].startswith(
        "application/n-triples"
    )
    assert "isReplacedBy" not in suffixed.text and "isReplacedBy" not in suffixed.headers["Link"]


def test_present_and_unknown_uris_still_answer_303_and_404(served: str) -> None:
    present = requests.get(served + "id/observation/obs-members-2014", allow_redirects=False, timeout=10)
    assert present.status_code == 303
    assert requests.get(served + "doc/observation/obs-members-2014", timeout=10).status_code == 200
    assert requests.get(served + "id/observation/never-there", timeout=10).status_code == 404
    assert requests.get(served + "doc/observation/never-there.ttl", timeout=10).status_code == 404


def test_rolling_back_with_activate_brings_the_entity_back(
    served: str, settings: Settings, two_releases: tuple[Release, Release]
) -> None:
    first, _ = two_releases
    assert (
        requests.get(served + "id/observation/obs-events", allow_redirects=False, timeout=10).status_code
        == 410
    )
    rollback = _activate(settings, first.id)
    assert rollback.returncode == 0, rollback.stderr
    until(lambda: requests.get(served + "health", timeout=10).json()["release"]["id"] == first.id)
    assert (
        requests.get(served + "id/observation/obs-events", allow_redirects=False, timeout=10).status_code
        == 303
    )
    assert requests.get(served + "doc/observation/obs-members", timeout=10).status_code == 200
    page = requests.get(served + "releases", headers={"Accept": "text/html"}, timeout=10)
    assert f'<tr class="current" id="r-{first.id}">' in page.text


def _activate(settings: Settings, release_id: str) -> subprocess.CompletedProcess[str]:
    """`clusterlod release --activate ID`, as an operator rolls back."""
    command = ["release", "--releases", str(settings.releases_dir), "--activate", release_id]
    return subprocess.run(
        [sys.executable, "-m", "publisher", *command],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _three_releases(settings: Settings) -> list[Release]:
    releases = [_release(settings)]
    for name in ("Erika Mustermann", "Erika M. Mustermann"):
        previous = "Erika Muster," if name == "Erika Mustermann" else "Erika Mustermann,"
        _edit(settings, "people", previous, f"{name},")
        releases.append(_release(settings))
    return releases


def test_a_build_keeps_the_last_n_releases(settings: Settings) -> None:
    settings = replace(settings, keep_releases=2)
    first, second, third = _three_releases(settings)
    assert [r.id for r in list_releases(settings.releases_dir)] == [second.id, third.id]
    assert not first.folder.exists()
    assert not list(settings.releases_dir.glob(".pruning-*"))
    assert current_release(settings.releases_dir).id == third.id  # type: ignore[union-attr]


def test_pruning_spares_the_current_release_and_newer_ones_after_a_rollback(settings: Settings) -> None:
    first, second, third = _three_releases(settings)
    assert _activate(settings, first.id).returncode == 0
    with release_lock(settings.releases_dir):
        assert prune_releases(settings.releases_dir, keep=1) == []
    assert [r.id for r in list_releases(settings.releases_dir)] == [first.id, second.id, third.id]


def test_a_build_after_a_rollback_keeps_the_release_rolled_back_to(settings: Settings) -> None:
    first, second, third = _three_releases(settings)
    assert _activate(settings, first.id).returncode == 0
    _edit(settings, "people", "Erika M. Mustermann,", "Erika Musterfrau,")
    fourth = _release(replace(settings, keep_releases=2))
    assert [r.id for r in list_releases(settings.releases_dir)] == [first.id, fourth.id]
    assert not second.folder.exists() and not third.folder.exists()
    assert json.loads((fourth.folder / "changes.json").read_text())["previous"] == first.id


def test_a_build_after_a_rollback_records_what_only_the_abandoned_release_had(
    settings: Settings, two_releases: tuple[Release, Release]
) -> None:
    first, second = two_releases
    assert _activate(settings, first.id).returncode == 0
    _edit(settings, "observations", "obs-members-2014,ini-one", "obs-members-again,ini-one")
    (settings.data_dir / "replacements.csv").unlink()
    gone = read_gone(_release(settings).folder / "gone.json")
    assert gone[f"{OBS}obs-members-2014"].last_release == second.id
    assert gone[f"{OBS}obs-members"].last_release == first.id
    assert gone[f"{OBS}obs-events"].last_release == first.id


def test_keep_releases_must_be_at_least_one() -> None:
    from publisher.errors import SettingsError

    with pytest.raises(SettingsError):
        Settings(keep_releases=0)


def test_data_readme_documents_the_replacements_table() -> None:
    text = (PROJECT / "data" / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^### [^\n]*replacements\.csv.*?(?=^### |^## |\Z)", text, re.S | re.M)
    assert section is not None
    documented = set(re.findall(r"^\| `?([a-z_]+)`? \|", section.group(0), re.M))
    assert {c.name for c in REPLACEMENTS.columns} <= documented


@pytest.mark.parametrize(
    ("language", "words", "not_words"),
    [
        (
            "de",
            ["410 Nicht mehr vorhanden", "ist nicht mehr in diesem Datensatz", "Ersetzt durch", "Quelle"],
            ["410 Gone", "no longer", "replaced by", "Last in release", "source:"],
        ),
        (
            "en",
            ["410 Gone", "is no longer in this dataset", "It is replaced by", "Replaced by", "source:"],
            ["Nicht mehr", "nicht mehr", "Ersetzt", "Zuletzt", "Quelle"],
        ),
    ],
)
def test_the_410_page_speaks_one_language_and_names_the_replacement_and_its_source_by_title(
    served: str, language: str, words: list[str], not_words: list[str]
) -> None:
    page = requests.get(
        served + "id/observation/obs-members",
        params={"lang": language},
        headers={"Accept": "text/html"},
        timeout=10,
    )
    assert page.status_code == 410
    body = page.text.split("<main", 1)[-1]
    for word in words:
        assert word in body
    for word in not_words:
        assert word not in body
    assert ">rund 70 Mitglieder</a>" in body  # the replacement by its label, not its IRI
    assert '<a href="/doc/document/doc-b">Synthetic test source B</a>' in body  # the source by its title
    assert "It is replaced by rund 70 Mitglieder." in body or "Ersetzt durch rund 70 Mitglieder." in body
