"""Numbers from requests: the one place a page, a limit, a cursor or a sitemap part is read.

A number is ASCII digits only (``str.isdigit()`` accepts ``²``, which ``int()`` refuses; ``int()`` accepts
Arabic-Indic digits, signs and spaces) and lies within bounds chosen by the caller, so no store ever sees an
OFFSET it cannot hold. Anything else answers 400 with a message naming the parameter. Beside it, the length
of a request's query string is bounded for every route, as the SPARQL endpoint bounds its own.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import BadRequest, RequestURITooLarge

from publisher.settings import Settings

MAX_PAGE = 1_000_000
"""The highest page (of a document's inbound links, of a list) or sitemap part a client may ask for."""


def whole_number(name: str, default: int, *, maximum: int, minimum: int = 1, clamp: bool = False) -> int:
    """The request parameter ``name`` as a whole number from ``minimum`` to ``maximum``.

    Missing or empty gives ``default``. Above ``maximum`` gives ``maximum`` when ``clamp`` (a limit: asking
    for more than there may be is no error), else 400 (a page or a cursor: there is no such page).
    """
    raw = request.args.get(name, "")
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()):
        raise BadRequest(f"{name}={_shown(raw)} is not a whole number ({_range(minimum, maximum)}).")
    digits = raw.lstrip("0") or "0"
    if len(digits) > len(str(maximum)) or int(digits) > maximum:
        if clamp:
            return maximum
        raise BadRequest(f"{name}={_shown(raw)} is too large ({_range(minimum, maximum)}).")
    number = int(digits)
    if number < minimum:
        raise BadRequest(f"{name}={_shown(raw)} is too small ({_range(minimum, maximum)}).")
    return number


def _range(minimum: int, maximum: int) -> str:
    return f"from {minimum} to {maximum}"


def _shown(raw: str) -> str:
    """The value as the message quotes it: in full when short, else its start."""
    return repr(raw) if len(raw) <= 40 else f"{raw[:40]!r}... ({len(raw)} characters)"


def init_app(app: Flask, settings: Settings) -> None:
    """Answer 414 to any request whose query string is longer than ``max_request_bytes``."""

    @app.before_request
    def _bounded_address() -> None:
        if len(request.query_string) > settings.max_request_bytes:
            raise RequestURITooLarge(f"The query string is longer than {settings.max_request_bytes} bytes.")
