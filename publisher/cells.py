"""Stage 1, read: the text of one cell becomes a typed value, or a ValueError saying what is wrong with it.

publisher.read reads the files and rows and turns each ValueError into a problem at the cell's row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from publisher.hints import (
    EMPTY_CELL,
    NO_CONTROL,
    PLACEHOLDERS,
    date_hint,
    leading_zero_hint,
    month_hint,
    number_hint,
    one_line,
    url_hint,
)
from publisher.tables import LIST_SEPARATOR, SLUG_PATTERN, TABLES, Column, ValueType

_SLUG = re.compile(SLUG_PATTERN)
_YEARISH = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_ONE_LINE = one_line({c.name for t in TABLES for c in t.columns if c.paragraphs})
# RFC 3987: what an IRI's path, query and fragment cannot hold as it is (a lone % is no escape)
_NOT_IN_IRI = re.compile(r'[ <>"{}|\\^`\[\]]|%(?![0-9A-Fa-f]{2})')
# What XML (RDF/XML) cannot carry, or a spreadsheet does not show; a line break is a rule of its own
_CONTROL = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_HOST = re.compile(r"[^\s<>\"{}|\\^`%/?#]+")  # user info, host name or [IPv6 address], port


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, month or day, as stated: ``2006``, ``2002-12`` or ``1997-07-04``."""

    text: str
    precision: Literal["year", "month", "day"]


def parse_cell(column: Column, raw: str) -> object:
    """The typed value of a cell's stripped, non-empty text: a str, date, PartialDate or int, or a tuple of
    them where the column holds a list; ValueError, with the message for the person who fixes the cell."""
    raw = _one_cell(column, raw)
    if column.many:
        parts = [part.strip() for part in raw.split(LIST_SEPARATOR)]
        if any(not part for part in parts):
            raise ValueError(f"empty item in list {raw!r}: separate values with '{LIST_SEPARATOR}'")
        return tuple(_parse_value(column, part) for part in parts)
    return _parse_value(column, raw)


def _one_cell(column: Column, raw: str) -> str:
    """The cell's text with its line breaks as LF where the column takes paragraphs; ValueError for a
    placeholder, or a line break anywhere else."""
    if raw.lower() in PLACEHOLDERS:
        raise ValueError(f"{raw!r} is a placeholder: {EMPTY_CELL}")
    control = _CONTROL.search(raw)
    if control:
        what = "a non-character" if control.group() in "\ufffe\uffff" else "a control character"
        raise ValueError(f"the cell holds {what}, U+{ord(control.group()):04X}: {NO_CONTROL}")
    if "\n" in raw or "\r" in raw:
        if not column.paragraphs:
            raise ValueError(f"the cell holds a line break: {_ONE_LINE}")
        return "\n".join(line.rstrip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return raw


def _parse_value(column: Column, raw: str) -> object:
    kind = column.type
    if kind is ValueType.TEXT:
        return raw
    if kind is ValueType.SLUG:
        if not _SLUG.fullmatch(raw):
            what = "an id" if not column.refers_to else "a reference to an id"
            raise ValueError(f"{raw!r} is not {what}: expected lowercase letters, digits and '-'")
        return raw
    if kind is ValueType.DATE:
        return _parse_date(raw)
    if kind is ValueType.YEARISH:
        return _parse_partial_date(raw)
    if kind is ValueType.COUNT:
        if not raw.isascii() or not raw.isdigit():
            raise ValueError(f"{raw!r} is not a non-negative whole number{number_hint(raw)}")
        return int(raw)
    if kind is ValueType.IRI:
        return _check_iri(raw)
    if kind is ValueType.CHOICE:
        if raw not in column.choices:
            raise ValueError(f"{raw!r} is not allowed; expected one of {', '.join(column.choices)}")
        return raw
    if not re.fullmatch(column.pattern, raw):
        raise ValueError(f"{raw!r} is not {column.expected}{leading_zero_hint(raw, column.pattern)}")
    return raw


def _parse_date(raw: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        raise ValueError(f"{raw!r} is not a date: expected YYYY-MM-DD{date_hint(raw)}")
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a date that exists") from None


def _parse_partial_date(raw: str) -> PartialDate:
    match = _YEARISH.fullmatch(raw)
    if not match:
        raise ValueError(f"{raw!r} is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD{month_hint(raw)}")
    year, month, day = match.groups()
    if day:
        _parse_date(raw)
        return PartialDate(raw, "day")
    if month:
        if not 1 <= int(month) <= 12:
            raise ValueError(f"{raw!r} is not a month that exists")
        return PartialDate(raw, "month")
    return PartialDate(year, "year")


def _check_iri(raw: str) -> str:
    """Check a web address and return it as an IRI: what an IRI cannot hold in its path, query or fragment
    (a space, ``|``, square brackets, a ``%`` not followed by two hex digits, ...) is percent-encoded, which
    addresses the same page."""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or not _HOST.fullmatch(parts.netloc):
        raise ValueError(f"{raw!r} is not a web address: expected an absolute http(s) URL{url_hint(raw)}")
    start = len(f"{parts.scheme}://{parts.netloc}")
    rest, hash_, fragment = raw[start:].partition("#")
    rest = _NOT_IN_IRI.sub(_percent, rest)
    return raw[:start] + rest + hash_ + _NOT_IN_IRI.sub(_percent, fragment.replace("#", "%23"))


def _percent(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode())
