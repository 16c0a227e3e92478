"""The change feed (TREE/LDES) at ``{base}feed``: the event stream and its view, and pages ``{base}feed/{n}``.

Pages are written at release time (publisher.history.feed); here each gets its relation to the next page and
its cache headers: a page with a next one never changes again (cached a year, ``immutable``, which is what
LDES clients read to never fetch it again); the newest page and the stream itself are short-lived.
Turtle, N-Triples and N-Quads are the page file as written (N-Triples is Turtle and N-Quads too); JSON-LD
and RDF/XML are made on request.
"""

from __future__ import annotations

import hashlib

from flask import Flask, current_app, request
from rdflib import Graph
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from publisher.formats import GRAPH_FORMATS, HTML, JSONLD, Format, offers, serialize_graph
from publisher.history.feed import FeedPage, page_header, read_pages, root_triples
from publisher.settings import Settings
from publisher.vocab import prefixes_for
from publisher.web.kept import kept
from publisher.web.negotiate import page_format
from publisher.web.release import current_or_503, prefix_of

YEAR = 31_536_000
SHORT = 60  # the newest page and the stream: the next release changes them
NQUADS = Format("nquads", "application/n-quads", "nq")


def init_app(app: Flask, settings: Settings) -> None:
    prefix = prefix_of(settings)
    app.add_url_rule(f"{prefix}/feed", "feed", stream)
    app.add_url_rule(f"{prefix}/feed/<int:number>", "feed_page", page)


def stream() -> Response:
    """The event stream: what it is, how its members tell versions and deletions, and its first page."""
    settings = _settings()
    pages = _pages()
    body = "\n".join(root_triples(settings.base, pages)) + "\n"
    release = current_or_503()
    return _answer(body.encode(), f"{release.id}|stream", SHORT, immutable=False)


def page(number: int) -> Response:
    """One page: its members (versions and tombstones of one release) and its relation to the next page."""
    settings = _settings()
    pages = _pages()
    found = next((p for p in pages if p.number == number), None)
    if found is None:
        raise NotFound(f"The feed has no page {number}; it has pages 1 to {len(pages)}.")
    closed = any(p.number == number + 1 for p in pages)
    head = "\n".join(page_header(settings.base, pages, number)) + "\n"
    members = (current_or_503().folder / found.file).read_bytes()
    tag = f"{found.release}|{number}|{closed}"
    return _answer(head.encode() + members, tag, YEAR if closed else SHORT, immutable=closed)


def _answer(ntriples: bytes, tag: str, max_age: int, immutable: bool) -> Response:
    fmt = _format()
    etag = hashlib.sha256(f"{tag}|{fmt.name}".encode()).hexdigest()[:32]
    if etag in request.if_none_match:
        response = Response(status=304)
    elif fmt.name in (JSONLD.name, "rdfxml"):
        graph = Graph().parse(data=ntriples.decode("utf-8"), format="nt")
        body = serialize_graph(graph, fmt, prefixes_for(_settings().base))
        response = Response(body, content_type=fmt.content_type)
    else:
        response = Response(ntriples, content_type=fmt.content_type)
    response.headers["ETag"] = f'"{etag}"'
    response.headers["Vary"] = "Accept"
    response.headers["Cache-Control"] = f"public, max-age={max_age}" + (", immutable" if immutable else "")
    return response


def _format() -> Format:
    """Turtle unless the client asks for another RDF format (a browser asking for HTML gets Turtle).

    N-Quads is offered too, as the page file is (N-Triples are N-Quads in the default graph): LDES clients
    (rdf-dereference) ask for it first, and it costs nothing to serve.
    """
    if request.accept_mimetypes and not request.args.get("format"):
        offered = [NQUADS.media_type, *offers(GRAPH_FORMATS)]
        best = request.accept_mimetypes.best_match(offered)
        if best == NQUADS.media_type:
            return NQUADS
    fmt = page_format(machine=True)
    return GRAPH_FORMATS[0] if fmt is HTML else fmt


def _pages() -> list[FeedPage]:
    release = current_or_503()
    return kept("feed-pages", release, lambda: read_pages(release.folder))


def _settings() -> Settings:
    settings: Settings = current_app.config["SETTINGS"]
    return settings
