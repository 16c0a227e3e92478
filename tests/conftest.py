"""Shared fixtures: a copy of the minimal synthetic dataset, settings pointing at temporary folders."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from publisher.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "minimal"
PROJECT = Path(__file__).resolve().parent.parent
BASE = "http://localhost:8080/"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/minimal, a small synthetic dataset that is valid."""
    target = tmp_path / "data"
    shutil.copytree(MINIMAL, target)
    return target


@pytest.fixture
def settings(tmp_path: Path, data_dir: Path) -> Settings:
    return Settings(base=BASE, data_dir=data_dir, releases_dir=tmp_path / "releases")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium for one test module (tests/browser.py)."""
    from tests.browser import chromium

    with chromium() as opened:
        yield opened
