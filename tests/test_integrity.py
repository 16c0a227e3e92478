"""Damaged releases are refused: a process checks a release against its manifest before serving it.

Each test damages a copy of two real releases of the minimal dataset (an earlier and the current one) the way
a disk, a half-finished copy or an operator does, then meets the real server and the real CLI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from publisher.build import run_pipeline
from publisher.releases import CURRENT, current_release
from publisher.settings import Settings
from tests.conftest import MINIMAL
from tests.server import running_server, until

TIMEOUT = 30
CLI = [sys.executable, "-m", "publisher"]


@dataclass(frozen=True)
class Site:
    """A releases folder holding two good releases; ``current`` is the newer one."""

    releases: Path
    earlier: str
    current: str

    def folder(self, release_id: str) -> Path:
        return self.releases / release_id

    def point_current_to(self, release_id: str) -> None:
        """Switch ``current`` the way a build does (a new link renamed over the old one)."""
        link = self.releases / ".current-test"
        link.symlink_to(release_id)
        os.replace(link, self.releases / CURRENT)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("built")
    shutil.copytree(MINIMAL, root / "data")
    settings = Settings(data_dir=root / "data", releases_dir=root / "releases")
    earlier = run_pipeline(settings, release=True).release
    current = run_pipeline(settings, release=True).release
    assert earlier is not None and current is not None
    return Site(settings.releases_dir, earlier.id, current.id)


@pytest.fixture
def site(built: Site, tmp_path: Path) -> Site:
    """A fresh copy of the two releases, to damage."""
    releases = tmp_path / "releases"
    shutil.copytree(built.releases, releases, symlinks=True)
    return Site(releases, built.earlier, built.current)


def serving(releases: Path, log: Path) -> AbstractContextManager[str]:
    """`clusterlod serve` on a free port, its log (stderr) written to ``log``."""
    return running_server(releases, log=log)


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERLOD_")}
    return subprocess.run(
        [*CLI, *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=120, check=False
    )


def get(url: str, **headers: str) -> requests.Response:
    return requests.get(url, headers={"Accept": "text/plain", **headers}, timeout=TIMEOUT)


def truncate(path: Path, size: int = 100) -> None:
    with path.open("r+b") as handle:
        handle.truncate(size)


def biggest_table(store: Path) -> Path:
    return max(store.glob("*.sst"), key=lambda p: p.stat().st_size)


def flip_a_byte(path: Path) -> None:
    """Damage a file without changing its size: only its SHA-256 tells."""
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


# (name, how to damage the current release, what the 503, the log and the listing must name)
Damage = Callable[[Site], None]
DAMAGES: list[tuple[str, Damage, str]] = [
    (
        "truncated dump",
        lambda s: truncate(s.folder(s.current) / "dumps/data.ttl"),
        "dumps/data.ttl is 100 bytes",
    ),
    (
        "truncated store file",
        lambda s: truncate(biggest_table(s.folder(s.current) / "store")),
        "store/0000",
    ),
    (
        "deleted store file",
        lambda s: biggest_table(s.folder(s.current) / "store").unlink(),
        "is missing",
    ),
    ("deleted release folder", lambda s: shutil.rmtree(s.folder(s.current)), "its folder does not exist"),
    (
        "unreadable manifest",
        lambda s: (s.folder(s.current) / "manifest.json").write_text("{"),
        "manifest.json cannot be read",
    ),
]


@pytest.mark.parametrize(("damage", "named"), [(d, n) for _, d, n in DAMAGES], ids=[i for i, _, _ in DAMAGES])
def test_a_fresh_process_refuses_a_damaged_current_release_with_503_naming_the_problem(
    site: Site, tmp_path: Path, damage: Damage, named: str
) -> None:
    damage(site)
    log = tmp_path / "server.log"
    with serving(site.releases, log) as url:
        for path in ("", "doc/initiative/", "dumps/latest/data.ttl", "sparql?query=ASK%7B%7D"):
            answer = get(url + path)
            assert answer.status_code == 503, path
            assert f"The current release {site.current} is damaged" in answer.text, path
            assert named in answer.text, path
            assert "No release has been built yet" not in answer.text
    text = log.read_text()
    assert f"Warning: the current release {site.current} cannot be used: " in text  # at the start
    lines = [line for line in text.splitlines() if f"refusing release {site.current}" in line]
    assert len(lines) == 1  # one line naming the file and the problem, not one per request
    assert named in lines[0]


@pytest.mark.parametrize(("damage", "named"), [(d, n) for _, d, n in DAMAGES], ids=[i for i, _, _ in DAMAGES])
def test_the_release_listing_names_what_is_wrong_with_each_release_and_exits_1(
    site: Site, damage: Damage, named: str
) -> None:
    damage(site)
    listed = cli("release", "--releases", str(site.releases), cwd=site.releases.parent)
    assert listed.returncode == 1, listed.stderr
    assert "Traceback" not in listed.stderr
    lines = listed.stdout.splitlines()
    current = next(i for i, line in enumerate(lines) if line.startswith(f"* {site.current}"))
    assert named in lines[current + 1]
    assert any(line.startswith(f"  {site.earlier}") and "DAMAGED" not in line for line in lines)


def test_a_process_keeps_serving_its_last_good_release_while_the_current_one_is_damaged(
    site: Site, tmp_path: Path
) -> None:
    site.point_current_to(site.earlier)
    table = biggest_table(site.folder(site.current) / "store")
    kept = shutil.copy2(table, tmp_path / "table.sst")
    log = tmp_path / "server.log"
    with serving(site.releases, log) as url:
        assert get(url).status_code == 200  # the process takes the earlier release
        truncate(table)
        site.point_current_to(site.current)  # a damaged release becomes current under a running server
        # a thread of the server checks it while the earlier release is served on: soon it is refused
        until(lambda: "X-Release-Fallback" in get(url).headers)
        for path in ("", "doc/initiative/", "dumps/latest/data.ttl"):
            answer = get(url + path)
            assert answer.status_code == 200, path
            assert answer.headers["X-Release-Fallback"] == f"{site.earlier}; current={site.current}"
        health = get(f"{url}health").json()
        assert (health["status"], health["release"]["id"]) == ("degraded", site.earlier)
        assert health["current"]["id"] == site.current
        text = log.read_text()
        assert f"refusing release {site.current}" in text and f"store/{table.name} is 100 bytes" in text
        assert f"serving release {site.earlier}, the last good one, meanwhile" in text

        shutil.copy2(kept, table)  # repaired: checked again and taken, no restart
        until(lambda: "X-Release-Fallback" not in get(url).headers)
        assert get(url).status_code == 200
        assert get(f"{url}health").json()["release"]["id"] == site.current


def test_damage_after_a_process_took_a_release_shows_in_health_and_is_refused_from_then_on(
    site: Site, tmp_path: Path
) -> None:
    with serving(site.releases, tmp_path / "server.log") as url:
        assert get(url).status_code == 200
        assert get(f"{url}health").json()["status"] == "ok"
        biggest_table(site.folder(site.current) / "store").unlink()
        health = get(f"{url}health")
        assert health.status_code == 503
        assert health.json()["status"] == "failing"
        assert any("is missing" in p for p in health.json()["current"]["problems"])
        answer = get(f"{url}doc/initiative/")
        assert answer.status_code == 503
        assert "is missing" in answer.text


def test_a_release_dump_is_never_served_damaged_nor_cached_as_immutable(site: Site, tmp_path: Path) -> None:
    truncate(site.folder(site.earlier) / "dumps/data.ttl")
    with serving(site.releases, tmp_path / "server.log") as url:
        damaged = get(f"{url}dumps/{site.earlier}/data.ttl")
        assert damaged.status_code == 503
        assert "dumps/data.ttl is 100 bytes" in damaged.text
        assert "immutable" not in damaged.headers.get("Cache-Control", "")
        assert damaged.headers.get("ETag") is None
        whole = get(f"{url}dumps/{site.current}/data.ttl")
        assert whole.status_code == 200
        assert "immutable" in whole.headers["Cache-Control"]
        assert get(f"{url}dumps/{site.earlier}/data.nt.gz").status_code == 200  # its other dumps are whole
    assert "not serving dumps/data.ttl of release" in (tmp_path / "server.log").read_text()


def test_a_dump_damaged_after_the_release_was_taken_is_not_served(site: Site, tmp_path: Path) -> None:
    with serving(site.releases, tmp_path / "server.log") as url:
        assert get(f"{url}dumps/latest/data.ttl").status_code == 200
        truncate(site.folder(site.current) / "dumps/data.ttl")
        for path in ("dumps/latest/data.ttl", f"dumps/{site.current}/data.ttl"):
            answer = get(url + path)
            assert answer.status_code == 503, path
            assert "dumps/data.ttl is 100 bytes" in answer.text


def test_activating_a_damaged_release_is_refused_by_its_digests_and_current_stays(site: Site) -> None:
    flip_a_byte(site.folder(site.earlier) / "entities.tsv")  # same size: only the SHA-256 tells
    listed = cli("release", "--releases", str(site.releases), cwd=site.releases.parent)
    assert listed.returncode == 0  # the cheap listing checks sizes only
    verified = cli("release", "--verify", "--releases", str(site.releases), cwd=site.releases.parent)
    assert verified.returncode == 1
    assert "entities.tsv has another SHA-256 than the manifest records" in verified.stdout
    activated = cli(
        "release", "--releases", str(site.releases), "--activate", site.earlier, cwd=site.releases
    )
    assert activated.returncode == 2
    assert activated.stderr.strip() == (
        f"Error: release {site.earlier} cannot be used: "
        "entities.tsv has another SHA-256 than the manifest records"
    )
    current = current_release(site.releases)
    assert current is not None and current.id == site.current


def test_a_release_written_by_an_older_version_is_checked_for_what_its_manifest_records(
    site: Site, tmp_path: Path
) -> None:
    manifest_path = site.folder(site.current) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["files"]["catalog.ttl"]  # older versions wrote no catalog copies
    manifest_path.write_text(json.dumps(manifest))
    (site.folder(site.current) / "catalog.ttl").unlink()
    (site.releases / "lost+found").mkdir()  # a releases folder on its own file system: not a release
    listed = cli("release", "--verify", "--releases", str(site.releases), cwd=site.releases.parent)
    assert listed.returncode == 0, listed.stdout
    assert "lost+found" not in listed.stdout
    with serving(site.releases, tmp_path / "server.log") as url:
        assert get(f"{url}health").json()["status"] == "ok"


def test_a_build_replaces_a_release_with_a_damaged_store(site: Site, tmp_path: Path) -> None:
    truncate(biggest_table(site.folder(site.current) / "store"))
    shutil.copytree(MINIMAL, tmp_path / "data")
    done = cli("build", "--data", str(tmp_path / "data"), "--releases", str(site.releases), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    current = current_release(site.releases)
    assert current is not None and current.id not in (site.current, site.earlier)


def test_a_build_refuses_to_carry_on_a_history_it_cannot_read(site: Site, tmp_path: Path) -> None:
    shutil.rmtree(site.folder(site.current))
    shutil.copytree(MINIMAL, tmp_path / "data")
    done = cli("build", "--data", str(tmp_path / "data"), "--releases", str(site.releases), cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert (
        f"Error: the current release {site.current} cannot be used: its folder does not exist" in done.stderr
    )
    assert "clusterlod release --activate ID" in done.stderr


def test_the_history_leaves_out_a_release_whose_manifest_cannot_be_read(site: Site, tmp_path: Path) -> None:
    (site.folder(site.earlier) / "manifest.json").write_text("{ not json", encoding="utf-8")
    with serving(site.releases, tmp_path / "serve.log") as url:
        history = requests.get(f"{url}releases", headers={"Accept": "text/html"}, timeout=TIMEOUT)
    assert history.status_code == 200
    assert site.current in history.text
    assert site.earlier not in history.text
    assert f"release {site.earlier} left out of the history" in (tmp_path / "serve.log").read_text()
