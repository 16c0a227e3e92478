"""A release is served under the base it was built with: `clusterlod build --base B` then `clusterlod serve`
answers under B; a base set to another one stops the server at its start (exit 2, both bases named); a
release of another base made current under a running server (a rollback) is refused like a damaged one, with
/health saying why, and served after a restart."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from publisher.releases import CURRENT, current_id
from publisher.web.served_base import BaseMismatchError
from publisher.web.wsgi import create_app_from_environment
from tests.conftest import MINIMAL
from tests.server import free_port, stop, until, wait_until_up

CLI = [sys.executable, "-m", "publisher"]
OTHER_BASE = "http://localhost:8080/"  # the default base
TIMEOUT = 30


@dataclass(frozen=True)
class Site:
    """Two releases of the minimal dataset: ``own`` built with ``base`` (http://127.0.0.1:PORT/, current),
    ``other`` built with the default base."""

    releases: Path
    port: int
    own: str
    other: str

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def point_current_to(self, release_id: str) -> None:
        """Switch ``current`` the way a build does (a new link renamed over the old one)."""
        link = self.releases / ".current-test"
        link.symlink_to(release_id)
        os.replace(link, self.releases / CURRENT)


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERLOD_")} | (env or {})
    return subprocess.run(
        [*CLI, *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("bases")
    shutil.copytree(MINIMAL, root / "data")
    releases = root / "releases"
    port = free_port()
    for base in (OTHER_BASE, f"http://127.0.0.1:{port}/"):
        done = cli("build", "--data", "data", "--releases", "releases", "--base", base, cwd=root)
        assert done.returncode == 0, done.stderr
        if base == OTHER_BASE:
            other = current_id(releases)
    own = current_id(releases)
    assert own is not None and other is not None and own != other
    return Site(releases, port, own, other)


@pytest.fixture
def site(built: Site, tmp_path: Path) -> Site:
    """A fresh copy of the releases, ``own`` current."""
    releases = tmp_path / "releases"
    shutil.copytree(built.releases, releases, symlinks=True)
    return Site(releases, built.port, built.own, built.other)


@contextmanager
def serving(site: Site, log: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """`clusterlod serve --port PORT` with no base set (unless ``env`` sets one), its stderr in ``log``."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERLOD_")}
    environment |= {"CLUSTERLOD_RELEASES_DIR": str(site.releases)} | (env or {})
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*CLI, "serve", "--port", str(site.port)],
            cwd=site.releases.parent,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )
        try:
            wait_until_up(site.base, process)
            yield site.base
        finally:
            stop(process)


def get(url: str, **headers: str) -> requests.Response:
    return requests.get(url, headers=headers, timeout=TIMEOUT, allow_redirects=False)


def test_serve_with_no_base_set_answers_under_the_base_the_release_was_built_with(
    site: Site, tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    with serving(site, log) as url:
        thing = get(f"{url}id/initiative/ini-one", Accept="text/html")
        assert thing.status_code == 303
        assert thing.headers["Location"].startswith("/doc/initiative/ini-one")  # relative, by design
        assert get(f"{url}doc/initiative/ini-one").status_code == 200
        listed = get(f"{url}doc/initiative/", Accept="text/html")
        assert listed.status_code == 200
        assert "Testcluster" in listed.text and "Keine Einträge" not in listed.text
        assert (
            f'"{url}id/initiative/ini-one"'
            in get(f"{url}search?q=Testcluster", Accept="application/json").text
        )
    text = log.read_text()
    assert "No base set: serving the current release under the base it was built with" in text
    assert f"(base {site.base})" in text


@pytest.mark.parametrize("where", ["CLUSTERLOD_BASE", "settings file"])
def test_serve_with_another_base_set_exits_2_naming_both_bases(site: Site, where: str) -> None:
    root = site.releases.parent
    env = {"CLUSTERLOD_RELEASES_DIR": str(site.releases)}
    if where == "CLUSTERLOD_BASE":
        env["CLUSTERLOD_BASE"] = OTHER_BASE
        named = "(CLUSTERLOD_BASE)"
    else:
        (root / "site.toml").write_text(f'base = "{OTHER_BASE}"\n')
        env["CLUSTERLOD_CONFIG"] = str(root / "site.toml")
        named = f"({root / 'site.toml'})"
    done = cli("serve", "--port", str(site.port), cwd=root, env=env)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"Error: the current release {site.own} was built with base {site.base}, but base is set to "
        f"{OTHER_BASE} {named}; served under it, every id/ and doc/ URL would answer 404. Rebuild with that "
        f"base (clusterlod build --base {OTHER_BASE}), or drop the setting to serve the release under "
        f"{site.base}"
    ]


def test_serve_with_the_release_s_own_base_set_serves_it(site: Site, tmp_path: Path) -> None:
    with serving(site, tmp_path / "server.log", {"CLUSTERLOD_BASE": site.base}) as url:
        assert get(f"{url}doc/initiative/ini-one").status_code == 200


def test_the_wsgi_entry_point_takes_the_release_s_base_or_refuses_another(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site.releases.parent)  # no clusterlod.toml there
    for name in [name for name in os.environ if name.startswith("CLUSTERLOD_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("CLUSTERLOD_RELEASES_DIR", str(site.releases))
    assert create_app_from_environment().config["SETTINGS"].base == site.base
    monkeypatch.setenv("CLUSTERLOD_BASE", OTHER_BASE)
    with pytest.raises(
        BaseMismatchError, match=f"built with base {site.base}, but base is set to {OTHER_BASE}"
    ):
        create_app_from_environment()


def test_a_release_of_another_base_made_current_under_a_running_server_is_refused(
    site: Site, tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    with serving(site, log) as url:
        assert get(f"{url}doc/initiative/ini-one").status_code == 200
        site.point_current_to(site.other)
        until(lambda: "X-Release-Fallback" in get(url).headers)
        answer = get(f"{url}doc/initiative/ini-one")
        assert answer.status_code == 200  # the release it served before, under its own base
        assert answer.headers["X-Release-Fallback"] == f"{site.own}; current={site.other}"
        text = log.read_text()
    refused = [line for line in text.splitlines() if f"refusing release {site.other}" in line]
    assert len(refused) == 1
    assert (
        f"manifest.json records base {OTHER_BASE}, but this server answers under base {site.base}"
        in (refused[0])
    )


def test_a_rollback_to_a_release_of_another_base_is_refused_clearly_and_served_after_a_restart(
    site: Site, tmp_path: Path
) -> None:
    """`clusterlod release --activate` of a release built for another base: the running server keeps serving
    the release it served and says why on /health; the command says a restart is needed; restarted with no
    base set, the server answers under the other release's base."""
    with serving(site, tmp_path / "before.log") as url:
        assert get(f"{url}health").json()["status"] == "ok"
        done = cli(
            "release", "--releases", str(site.releases), "--activate", site.other, cwd=site.releases.parent
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout == f"Release {site.other} is now current\n"
        assert done.stderr == (
            f"Warning: release {site.other} was built with base {OTHER_BASE}, the release current before it "
            f"with base {site.base}. A server answering under {site.base} keeps serving its release and "
            f"reports 'degraded' on /health until it is restarted; restarted with no base set, it serves "
            f"{site.other} under {OTHER_BASE} (gunicorn: kill -HUP the master process)\n"
        )
        until(lambda: get(f"{url}health").json()["status"] == "degraded")
        health = get(f"{url}health")
        assert health.status_code == 200
        body = health.json()
        assert body["release"]["id"] == site.own
        assert body["current"] == {
            "id": site.other,
            "problems": [
                f"manifest.json records base {OTHER_BASE}, but this server answers under base {site.base}: "
                f"rebuild with base {site.base}, or restart the server with no base set to serve the release "
                "under its own"
            ],
        }
        assert get(f"{url}doc/initiative/ini-one").status_code == 200  # still the release it served
    with serving(site, tmp_path / "after.log") as url:
        health = get(f"{url}health").json()
        assert (health["status"], health["release"]["id"]) == ("ok", site.other)
        thing = get(f"{url}id/initiative/ini-one", Accept="text/turtle")
        assert thing.status_code == 303
        turtle = get(f"{url}{thing.headers['Location'].lstrip('/')}")
        assert f"<{OTHER_BASE}id/initiative/ini-one>" in turtle.text
    assert f"(base {OTHER_BASE})" in (tmp_path / "after.log").read_text()
