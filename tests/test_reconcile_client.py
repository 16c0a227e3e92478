"""A scripted client reconciles tables as OpenRefine does: one batch POST, then the best candidate per row.

Names come from data/initiatives.csv: exactly as published, and written the way people write them
(tests/fixtures/reconciliation/names.csv: lower case, without accents, words swapped, a typo, legal forms).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import FIXTURES, PROJECT
from tests.reconcile_schemas import errors
from tests.server import running_server

ORGANISATION = "http://localhost:8080/def/cluster#ClusterOrganisation"
NAMES = FIXTURES / "reconciliation" / "names.csv"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("reconcile-client")
    with running_server(root / "releases", PROJECT / "data") as served:
        yield served


def read_table(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as table:
        return list(csv.DictReader(table))


def reconcile_table(
    url: str, rows: list[dict[str, str]], column: str, city: str = ""
) -> list[dict[str, Any]]:
    """Reconcile one column of a table against cluster organisations, in batches of the size the service's
    manifest names (as OpenRefine sends them); the best candidate per row (with the city as a property when
    the table has one)."""
    size = int(requests.get(f"{url}reconcile", timeout=60).json()["batchSize"])
    best: list[dict[str, Any]] = []
    for start in range(0, len(rows), size):
        batch: dict[str, dict[str, Any]] = {}
        for number, row in enumerate(rows[start : start + size]):
            query: dict[str, Any] = {"query": row[column], "type": ORGANISATION, "limit": 3}
            if city and row[city]:
                query["properties"] = [{"pid": "location", "v": row[city]}]
            batch[f"q{number}"] = query
        assert errors("reconciliation-query-batch", batch) == []
        response = requests.post(f"{url}reconcile", data={"queries": json.dumps(batch)}, timeout=60)
        assert response.status_code == 200, response.text
        answer = response.json()
        assert errors("reconciliation-result-batch", answer) == []
        best += [answer[f"q{number}"]["result"][0] for number in range(len(batch))]
    return best


def test_the_published_names_reconcile_to_their_uris_as_matches(url: str) -> None:
    rows = read_table(PROJECT / "data" / "initiatives.csv")
    best = reconcile_table(url, rows, "label_de")
    assert [(b["id"], b["match"]) for b in best] == [(f"initiative/{row['id']}", True) for row in rows]


def test_names_as_people_write_them_reconcile_to_the_right_uris(url: str) -> None:
    rows = read_table(NAMES)
    best = reconcile_table(url, rows, "name", city="city")
    assert [(row["name"], b["id"]) for row, b in zip(rows, best, strict=True)] == [
        (row["name"], row["expected"]) for row in rows
    ]


def test_names_as_people_write_them_are_matches_when_the_city_agrees(url: str) -> None:
    rows = [row for row in read_table(NAMES) if row["city"]]
    best = reconcile_table(url, rows, "name", city="city")
    assert [(row["name"], b["match"]) for row, b in zip(rows, best, strict=True)] == [
        (row["name"], True) for row in rows
    ]


def test_names_without_a_city_still_come_first(url: str) -> None:
    rows = read_table(NAMES)
    best = reconcile_table(url, rows, "name")
    assert [b["id"] for b in best] == [row["expected"] for row in rows]
