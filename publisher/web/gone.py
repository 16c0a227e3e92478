"""410 Gone for an IRI an earlier release had and the current one lacks: the answer names the last release
that had it, when it left and, when the data gives one, the entity replacing it (``dcterms:isReplacedBy``).

HTML for browsers, in the reader's language (German or English), naming the replacement and the documents
that state it by their labels and titles in the current release; RDF for RDF clients (by ``Accept``, suffix
or ``?format=``), and the one error shape (``{"error": {...}}``, here with ``last_release`` and
``replaced_by`` added) for JSON clients.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from flask import render_template
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, XSD
from werkzeug.exceptions import NotAcceptable
from werkzeug.wrappers import Response

from publisher.changes import GONE, Gone, read_gone
from publisher.formats import GRAPH_FORMATS, HTML, JSON, Format
from publisher.store.queries import Queries
from publisher.vocab import VOID
from publisher.web import current, respond

IS_REPLACED_BY = str(DCTERMS.isReplacedBy)  # as a Link relation type (an extension relation, RFC 8288)
GONE_FORMATS = (HTML, JSON, *GRAPH_FORMATS)  # JSON: the one error shape, for JSON clients


@lru_cache(maxsize=4)
def gone_of(folder: Path) -> dict[str, Gone]:
    """The gone IRIs a release recorded, read once per process and release."""
    return read_gone(folder / GONE)


def gone_response(iri: str, fmt: Format | None = None) -> Response | None:
    """The 410 answer for ``iri`` when the current release records it as gone; None when it never was here.
    ``fmt``: the format the URL's suffix asked for."""
    gone = gone_of(current.release().folder).get(iri)
    if gone is None:
        return None
    fmt = fmt or _format()
    if fmt is JSON:
        body = _json(gone)
    elif fmt is HTML:
        body = _html(gone)
    else:
        body = _rdf(gone, fmt)
    urls = current.urls()
    links = [f'<{urls.local(gone.replaced_by, "id")}>; rel="{IS_REPLACED_BY}"'] if gone.replaced_by else []
    # a rollback may bring it back: kept as long as any answer of the release
    return respond.respond(body, fmt, status=410, links=links, caching=respond.RELEASE)


def _format() -> Format:
    try:
        return respond.choose(GONE_FORMATS)
    except NotAcceptable:
        return HTML


def message(gone: Gone, language: str = "en", labels: dict[str, str] | None = None) -> str:
    """What happened to ``gone``, in ``language``; ``labels`` names the replacement by its label."""
    replacement = (labels or {}).get(gone.replaced_by or "") or gone.replaced_by
    if language == "de":
        text = f"{gone.iri} ist nicht mehr in diesem Datensatz: zuletzt im Datenstand {gone.last_release}"
        text += f", entfernt am {gone.removed[:10]}."
        return text + (f" Ersetzt durch {replacement}." if replacement else "")
    text = f"{gone.iri} is no longer in this dataset: it was last in release {gone.last_release}"
    text += f" and left on {gone.removed[:10]}."
    return text + (f" It is replaced by {replacement}." if replacement else "")


def labels_of(iris: list[str], language: str) -> dict[str, str]:
    """The label of each IRI in the current release, in ``language`` where it has one (a document's label is
    its title); IRIs the release lacks (a source removed since the replacement was recorded) are left out."""
    if not iris:
        return {}
    rows = current.store().select(Queries.of(current.settings().base).labels(iris))
    found: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: r.get("language") != language):  # the reader's language first
        found.setdefault(row["thing"], row["label"])
    return found


def _json(gone: Gone) -> str:
    error = {
        "status": 410,
        "title": "Gone",
        "message": message(gone),
        "last_release": gone.last_release,
        "removed": gone.removed,
        "replaced_by": gone.replaced_by,
    }
    return json.dumps({"error": error}, ensure_ascii=False) + "\n"


def _html(gone: Gone) -> str:
    urls = current.urls()
    last = current.settings().releases_dir / gone.last_release
    language = respond.language()
    labels = labels_of([gone.replaced_by, *gone.sources] if gone.replaced_by else [], language)
    return render_template(
        "gone.html",
        lang=language,
        gone=gone,
        message=message(gone, language, labels),
        release_href=urls.release(gone.last_release) if last.is_dir() else "",
        replacement=labels.get(gone.replaced_by or "") or gone.replaced_by,
        replacement_href=urls.local(gone.replaced_by) if gone.replaced_by else "",
        sources=[(labels.get(s) or s.rsplit("/", 1)[-1], urls.local(s)) for s in gone.sources],
    )


def _rdf(gone: Gone, fmt: Format) -> str:
    graph = Graph()
    thing = URIRef(gone.iri)
    graph.add((thing, VOID.inDataset, URIRef(current.urls().iri(f"releases/{gone.last_release}"))))
    graph.add(
        (thing, PROV.invalidatedAtTime, Literal(gone.removed.replace("Z", "+00:00"), datatype=XSD.dateTime))
    )
    if gone.replaced_by:
        graph.add((thing, DCTERMS.isReplacedBy, URIRef(gone.replaced_by)))
        for source in gone.sources:
            graph.add((thing, PROV.wasDerivedFrom, URIRef(source)))
    return respond.serialize(graph, fmt)
