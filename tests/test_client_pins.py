"""Every client in tests/clients is pinned: an npm client by its lockfile, a Python client by a requirements
file that names every package of its venv at one version, so that CI runs the clients these tests were
written against."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.clients import CLIENTS, installed

NPM_CLIENTS = sorted(path.parent.name for path in CLIENTS.glob("*/package.json"))
PYTHON_CLIENTS = sorted(path.parent.name for path in CLIENTS.glob("*/requirements.txt"))


def test_the_clients_are_found() -> None:
    assert NPM_CLIENTS == ["fetch-sparql-endpoint", "jsonld", "ldes", "sparql-http-client", "yasgui"]
    assert PYTHON_CLIENTS == ["ckan", "reconciler"]


@pytest.mark.parametrize("client", NPM_CLIENTS)
def test_an_npm_client_is_one_exact_version_in_its_lockfile(client: str) -> None:
    package = json.loads((CLIENTS / client / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((CLIENTS / client / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"][""]["dependencies"] == package["dependencies"]
    for name, version in package["dependencies"].items():
        assert version[0].isdigit(), f"{name}@{version} is a range"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def requirements(path: Path) -> set[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {line.lower() for line in lines if line and not line.startswith("#")}


@pytest.mark.parametrize("client", PYTHON_CLIENTS)
def test_a_python_client_venv_holds_what_its_requirements_pin(client: str) -> None:
    pinned = requirements(CLIENTS / client / "requirements.txt")
    assert all("==" in line for line in pinned), pinned
    pip = installed(CLIENTS / client / ".venv" / "bin" / "pip")
    frozen = subprocess.run(
        [str(pip), "freeze", "--disable-pip-version-check"], capture_output=True, text=True, check=True
    ).stdout
    assert {line.lower() for line in frozen.splitlines()} == pinned
