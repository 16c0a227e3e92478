"""The "link to us" page at ``{base}linking``: the URI patterns, the persistence promise, how to read the data
(negotiation, SPARQL, VoID, dumps), what we link to, and how to reconcile a spreadsheet in OpenRefine."""

from __future__ import annotations

from flask import Flask, current_app, render_template
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Response

from publisher.formats import GRAPH_FORMATS
from publisher.links import AUTHORITIES
from publisher.release import Release
from publisher.settings import Settings
from publisher.tables import TABLES
from publisher.web.kept import kept
from publisher.web.negotiate import page_language
from publisher.web.release import conditional, current_or_503, prefix_of, store_of

EXAMPLE = 'SELECT ?s WHERE { ?s a ?c FILTER(STRSTARTS(STR(?s), "BASEid/initiative/")) } ORDER BY ?s LIMIT 1'
# Services another part of the app may serve; the page links them only when they are served.
SERVICES = ("dataset", "releases", "reconcile", ".well-known/void", "sparql", "dumps/latest/data.ttl")


def init_app(app: Flask, settings: Settings) -> None:
    app.add_url_rule(f"{prefix_of(settings)}/linking", "linking", linking)


def linking() -> Response:
    settings: Settings = current_app.config["SETTINGS"]
    release = current_or_503()
    prefix = prefix_of(settings)
    thing = example_of(release, settings.base)
    key = thing.rsplit("/", 1)[-1]
    html = render_template(
        "linking.html",
        lang=page_language(),
        base=settings.base,
        example_thing=thing,
        example_document=f"{settings.base}doc/initiative/{key}",
        example_local=f"{prefix}/doc/initiative/{key}",
        type_words=[t.type_word for t in TABLES] + ["scheme"],
        suffixes=[f.suffix for f in GRAPH_FORMATS],
        authorities=AUTHORITIES,
        served={path: _served(f"{prefix}/{path}") for path in SERVICES},
    )
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept-Language"
    return conditional(response)


def example_of(release: Release, base: str) -> str:
    """An initiative of the release to show the URI patterns with (a made-up one when there is none), found
    once per release."""

    def find() -> str:
        found = store_of(release).select(EXAMPLE.replace("BASE", base))
        return found[0]["s"] if found else f"{base}id/initiative/KEY"

    return kept("linking-example", release, find, scope=base)


def _served(path: str) -> bool:
    """Whether this app answers GET ``path`` (so the page never links to a service that is not there)."""
    try:
        current_app.url_map.bind("localhost").match(path, method="GET")
    except RequestRedirect:
        return True
    except (NotFound, MethodNotAllowed):
        return False
    return True
