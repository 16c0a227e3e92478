"""A query that needs more memory than its cap is stopped with a 503, and the server goes on (issue 12)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
import requests

from tests.conftest import MINIMAL
from tests.server import running_server

# Sorting the cross product of all triples with themselves: memory grows with the square of the data.
HUNGRY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i LIMIT 1"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("memory")
    shutil.copytree(MINIMAL, root / "data")
    env = {
        "CLUSTERLOD_QUERY_MEMORY_MB": "200",
        "CLUSTERLOD_QUERY_TIMEOUT": "60",
        "CLUSTERLOD_QUERY_WORKERS": "1",
    }
    with running_server(root / "releases", root / "data", env) as url:
        yield url + "sparql"


def _ask(endpoint: str, query: str, accept: str = "application/json") -> requests.Response:
    return requests.get(endpoint, params={"query": query}, headers={"Accept": accept}, timeout=120)


def test_a_memory_hungry_query_is_stopped_at_its_cap(endpoint: str) -> None:
    response = _ask(endpoint, HUNGRY)
    assert response.status_code == 503
    message = response.json()["error"]["message"]
    assert "more memory than the 200 MiB a query may use" in message
    after = _ask(endpoint, "ASK { ?s ?p ?o }")
    assert after.status_code == 200
    assert after.json()["boolean"] is True, "a new worker took the stopped one's place"


def test_the_query_page_says_the_same_with_the_same_status(endpoint: str) -> None:
    page = _ask(endpoint, HUNGRY, accept="text/html")
    assert page.status_code == 503
    assert "more memory than the 200 MiB" in page.text
