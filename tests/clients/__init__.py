"""Third-party clients, each installed by `make test` in a folder of its own here, and how tests run them.

npm clients have their own package.json and lockfile (``<name>/node_modules``); Python clients whose
dependencies would clash with ours have their own venv (``<name>/.venv``, from ``<name>/requirements.txt``).
A test runs a client's small script as a subprocess against the real server the test started.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Literal, URIRef

from tests.conftest import PROJECT

CLIENTS = Path(__file__).resolve().parent
# Node.js fetched from the npm registry by scripts/install-test-tools.sh when the machine's is too old.
FETCHED_NODE = PROJECT / ".tools" / "node" / "bin"


def installed(path: Path) -> Path:
    """``path`` inside a client's folder, or a failed test saying that `make test` installs it."""
    if not path.exists():
        pytest.fail(f"{path.relative_to(PROJECT)} is missing: `make test` installs the clients (Makefile)")
    return path


def node_environment() -> dict[str, str]:
    """The environment with the Node.js the Makefile uses first on PATH."""
    environment = dict(os.environ)
    if FETCHED_NODE.is_dir():
        environment["PATH"] = f"{FETCHED_NODE}{os.pathsep}{environment['PATH']}"
    if shutil.which("node", path=environment["PATH"]) is None:
        pytest.fail("Node.js is missing: `make test` installs it (scripts/install-test-tools.sh)")
    return environment


def run(command: list[str], folder: Path, stdin: str = "", environment: dict[str, str] | None = None) -> str:
    """Run a client's script in its folder; its standard output, or a failed test showing its errors."""
    done = subprocess.run(
        command,
        cwd=folder,
        input=stdin,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stderr}"
    return done.stdout


def node(script: str, folder: Path, *arguments: str, stdin: str = "") -> str:
    """Run ``node script arguments`` in an npm client's folder (its node_modules installed by make)."""
    installed(folder / "node_modules" / ".package-lock.json")
    return run(["node", script, *arguments], folder, stdin, node_environment())


def python(script: str, folder: Path, *arguments: str) -> str:
    """Run ``script`` with the Python of a client's own venv (``folder/.venv``, installed by make)."""
    interpreter = installed(folder / ".venv" / "bin" / "python")
    return run([str(interpreter), script, *arguments], folder)


def rdf_term(term: dict[str, Any]) -> URIRef | BNode | Literal:
    """An rdflib term from an RDF/JS term as the npm clients' scripts print it."""
    if term["termType"] == "NamedNode":
        return URIRef(term["value"])
    if term["termType"] == "BlankNode":
        return BNode(term["value"])
    if term["language"]:
        return Literal(term["value"], lang=term["language"])
    return Literal(term["value"], datatype=URIRef(term["datatype"]))
