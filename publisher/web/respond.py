"""The one responder: every view hands its data here (a page to render, a graph, or RDF a store wrote) and
this module negotiates the format, serializes, and sets the headers: ETag, Last-Modified, Vary,
Cache-Control, Content-Location and the ``Link`` alternates.

Negotiation, from one table of media types (publisher.formats): the URL's suffix (``doc/x/y.ttl``), then
``?format=``, then ``Accept`` with the aliases clients send (``text/n3`` and ``application/x-turtle`` are
Turtle, ``application/json`` is JSON-LD for an RDF resource). What ``*/*`` alone (python-requests' and
curl's default) and no ``Accept`` at all get: HTML from a page made for people (documents, lists, the
release history), Turtle from a resource made for machines (the dataset description that portals harvest,
VoID, the service description). A browser always names ``text/html``, so it gets HTML either way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from flask import request
from rdflib import Graph
from werkzeug.exceptions import NotAcceptable
from werkzeug.http import http_date
from werkzeug.wrappers import Response

from publisher.formats import GRAPH_FORMATS, HTML, JSONLD, Format, by_media_type, by_name, serialize_graph
from publisher.vocab import prefixes_for
from publisher.web import current
from publisher.web.context import context_of

PAGE_FORMATS = (HTML, *GRAPH_FORMATS)  # a page for people, also as data
MACHINE_FORMATS = (*GRAPH_FORMATS, HTML)  # data for machines, also as a page
LANGUAGES = ("de", "en")  # the languages pages are written in, German first
PAGE_VARY = ("Accept", "Accept-Language")


@dataclass(frozen=True)
class Caching:
    """How long an answer may be kept: ``max_age`` seconds; ``immutable`` when it never changes."""

    max_age: int
    immutable: bool = False

    @property
    def header(self) -> str:
        if self.max_age <= 0:
            return "no-store"
        return f"public, max-age={self.max_age}" + (", immutable" if self.immutable else "")


RELEASE = Caching(300)  # changes with the release
STABLE = Caching(3600)  # changes only with the software or the ontology
DAILY = Caching(86400)
QUERY_ANSWER = Caching(60)  # a query's answer: the same until the release changes
NOT_KEPT = Caching(0)  # errors, POST answers, the query page
FOREVER = Caching(31536000, immutable=True)  # what names its release in the URL


# negotiation


def choose(offered: Sequence[Format], suffix: str = "", format_names: Sequence[str] | None = None) -> Format:
    """The format of an answer offered in ``offered`` (the first is what ``*/*`` and no Accept get): the
    URL's ``suffix``, then ``?format=``, then Accept.

    ``format_names``: the format names a protocol reads (the SPARQL protocol's ``format`` values, some of
    them other endpoints' conventions): the first offered one wins, names not offered are left to Accept.
    """
    if suffix:
        fmt = next((f for f in offered if f.suffix == suffix), None)
        if fmt is None:
            raise NotAcceptable(f"There is no .{suffix} form; try {_suffixes(offered)}.")
        return fmt
    if format_names is None:
        asked = request.args.get("format")
        if asked:
            fmt = by_name(tuple(offered), asked)
            if fmt is None:
                raise NotAcceptable(f"format={asked} is not offered. {_offered(offered)}.")
            return fmt
    else:
        for name in format_names:
            fmt = by_name(tuple(offered), name)
            if fmt is not None:
                return fmt
    if not request.accept_mimetypes:
        return offered[0]
    # werkzeug takes the first offered of equally good matches: that one is what */* gets
    media_types = [f.media_type for f in offered] + [a for f in offered for a in f.aliases]
    best = request.accept_mimetypes.best_match(media_types)
    if best is None:
        raise NotAcceptable(f"{_offered(offered)}; none of them is acceptable.")
    return by_media_type(tuple(offered), best) or offered[0]


def prefers_html() -> bool:
    """Whether the client ranks ``text/html`` above ``text/plain``: a browser, not a tool whose ``*/*``
    (or ``text/html, */*``) takes any text alike."""
    accept = request.accept_mimetypes
    return accept["text/html"] > accept["text/plain"]


def language() -> str:
    """The reader's language for a page: ``?lang=``, then Accept-Language; German by default."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES) or LANGUAGES[0]


def _offered(offered: Sequence[Format]) -> str:
    return "Offered as " + ", ".join(f.media_type for f in offered)


def _suffixes(offered: Sequence[Format]) -> str:
    return ", ".join(f".{f.suffix}" for f in offered)


# the answer


def represent(
    *,
    page: Callable[[], str] | None = None,
    graph: Callable[[], Graph] | None = None,
    rdf: Callable[[Format], str | bytes] | None = None,
    machine: bool = False,
    suffix: str = "",
    local: str | None = None,
    alternates: Iterable[tuple[str, Format, str]] | None = None,
    **headers: object,
) -> Response:
    """Answer a resource offered as a ``page`` for people and as RDF for machines (``graph``, or ``rdf``
    already serialized by the store), in the format the client asked for.

    ``local``: the resource's local link; its other forms live at ``local.{suffix}`` unless ``alternates``
    names them. The rest goes to ``respond``.
    """
    offered = _offers(page is not None, graph is not None or rdf is not None, machine)
    fmt = choose(offered, suffix)
    if fmt is HTML:
        assert page is not None  # noqa: S101 - HTML is offered only with a page
        body: str | bytes = page()
    elif rdf is not None:
        body = rdf(fmt)
    else:
        assert graph is not None  # noqa: S101 - RDF is offered only with a graph or rdf
        body = serialize(graph(), fmt)
    if alternates is None and local is not None:
        alternates = current.urls().suffixed(local, tuple(f for f in offered if f is not fmt))
    return respond(body, fmt, local=local, alternates=alternates, **headers)  # type: ignore[arg-type]


def _offers(page: bool, data: bool, machine: bool) -> tuple[Format, ...]:
    if page and data:
        return MACHINE_FORMATS if machine else PAGE_FORMATS
    return (HTML,) if page else GRAPH_FORMATS


def serialize(graph: Graph, fmt: Format) -> str:
    """A graph in one of GRAPH_FORMATS, with the site's prefixes; JSON-LD compacted against the published
    context (publisher.web.context)."""
    settings = current.settings()
    published = context_of(settings, current.release()) if fmt is JSONLD else None
    return serialize_graph(graph, fmt, prefixes_for(settings.base), published)


def respond(
    body: str | bytes,
    fmt: Format | str,
    *,
    status: int = 200,
    local: str | None = None,
    alternates: Iterable[tuple[str, Format, str]] | None = None,
    links: Iterable[str] = (),
    vary: Sequence[str] = PAGE_VARY,
    caching: Caching = RELEASE,
    etag: str | None = None,
    release_dated: bool = True,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A response with the headers every answer of the site carries alike.

    ``fmt``: a Format, or a Content-Type for what is not RDF or HTML (JSON, calendars, text).
    ``etag``: given when the view knows it before rendering; otherwise made from the body.
    ``release_dated``: Last-Modified is the release's build time (for what the release decides).
    """
    content_type = fmt.content_type if isinstance(fmt, Format) else fmt
    response = Response(body, status, content_type=content_type)
    if isinstance(fmt, Format) and local is not None:
        response.headers["Content-Location"] = f"{local}.{fmt.suffix}"
    link_values = [*links, *(alternate_links(fmt, alternates or ()) if isinstance(fmt, Format) else ())]
    if link_values:
        response.headers["Link"] = ", ".join(link_values)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return cache(response, caching, vary=vary, etag=etag, release_dated=release_dated and status < 400)


def cache(
    response: Response,
    caching: Caching,
    *,
    vary: Sequence[str] = PAGE_VARY,
    etag: str | None = None,
    release_dated: bool = True,
) -> Response:
    """Cache-Control and Vary; for what may be kept, ETag and Last-Modified, and 304 to a conditional GET."""
    response.headers["Cache-Control"] = caching.header
    if vary:
        response.headers["Vary"] = ", ".join(vary)
    if caching.max_age <= 0 or response.status_code >= 400:
        return response
    if etag is not None:
        response.set_etag(etag)
    elif response.status_code == 200 and not response.is_streamed:
        response.add_etag()
    if release_dated:
        response.headers["Last-Modified"] = _http_date(current.release().built)
    if not (request.if_none_match or request.if_modified_since or request.range):
        return response  # nothing to compare: werkzeug's conditional handling would change nothing
    return response.make_conditional(request)


def etag_of(*parts: object) -> str:
    """An ETag from what decides an answer (release, path, format, language, ...), before rendering it."""
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]


def not_modified(etag: str) -> bool:
    return etag in request.if_none_match


@lru_cache(maxsize=8)
def _http_date(iso: str) -> str:
    return http_date(dt.datetime.fromisoformat(iso.replace("Z", "+00:00")))


def alternate_links(current_format: Format, alternates: Iterable[tuple[str, Format, str]]) -> list[str]:
    """``Link`` values (``rel="alternate"``) for the other forms of an answer, each given as (href, format,
    profile IRI or "").

    A JSON-LD answer names none. JSON-LD processors read alternates only to find JSON-LD behind a non-JSON
    answer (JSON-LD 1.1, "Alternate Document Location"), and pyld's default loader (3.3) fails on any answer
    with more than one ``rel="alternate"`` link, whether sent in one header field or several (python-requests
    joins them). Every other form names all the others, the JSON-LD one included.
    """
    if current_format is JSONLD:
        return []
    return [
        f'<{href}>; rel="alternate"; type="{fmt.media_type}"' + (f'; profile="{profile}"' if profile else "")
        for href, fmt, profile in alternates
        if fmt is not current_format
    ]
