"""410 Gone for an IRI an earlier release had and the current one lacks: the answer names the last release
that had it, when it left and, when the data gives one, the entity replacing it (``dcterms:isReplacedBy``).

HTML for browsers, RDF for RDF clients (by ``Accept``, suffix or ``?format=``), and the one error shape
(``{"error": {...}}``, here with ``last_release`` and ``replaced_by`` added) for JSON clients.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from flask import render_template, request
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD
from werkzeug.exceptions import NotAcceptable
from werkzeug.wrappers import Response

from publisher.changes import GONE, Gone, read_gone
from publisher.formats import HTML, Format, serialize_graph
from publisher.release import Release
from publisher.settings import Settings
from publisher.web.negotiate import page_format, page_language
from publisher.web.release import prefix_of
from publisher.web.releases import VOID, release_iri

IS_REPLACED_BY = str(DCTERMS.isReplacedBy)  # as a Link relation type (an extension relation, RFC 8288)


@lru_cache(maxsize=4)
def gone_of(folder: Path) -> dict[str, Gone]:
    """The gone IRIs a release recorded, read once per process and release."""
    return read_gone(folder / GONE)


def gone_response(
    settings: Settings, release: Release, iri: str, fmt: Format | None = None
) -> Response | None:
    """The 410 answer for ``iri`` when the current release records it as gone; None when it never was here."""
    gone = gone_of(release.folder).get(iri)
    if gone is None:
        return None
    if fmt is None and _wants_json():
        response = _json(settings, gone)
    else:
        fmt = fmt or _format()
        body = _html(settings, gone) if fmt is HTML else _rdf(settings, gone, fmt)
        response = Response(body, 410, content_type=fmt.content_type)
    if gone.replaced_by:
        response.headers["Link"] = f'<{_local(settings, gone.replaced_by, "id")}>; rel="{IS_REPLACED_BY}"'
    response.headers["Vary"] = "Accept, Accept-Language"
    response.headers["Cache-Control"] = "public, max-age=300"  # a rollback may bring it back
    return response


def _wants_json() -> bool:
    accept = request.accept_mimetypes
    if request.args.get("format") or not accept:
        return False
    return accept.best_match(["text/html", "text/turtle", "application/json"]) == "application/json"


def _format() -> Format:
    try:
        return page_format()
    except NotAcceptable:
        return HTML


def message(gone: Gone) -> str:
    text = f"{gone.iri} is no longer in this dataset: it was last in release {gone.last_release}"
    text += f" and left on {gone.removed[:10]}."
    if gone.replaced_by:
        text += f" It is replaced by {gone.replaced_by}."
    return text


def _json(settings: Settings, gone: Gone) -> Response:
    error = {
        "status": 410,
        "title": "Gone",
        "message": message(gone),
        "last_release": gone.last_release,
        "removed": gone.removed,
        "replaced_by": gone.replaced_by,
    }
    return Response(json.dumps({"error": error}, ensure_ascii=False) + "\n", 410, mimetype="application/json")


def _html(settings: Settings, gone: Gone) -> str:
    last = settings.releases_dir / gone.last_release
    return render_template(
        "gone.html",
        lang=page_language(),
        gone=gone,
        message=message(gone),
        release_href=f"{prefix_of(settings)}/releases/{gone.last_release}" if last.is_dir() else "",
        replacement_href=_local(settings, gone.replaced_by) if gone.replaced_by else "",
        sources=[(s, _local(settings, s)) for s in gone.sources],
    )


def _rdf(settings: Settings, gone: Gone, fmt: Format) -> str:
    graph = Graph()
    graph.bind("dcterms", str(DCTERMS))
    graph.bind("prov", str(PROV))
    graph.bind("void", str(VOID))
    thing = URIRef(gone.iri)
    graph.add((thing, VOID.inDataset, release_iri(settings, gone.last_release)))
    graph.add(
        (thing, PROV.invalidatedAtTime, Literal(gone.removed.replace("Z", "+00:00"), datatype=XSD.dateTime))
    )
    if gone.replaced_by:
        graph.add((thing, DCTERMS.isReplacedBy, URIRef(gone.replaced_by)))
        for source in gone.sources:
            graph.add((thing, PROV.wasDerivedFrom, URIRef(source)))
    return serialize_graph(graph, fmt)


def _local(settings: Settings, iri: str, path: str = "doc") -> str:
    """A local link for an entity's IRI (its document, or the thing with ``path="id"``), so a preview on
    another host stays there."""
    things = f"{settings.base}id/"
    if iri.startswith(things):
        return f"{prefix_of(settings)}/{path}/{iri[len(things) :]}"
    return iri
