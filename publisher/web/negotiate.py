"""Content negotiation for pages that come as HTML or RDF: ``?format=`` first, then the Accept header."""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import NotAcceptable

from publisher.formats import GRAPH_FORMATS, HTML, Format, by_media_type, by_name, offers

PAGE_FORMATS = (HTML, *GRAPH_FORMATS)
LANGUAGES = ("de", "en")  # the languages pages are written in, German first
OFFERED = "Offered as HTML, Turtle, JSON-LD, RDF/XML and N-Triples"


def page_format() -> Format:
    """The format of an HTML-or-RDF response: ``?format=``, then Accept; HTML when no Accept is sent."""
    if request.args.get("format"):
        chosen = by_name(PAGE_FORMATS, request.args["format"])
        if chosen is None:
            raise NotAcceptable(f"format={request.args['format']} is not offered. {OFFERED}.")
        return chosen
    if not request.accept_mimetypes:
        return HTML
    best = request.accept_mimetypes.best_match([HTML.media_type, *offers(GRAPH_FORMATS)])
    if best is None:
        raise NotAcceptable(f"{OFFERED}; none of them is acceptable.")
    return HTML if best == HTML.media_type else by_media_type(GRAPH_FORMATS, best) or HTML


def page_language() -> str:
    """The reader's language for a page: ``?lang=``, then Accept-Language; German by default."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES) or LANGUAGES[0]
