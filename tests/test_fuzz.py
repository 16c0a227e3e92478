"""Fuzzing the real server: hostile paths, parameters, headers, SPARQL queries and reconciliation bodies
(tests/fuzz.py) never give a 5xx other than a 503 with a message, and every answer is well-formed.

One server with the minimal data for the module, without rate limits (one client sends every probe) and with
a short query time limit (a mutated query may be a cartesian product). Deterministic for CI: derandomized,
no example database. bench/fuzz.py runs the same strategies for 10,000 requests.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
import requests
from hypothesis import HealthCheck, given, settings

from tests.conftest import MINIMAL
from tests.fuzz import FAMILIES, SPOOFED_HOST, Probe, problems, send
from tests.server import running_server

FUZZ_SERVER = {
    "CLUSTERLOD_READ_RATE_LIMIT": "",
    "CLUSTERLOD_QUERY_RATE_LIMIT": "",
    "CLUSTERLOD_CLIENT_QUERIES": "0",
    "CLUSTERLOD_QUERY_TIMEOUT": "2",
}
EXAMPLES = {"paths": 120, "parameters": 100, "headers": 80, "sparql": 100, "reconcile": 80}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, requests.Session]]:
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(MINIMAL, root / "data")
    with running_server(root / "releases", root / "data", FUZZ_SERVER) as url, requests.Session() as session:
        yield url, session


@pytest.mark.parametrize("family", list(FAMILIES))
def test_no_probe_gets_a_server_error_or_a_malformed_answer(
    server: tuple[str, requests.Session], family: str
) -> None:
    url, session = server
    seen: list[int] = []

    @settings(
        max_examples=EXAMPLES[family],
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(probe=FAMILIES[family])
    def probe_once(probe: Probe) -> None:
        response = send(session, url, probe)
        seen.append(response.status_code)
        assert problems(probe, response) == [], probe

    probe_once()
    assert len(seen) >= EXAMPLES[family]  # every example reached the server


def test_the_checks_find_what_they_should(server: tuple[str, requests.Session]) -> None:
    """problems() is no rubber stamp: a 500, a redirect to another site, a spoofed Host written back."""
    url, session = server
    probe = Probe("paths", "GET", "doc/initiative/ini-one")
    answer = send(session, url, probe)
    assert problems(probe, answer) == []
    answer.status_code = 500
    assert problems(probe, answer) == [f"500: {answer.content[:300]!r}"]
    answer.status_code, answer.headers["Location"] = 308, "//evil.example/x"
    assert problems(probe, answer) == ["Location names another site: //evil.example/x"]
    spoofed = Probe(
        "headers", "GET", "search", [("q", "Test")], {"Host": SPOOFED_HOST, "Accept": "application/json"}
    )
    answer = send(session, url, spoofed)
    assert answer.status_code == 200
    assert problems(spoofed, answer) == []
    answer._content = answer.content.replace(b"http://localhost:8080/", f"http://{SPOOFED_HOST}/".encode())
    assert problems(spoofed, answer) == ["the spoofed Host is written into the answer"]
