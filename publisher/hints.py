"""Hints for the mistakes a spreadsheet makes in a CSV export: what to change, in the user's terms.

Each function looks at one bad input and returns the hint, or None (or "") when it does not recognise the
mistake. publisher.read (files, headers, rows) and publisher.cells (values) add the hints to their problems.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Collection

SAVE_AS_CSV_UTF8 = "save it as 'CSV UTF-8 (comma-separated)'"
# A German Excel writes ';' into every CSV, 'CSV UTF-8' too, unless Windows' list separator is ','.
COMMAS = (
    "save it as 'CSV UTF-8 (comma-separated)' with ',' as the field delimiter "
    "(a spreadsheet set to German writes ';' unless its list separator is ',')"
)
MAX_CELL = 32_767  # the most characters a spreadsheet cell holds (Excel, LibreOffice Calc)
_DELIMITERS = {";": "semicolons", "\t": "tabs"}
# Cells that stand for "not stated", which an empty cell says (data/README.md, "Empty cell")
PLACEHOLDERS = frozenset(
    {"-", "--", "\u2013", "\u2014", "?", "n/a", "n.a.", "n. a.", "k.a.", "k. a.", "keine angabe", "unknown",
     "unbekannt", "null", "none", "#n/a", "tbd"}
)  # fmt: skip
EMPTY_CELL = "leave the cell empty when no source states the fact"
NO_CONTROL = "delete it (a spreadsheet does not show it; copied text brings it along, a tab most often)"


def one_line(paragraph_columns: Collection[str]) -> str:
    """What to do with a line break in a cell of one line."""
    return (
        f"write it on one line (only {' and '.join(sorted(paragraph_columns))} may hold paragraphs); "
        "a spreadsheet puts a line break into a cell with Alt+Enter"
    )


_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_GERMAN_MONTH = re.compile(r"(\d{1,2})\.(\d{4})")
_DATE_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?")


def other_delimiter(first_line: str, known: Collection[str]) -> str | None:
    """The name of the separator ("semicolons", "tabs") a header uses instead of commas, if it does."""
    with_commas = next(csv.reader([first_line]), [])
    found_with_commas = sum(name.strip() in known for name in with_commas)
    for delimiter, name in _DELIMITERS.items():
        names = next(csv.reader([first_line], delimiter=delimiter), [])
        found = sum(part.strip() in known for part in names)
        if len(names) > 1 and found >= 2 and found > found_with_commas:
            return name
    return None


def close_column(name: str, candidates: Collection[str]) -> str | None:
    """The column a misspelt header name most likely means (``lable_de`` -> ``label_de``)."""
    matches = difflib.get_close_matches(name.strip().lower(), list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def encoding_of(data: bytes) -> str:
    """What a file that is not UTF-8 most likely is, in the words of a spreadsheet's save dialog, or ""."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16, a spreadsheet's 'Unicode text'"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return ""
    return "Windows-1252, 'ANSI'"


def not_utf8(data: bytes) -> str:
    """``the file is not UTF-8 (it looks like Windows-1252, 'ANSI')``."""
    guess = encoding_of(data)
    return f"the file is not UTF-8 (it looks like {guess})" if guess else "the file is not UTF-8"


def date_hint(raw: str) -> str:
    """``; write 2017-04-20`` for a German date ``20.04.2017`` or a date with a time, else ""."""
    german = _GERMAN_DATE.fullmatch(raw)
    if german:
        day, month, year = german.groups()
        return f"; write {year}-{int(month):02d}-{int(day):02d}"
    with_time = _DATE_TIME.fullmatch(raw)
    if with_time:
        return f"; write {with_time.group(1)} (the date without the time)"
    return ""


def month_hint(raw: str) -> str:
    """``; write 2017-04`` for a German month ``04.2017``, else the date hint."""
    german = _GERMAN_MONTH.fullmatch(raw)
    if german:
        month, year = german.groups()
        return f"; write {year}-{int(month):02d}"
    return date_hint(raw)


def leading_zero_hint(raw: str, pattern: str) -> str:
    """``; write 08111000 ...`` when a spreadsheet dropped the leading zero of a key, else ""."""
    if raw.isdigit() and re.fullmatch(pattern, "0" + raw):
        return f"; write 0{raw}: a spreadsheet drops a leading zero unless the column is formatted as text"
    return ""


def number_hint(raw: str) -> str:
    """``; write 1000`` for a number written with thousands separators (``1.000``, ``1,000``), else ""."""
    if re.fullmatch(r"\d{1,3}(?:[.,' ]\d{3})+", raw):
        return f"; write {re.sub(r'[^0-9]', '', raw)} (digits only, no separators)"
    return ""


def url_hint(raw: str) -> str:
    """``; write https://www.example.org`` for an address without its scheme, else an example."""
    if re.fullmatch(r"[\w.-]+\.[a-z]{2,}(?:[/?#].*)?", raw, flags=re.IGNORECASE):
        return f"; write https://{raw} (or http://, as the page has it)"
    return " such as https://example.org/page"


def csv_error_hint(error: str) -> str:
    """What to look for when the csv module cannot read on."""
    if "unexpected end of data" in error:
        return ": a cell opens a '\"' that is never closed; close it, or double a '\"' inside a quoted cell"
    if "expected after '\"'" in error:
        return ': a \'"\' inside a quoted cell must be doubled ("")'
    return ""
