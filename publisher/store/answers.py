"""A bounded memory of SELECT answers, for stores whose content never changes (a release's)."""

from __future__ import annotations

from collections.abc import Callable

Rows = list[dict[str, str]]

MAX_ANSWERS = 10_000
MAX_REMEMBERED_ROWS = 1_000


class RememberedAnswers:
    """Small answers are kept (a bounded number of them): pages that ask the same questions on every request
    get them from memory. Large answers (sitemaps, the search index) are not kept twice."""

    def __init__(self) -> None:
        self._answers: dict[str, Rows] = {}

    def get(self, query: str, run: Callable[[str], Rows]) -> Rows:
        """The rows of ``query``, from memory or from ``run``; a fresh list (callers must not change rows)."""
        found = self._answers.get(query)
        if found is None:
            found = run(query)
            if len(found) <= MAX_REMEMBERED_ROWS:
                if len(self._answers) >= MAX_ANSWERS:
                    self._answers.clear()
                self._answers[query] = found
        return list(found)
