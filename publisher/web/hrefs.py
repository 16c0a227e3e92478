"""The one rule for which IRIs a page may turn into links: ``{% if iri is linkable %}`` in every template.

IRIs come from the data and from users' queries (``BIND(IRI("javascript:…") AS ?x)``), so a page makes a link
only when the browser would follow it to an http(s) address: an absolute http(s) IRI, or a reference without a
scheme (our own local paths, resolved against the page). Anything else (``javascript:``, ``data:``,
``vbscript:``, ``file:``, ``mailto:`` …) is shown as text. sparql.js applies the same rule (``linkable``) to
the results it renders itself.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask

LINKED_SCHEMES = frozenset({"http", "https"})
# What a browser drops before parsing an href (WHATWG URL: leading and trailing C0 controls and spaces,
# and every tab and newline anywhere), so "java\tscript:" and " javascript:" are read as "javascript:".
_EDGES = "".join(chr(c) for c in range(0x21))
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")


def linkable(href: object) -> bool:
    """Whether ``href`` may be an ``<a href>``: an http(s) IRI or a reference without a scheme."""
    if not isinstance(href, str) or not href:
        return False
    cleaned = _TAB_OR_NEWLINE.sub("", href.strip(_EDGES))
    if not cleaned:
        return False
    try:
        scheme = urlsplit(cleaned).scheme
    except ValueError:  # e.g. an invalid IPv6 host: not a link
        return False
    return not scheme or scheme in LINKED_SCHEMES


def init_app(app: Flask) -> None:
    """Register the rule as the Jinja test ``linkable`` for every template."""
    app.jinja_env.tests["linkable"] = linkable
