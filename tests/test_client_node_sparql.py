"""The SPARQL protocol clients of JavaScript applications against the real endpoint: fetch-sparql-endpoint
(Comunica's HTTP layer) and sparql-http-client (Zazuko's, under rdf-ext), each with every way it can send a
query, running a SELECT, an ASK and a CONSTRUCT from a small node script (tests/clients/<name>/).

Expected values come from the bundled data's tables, as in tests/test_sparql_clients.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.clients import CLIENTS, node, rdf_term
from tests.conftest import PROJECT
from tests.server import running_server
from tests.test_sparql_clients import (
    ASK_FALSE,
    ASK_TRUE,
    CONSTRUCT_INITIATIVES,
    EXPECTED_ROWS,
    SELECT_INITIATIVES,
    _expected_construct,
)

# (folder, script, how the client sends a query: the option's value in the client's own words)
CLIENT_OPERATIONS = [
    ("fetch-sparql-endpoint", "query.js", "GET"),
    ("fetch-sparql-endpoint", "query.js", "POST"),  # its default
    ("sparql-http-client", "query.mjs", "get"),  # its default
    ("sparql-http-client", "query.mjs", "postUrlencoded"),
    ("sparql-http-client", "query.mjs", "postDirect"),
]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    releases = tmp_path_factory.mktemp("node-sparql-clients") / "releases"
    with running_server(releases, PROJECT / "data") as url:
        yield url + "sparql"


def ask(endpoint: str, client: str, script: str, operation: str, kind: str, query: str) -> Any:
    return json.loads(node(script, CLIENTS / client, endpoint, kind, operation, stdin=query))


@pytest.mark.parametrize(("client", "script", "operation"), CLIENT_OPERATIONS)
def test_select_keeps_language_tags_datatypes_and_unbound_variables(
    endpoint: str, client: str, script: str, operation: str
) -> None:
    rows = ask(endpoint, client, script, operation, "select", SELECT_INITIATIVES)
    read = [
        (
            str(rdf_term(row["initiative"])),
            row["label"]["value"],
            rdf_term(row["founded"]) if "founded" in row else None,
        )
        for row in rows
    ]
    assert read == EXPECTED_ROWS
    assert {row["label"]["language"] for row in rows} == {"de"}


@pytest.mark.parametrize(("client", "script", "operation"), CLIENT_OPERATIONS)
def test_ask(endpoint: str, client: str, script: str, operation: str) -> None:
    assert ask(endpoint, client, script, operation, "ask", ASK_TRUE) is True
    assert ask(endpoint, client, script, operation, "ask", ASK_FALSE) is False


@pytest.mark.parametrize(("client", "script", "operation"), CLIENT_OPERATIONS)
def test_construct(endpoint: str, client: str, script: str, operation: str) -> None:
    triples = ask(endpoint, client, script, operation, "construct", CONSTRUCT_INITIATIVES)
    read = {(rdf_term(s), rdf_term(p), rdf_term(o)) for s, p, o in triples}
    assert len(read) == len(triples)
    assert read == _expected_construct()
