"""The "link to us" page at ``{base}linking``: the URI patterns, the persistence promise, how to read the data
(negotiation, SPARQL, VoID, dumps), what we link to, and how to reconcile a spreadsheet in OpenRefine."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Response

from publisher.formats import GRAPH_FORMATS, HTML
from publisher.links import AUTHORITIES
from publisher.releases import Release
from publisher.store.queries import Queries
from publisher.tables import TABLES
from publisher.uris import UriScheme
from publisher.web import current, respond
from publisher.web.kept import kept
from publisher.web.release import store_of

# Services another part of the app may serve; the page links them only when they are served.
SERVICES = ("dataset", "releases", "reconcile", ".well-known/void", "sparql", "dumps/latest/data.ttl")


bp = Blueprint("linking", __name__)


@bp.get("/linking")
def linking() -> Response:
    urls = current.urls()
    thing = example_of(current.release(), urls.base)
    html = render_template(
        "linking.html",
        lang=respond.language(),
        base=urls.base,
        example_thing=thing,
        example_document=urls.absolute(urls.local(thing)),
        example_local=urls.local(thing),
        type_words=[t.type_word for t in TABLES] + ["scheme"],
        suffixes=[f.suffix for f in GRAPH_FORMATS],
        authorities=AUTHORITIES,
        served={path: _served(urls.path(path)) for path in SERVICES},
    )
    return respond.respond(html, HTML, vary=("Accept-Language",))


def example_of(release: Release, base: str) -> str:
    """An initiative of the release to show the URI patterns with (a made-up one when there is none), found
    once per release."""

    def find() -> str:
        found = store_of(release).select(Queries.of(base).initiatives(1))
        return found[0]["s"] if found else str(UriScheme(base).thing("initiative", "KEY"))

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
