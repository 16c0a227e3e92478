"""The change feed (TREE/LDES) at ``{base}feed``: the event stream and its view, and pages ``{base}feed/{n}``.

Pages are written at release time (publisher.history.feed); here each gets its relation to the next page and
its cache headers: a page with a next one never changes again (cached a year, ``immutable``, which is what
LDES clients read to never fetch it again); the newest page and the stream itself are short-lived.
Turtle, N-Triples and N-Quads are the page file as written (N-Triples is Turtle and N-Quads too); JSON-LD
and RDF/XML are made on request.
"""

from __future__ import annotations

from flask import Blueprint
from rdflib import Graph
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from publisher.formats import GRAPH_FORMATS, HTML, JSONLD, NQUADS, Format
from publisher.history.feed import FeedPage, page_header, read_pages, root_triples
from publisher.web import current, respond
from publisher.web.kept import kept

SHORT = respond.Caching(60)  # the newest page and the stream: the next release changes them
# Turtle for */*; N-Quads named before N-Triples, whose alias it is elsewhere, so that it keeps its own type
FEED_FORMATS = (GRAPH_FORMATS[0], NQUADS, *GRAPH_FORMATS[1:], HTML)


bp = Blueprint("feed", __name__)


@bp.get("/feed")
def stream() -> Response:
    """The event stream: what it is, how its members tell versions and deletions, and its first page."""
    pages = _pages()
    body = "\n".join(root_triples(current.settings().base, pages)) + "\n"
    return _answer(body.encode(), f"{current.release().id}|stream", SHORT)


@bp.get("/feed/<int:number>")
def page(number: int) -> Response:
    """One page: its members (versions and tombstones of one release) and its relation to the next page."""
    pages = _pages()
    found = next((p for p in pages if p.number == number), None)
    if found is None:
        raise NotFound(f"The feed has no page {number}; it has pages 1 to {len(pages)}.")
    closed = any(p.number == number + 1 for p in pages)
    head = "\n".join(page_header(current.settings().base, pages, number)) + "\n"
    members = (current.release().folder / found.file).read_bytes()
    tag = f"{found.release}|{number}|{closed}"
    return _answer(head.encode() + members, tag, respond.FOREVER if closed else SHORT)


def _answer(ntriples: bytes, tag: str, caching: respond.Caching) -> Response:
    fmt = _format()
    etag = respond.etag_of(tag, fmt.name)
    body: str | bytes = ntriples
    if respond.not_modified(etag):
        body = b""
    elif fmt.name in (JSONLD.name, "rdfxml"):
        body = respond.serialize(Graph().parse(data=ntriples.decode("utf-8"), format="nt"), fmt)
    return respond.respond(body, fmt, vary=("Accept",), caching=caching, etag=etag, release_dated=False)


def _format() -> Format:
    """Turtle unless the client asks for another RDF format (a browser asking for HTML gets Turtle).

    N-Quads is offered too, as the page file is (N-Triples are N-Quads in the default graph): LDES clients
    (rdf-dereference) ask for it first, and it costs nothing to serve.
    """
    fmt = respond.choose(FEED_FORMATS)
    return GRAPH_FORMATS[0] if fmt is HTML else fmt


def _pages() -> list[FeedPage]:
    release = current.release()
    return kept("feed-pages", release, lambda: read_pages(release.folder))
