"""reconciler (PyPI), which reconciles a pandas column as OpenRefine does, against our reconciliation service:
its ``reconciliation_endpoint`` option in place of its default, Wikidata's service. It runs in a venv of its
own (tests/clients/reconciler, script reconcile.py) and reads the tables the tests give it.

Names come from data/initiatives.csv and tests/fixtures/reconciliation/names.csv (as people write them), as
in tests/test_reconcile_client.py.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.clients import CLIENTS, python
from tests.conftest import FIXTURES, PROJECT
from tests.server import running_server

ORGANISATION = "http://localhost:8080/def/cluster#ClusterOrganisation"
INITIATIVES = PROJECT / "data" / "initiatives.csv"
NAMES = FIXTURES / "reconciliation" / "names.csv"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    releases = tmp_path_factory.mktemp("reconciler") / "releases"
    with running_server(releases, PROJECT / "data") as url:
        yield url + "reconcile"


def reconcile(
    endpoint: str, table: Path, column: str, top: str = "1", *properties: str
) -> list[dict[str, Any]]:
    """reconciler's DataFrame for one column of a table, as records in its order."""
    arguments = [endpoint, str(table), column, ORGANISATION, top, *properties]
    found: list[dict[str, Any]] = json.loads(python("reconcile.py", CLIENTS / "reconciler", *arguments))
    return found


def read_table(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as table:
        return list(csv.DictReader(table))


def test_the_published_names_reconcile_to_their_uris_as_matches(endpoint: str) -> None:
    rows = read_table(INITIATIVES)
    assert len({row["label_de"] for row in rows}) == len(rows)  # reconciler asks once per distinct name
    found = reconcile(endpoint, INITIATIVES, "label_de")
    assert [(f["input_value"], f["id"], f["match"]) for f in found] == [
        (row["label_de"], f"initiative/{row['id']}", True) for row in rows
    ]
    assert all(f["type_id"].startswith("http://localhost:8080/def/cluster#") for f in found)


def test_names_as_people_write_them_reconcile_with_their_city(endpoint: str) -> None:
    """reconciler sends the property for every row, an empty value where the table has no city."""
    rows = read_table(NAMES)
    found = reconcile(endpoint, NAMES, "name", "1", "location=city")
    assert [(f["input_value"], f["id"]) for f in found] == [(row["name"], row["expected"]) for row in rows]
    with_city = {row["name"] for row in rows if row["city"]}
    assert all(f["match"] for f in found if f["input_value"] in with_city)


def test_every_candidate_comes_best_first(endpoint: str) -> None:
    rows = read_table(NAMES)
    found = reconcile(endpoint, NAMES, "name", "all")
    for row in rows:
        candidates = [f for f in found if f["input_value"] == row["name"]]
        assert len(candidates) > 1, row["name"]
        assert candidates[0]["id"] == row["expected"]
        scores = [f["score"] for f in candidates]
        assert scores == sorted(scores, reverse=True)
        assert len({f["id"] for f in candidates}) == len(candidates)


def test_a_name_without_any_candidate_is_a_row_without_an_id(endpoint: str, tmp_path: Path) -> None:
    table = tmp_path / "names.csv"
    table.write_text("name\nzzqqxxjj\nmicroTEC Südwest\n", encoding="utf-8")
    found = reconcile(endpoint, table, "name")
    assert [(f["input_value"], f["id"], f["match"]) for f in found] == [
        ("zzqqxxjj", None, False),
        ("microTEC Südwest", "initiative/microtec-suedwest", True),
    ]
