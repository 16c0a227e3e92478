"""The docs stay true: README's settings table and commands, data/README's description of every column."""

from __future__ import annotations

import re

import pytest

from publisher.cli import main
from publisher.settings import settings_markdown
from publisher.tables import TABLES, Table
from tests.conftest import PROJECT

README = (PROJECT / "README.md").read_text(encoding="utf-8")
DATA_README = (PROJECT / "data" / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    opening = README[:600]
    assert "make serve" in opening and "make test" in opening


def test_readme_settings_table_is_generated_from_the_settings() -> None:
    assert settings_markdown() in README


@pytest.mark.parametrize("command", sorted(main.commands))
def test_readme_documents_every_command(command: str) -> None:
    assert re.search(rf"^\s+{command}\s", README, re.MULTILINE), (
        f"`{command}` missing from README's CLI reference"
    )


def _section(table: Table) -> str:
    match = re.search(rf"^###[^\n]*\b{table.file_name}\b.*?(?=^### |^## |\Z)", DATA_README, re.S | re.M)
    assert match, f"data/README.md has no section for {table.file_name}"
    return match.group(0)


@pytest.mark.parametrize("table", TABLES, ids=[t.name for t in TABLES])
def test_data_readme_documents_every_column(table: Table) -> None:
    section = _section(table)
    documented = set(re.findall(r"^\| `?([a-z_]+)`? \|", section, re.M))
    assert {c.name for c in table.columns} <= documented


@pytest.mark.parametrize("table", TABLES, ids=[t.name for t in TABLES])
def test_data_readme_lists_every_allowed_value(table: Table) -> None:
    section = _section(table)
    for column in table.columns:
        for choice in column.choices:
            assert f"`{choice}`" in section, f"{table.name}.{column.name}: `{choice}` not documented"
