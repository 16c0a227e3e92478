"""The gallery of example queries on the query page: one ``.rq`` file each in web/examples/."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

EXAMPLES_DIR = Path(__file__).parent / "examples"
WRITTEN_FOR_BASE = "http://localhost:8080/"  # the files use the default base; a deployment's base replaces it


@dataclass(frozen=True)
class Example:
    """An example query: its file stem, its title (the file's first comment line) and its text."""

    key: str
    title: str
    query: str


@cache
def load_examples(base: str) -> tuple[Example, ...]:
    """The examples, their IRIs under ``base``."""
    examples = []
    for path in sorted(EXAMPLES_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8").replace(WRITTEN_FOR_BASE, base)
        first = text.splitlines()[0] if text else ""
        title = first.lstrip("# ").strip() if first.startswith("#") else path.stem
        examples.append(Example(path.stem, title, text))
    return tuple(examples)
