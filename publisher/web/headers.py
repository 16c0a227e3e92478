"""Security headers on every answer: a Content-Security-Policy, nosniff, a Referrer-Policy, no framing.

HTML pages may run only our own scripts and styles (``script-src 'self'``, no inline script or handler, no
inline style); every other answer (RDF, JSON, dumps, errors as text) may run and fetch nothing (only a
browser's own viewer may style itself). No answer may be shown in a frame of another site, except the
reconciliation preview: OpenRefine shows it in an ``<iframe>`` from wherever it runs (usually
``http://127.0.0.1:3333``), so that one route allows any http(s) framer and sends no ``X-Frame-Options`` (it
has no value meaning "anyone"). A view may set its own header; this hook only fills in what is missing.
docs/operations.md explains each header.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

# Framed by OpenRefine from another origin; the endpoint names are those the views are registered under.
EMBEDDABLE_ENDPOINTS = frozenset({"reconcile.preview"})
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})

PAGE_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
    )
)
# Nothing may run or be fetched; inline style and data: images only for the browser's own viewer (Chromium's
# XML tree viewer uses both), harmless where nothing can be fetched.
OTHER_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
NO_FRAMING = "frame-ancestors 'none'"
ANY_FRAMING = "frame-ancestors *"
REFERRER_POLICY = "strict-origin-when-cross-origin"


def security_headers(response: Response) -> Response:
    """Add the security headers ``response`` lacks."""
    embeddable = request.endpoint in EMBEDDABLE_ENDPOINTS
    policy = PAGE_POLICY if response.mimetype in PAGE_TYPES else OTHER_POLICY
    framing = ANY_FRAMING if embeddable else NO_FRAMING
    headers = response.headers
    headers.setdefault("Content-Security-Policy", f"{policy}; {framing}")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", REFERRER_POLICY)
    if not embeddable:
        headers.setdefault("X-Frame-Options", "DENY")
    return response


def init_app(app: Flask) -> None:
    app.after_request(security_headers)
