"""The bundled data: it builds with zero violations, every row is sourced, and the figures keep both sides."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.build import run_pipeline
from publisher.read import read_sources
from publisher.settings import Settings
from tests.conftest import PROJECT

DATA = PROJECT / "data"


def test_the_bundled_data_builds_with_zero_violations(tmp_path: Path) -> None:
    result = run_pipeline(Settings(data_dir=DATA, releases_dir=tmp_path / "releases"), release=True)
    assert result.release is not None
    assert "sh:conforms true" in (result.release.folder / "validation-report.ttl").read_text()
    assert result.classes["cluster:ClusterInitiative"] >= 10
    assert result.classes["schema:EventSeries"] == 1


def test_every_document_has_its_own_url() -> None:
    urls = [str(r.get("url")) for r in read_sources(DATA).table("documents")]
    assert len(urls) == len(set(urls))


def test_every_document_is_cited() -> None:
    data = read_sources(DATA)
    cited = {
        key for records in data.records.values() for r in records for key in r.refs("source") if key != r.id
    }
    assert {r.id for r in data.table("documents")} <= cited


@pytest.mark.parametrize(("measure", "values"), [("events", {127, 142, 173}), ("federal-states", {15, 16})])
def test_disagreeing_figures_are_both_published(measure: str, values: set[int]) -> None:
    data = read_sources(DATA)
    about_week = [
        r
        for r in data.table("observations")
        if r.get("measure") == measure and r.text("about") == "clusterwoche-2017"
    ]
    assert {r.get("value") for r in about_week} == values
    assert len({r.refs("source") for r in about_week}) == len(values), "each figure cites its own source"


def test_the_press_release_figures_are_there() -> None:
    data = read_sources(DATA)
    figures = {(r.get("measure"), r.get("value")) for r in data.table("observations")}
    assert {
        ("events", 127),
        ("events-from-state", 35),
        ("trade-fair-actions", 31),
        ("trade-fair-actions-from-state", 6),
    } <= figures
