"""A real Oxigraph server (the `oxigraph` command from PyPI, in the venv's bin folder) for the remote-store
tests: on 127.0.0.1, a free port, a temporary folder, stopped by its process id at the end."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from requests.auth import HTTPDigestAuth

from tests.server import free_port, stop

OXIGRAPH = Path(sys.executable).parent / "oxigraph"


@dataclass(frozen=True)
class SparqlServer:
    """A running SPARQL server: its endpoints, its login, and direct access for tests (not through us)."""

    url: str
    query_path: str
    store_path: str
    user: str = ""
    password: str = ""

    @property
    def query_url(self) -> str:
        return f"{self.url}{self.query_path}"

    @property
    def store_url(self) -> str:
        return f"{self.url}{self.store_path}"

    @property
    def auth(self) -> HTTPDigestAuth | None:
        return HTTPDigestAuth(self.user, self.password) if self.user else None

    def env(self) -> dict[str, str]:
        """The CLUSTERLOD_* settings naming this server, with its login if it needs one."""
        env = {"CLUSTERLOD_REMOTE_QUERY_URL": self.query_url, "CLUSTERLOD_REMOTE_STORE_URL": self.store_url}
        if self.user:
            env |= {
                "CLUSTERLOD_REMOTE_USER": self.user,
                "CLUSTERLOD_REMOTE_PASSWORD": self.password,
                "CLUSTERLOD_REMOTE_AUTH": "digest",
            }
        return env

    def settings(self) -> dict[str, str]:
        """The same settings as keyword arguments of ``Settings``."""
        return {name.removeprefix("CLUSTERLOD_").lower(): value for name, value in self.env().items()}

    def put(self, graph: str, ntriples: bytes) -> int:
        """Replace ``graph`` with ``ntriples``; the HTTP status."""
        answer = requests.put(
            self.store_url,
            params={"graph": graph},
            data=ntriples,
            headers={"Content-Type": "application/n-triples"},
            auth=self.auth,
            timeout=60,
        )
        return answer.status_code

    def delete(self, graph: str) -> int:
        return requests.delete(
            self.store_url, params={"graph": graph}, auth=self.auth, timeout=60
        ).status_code

    def all_graphs(self) -> dict[str, int]:
        """Every named graph on the server with its triple count."""
        query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        answer = requests.get(
            self.query_url,
            params={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        answer.raise_for_status()
        rows = answer.json()["results"]["bindings"]
        return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}

    def graphs(self) -> dict[str, int]:
        """The named graphs tests made (a server's own system graphs left out)."""
        return self.all_graphs()


@dataclass(frozen=True)
class OxigraphServer(SparqlServer):
    query_path: str = "query"
    store_path: str = "store"


@contextmanager
def oxigraph_server(folder: Path, query_timeout: int = 30) -> Iterator[OxigraphServer]:
    """Run `oxigraph serve` on a free port with its data in ``folder``; wait at most 30 s for it.

    ``query_timeout`` is the server's own limit, so a query our side gave up on does not run on.
    """
    port = free_port()
    command = ["serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}", "--timeout-s"]
    process = subprocess.Popen(
        [str(OXIGRAPH), *command, str(query_timeout)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{url}query", params={"query": "ASK {}"}, timeout=2).raise_for_status()
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"oxigraph did not start at {url}") from None
                time.sleep(0.1)
        yield OxigraphServer(url)
    finally:
        stop(process)
