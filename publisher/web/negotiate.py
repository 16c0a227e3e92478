"""Content negotiation for answers that come as HTML or RDF: the URL's suffix, ``?format=``, then ``Accept``;
and the ``Link`` alternates naming the other forms.

What ``*/*`` alone (python-requests' and curl's default) and no ``Accept`` at all get: HTML from a page made
for people (documents, lists, the release history), Turtle from a resource made for machines (the dataset
description that portals harvest, VoID), as ``{base}sparql`` without a query gives its service description.
A browser always names ``text/html``, so it gets HTML either way.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import request
from werkzeug.exceptions import NotAcceptable

from publisher.formats import GRAPH_FORMATS, HTML, JSONLD, Format, by_media_type, by_name, offers

PAGE_FORMATS = (HTML, *GRAPH_FORMATS)
LANGUAGES = ("de", "en")  # the languages pages are written in, German first
OFFERED = "Offered as HTML, Turtle, JSON-LD, RDF/XML and N-Triples"
SUFFIXES = "try .html, .ttl, .jsonld, .rdf or .nt"


def by_suffix(suffix: str) -> Format | None:
    """The format a URL's suffix (``ttl`` of ``doc/x/y.ttl``) names; None when none has it."""
    return next((f for f in PAGE_FORMATS if f.suffix == suffix), None)


def page_format(suffix: str = "", machine: bool = False) -> Format:
    """The format of an HTML-or-RDF answer: the URL's ``suffix``, ``?format=``, then Accept.

    ``machine``: the resource is made for machines, so ``*/*`` and no Accept get Turtle rather than HTML.
    """
    if suffix:
        fmt = by_suffix(suffix)
        if fmt is None:
            raise NotAcceptable(f"There is no .{suffix} form; {SUFFIXES}.")
        return fmt
    if request.args.get("format"):
        chosen = by_name(PAGE_FORMATS, request.args["format"])
        if chosen is None:
            raise NotAcceptable(f"format={request.args['format']} is not offered. {OFFERED}.")
        return chosen
    if not request.accept_mimetypes:
        return GRAPH_FORMATS[0] if machine else HTML
    # werkzeug takes the first offered of equally good matches: that one is what */* gets
    graphs = offers(GRAPH_FORMATS)
    offered = [*graphs, HTML.media_type] if machine else [HTML.media_type, *graphs]
    best = request.accept_mimetypes.best_match(offered)
    if best is None:
        raise NotAcceptable(f"{OFFERED}; none of them is acceptable.")
    return HTML if best == HTML.media_type else by_media_type(GRAPH_FORMATS, best) or HTML


def alternate_links(current: Format, alternates: Iterable[tuple[str, Format, str]]) -> list[str]:
    """``Link`` values (``rel="alternate"``) for the other forms of an answer in ``current``, each given as
    (href, format, profile IRI or "").

    A JSON-LD answer names none. JSON-LD processors read alternates only to find JSON-LD behind a non-JSON
    answer (JSON-LD 1.1, "Alternate Document Location"), and pyld's default loader (3.3) fails on any answer
    with more than one ``rel="alternate"`` link, whether sent in one header field or several (python-requests
    joins them). Every other form names all the others, the JSON-LD one included.
    """
    if current is JSONLD:
        return []
    return [
        f'<{href}>; rel="alternate"; type="{fmt.media_type}"' + (f'; profile="{profile}"' if profile else "")
        for href, fmt, profile in alternates
    ]


def suffixed_alternates(local: str, current: Format) -> list[str]:
    """The alternates of an answer about ``local`` whose other forms are at ``local.{suffix}``."""
    others = (f for f in PAGE_FORMATS if f is not current)
    return alternate_links(current, ((f"{local}.{f.suffix}", f, "") for f in others))


def page_language() -> str:
    """The reader's language for a page: ``?lang=``, then Accept-Language; German by default."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES) or LANGUAGES[0]
