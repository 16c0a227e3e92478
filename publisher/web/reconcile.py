"""The reconciliation service at ``{base}reconcile``: the Entity Reconciliation API 0.2 that OpenRefine uses.

``GET {base}reconcile`` answers the manifest; ``queries=`` (a JSON batch, by GET or form POST, or the batch
as a JSON body) answers candidates, ``extend=`` the values of properties. Beside it: ``preview?id=``,
``suggest/entity``, ``suggest/type``, ``suggest/property`` (``prefix=``, ``cursor=``), ``properties?type=``.
The matching itself is in :mod:`publisher.reconcile`; this module only reads requests and shapes answers.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, abort, render_template, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.wrappers import Response

from publisher.formats import HTML
from publisher.reconcile.extend import extend, propose_properties
from publisher.reconcile.index import Index, read_index
from publisher.reconcile.manifest import (
    BATCH_SIZE,
    candidate_json,
    describe,
    manifest,
    suggestion_json,
    type_json,
)
from publisher.reconcile.match import QueryError, parse_batch, reconcile
from publisher.releases import Release
from publisher.text import normalise
from publisher.web import current, names, respond
from publisher.web.kept import kept
from publisher.web.params import MAX_PAGE, whole_number
from publisher.web.publication import publication_for
from publisher.web.release import store_of

SUGGEST_LIMIT, MAX_SUGGEST_LIMIT = 10, 50
MAX_PROPERTIES = 1000
MAX_INT_DIGITS = 100


def index_of(release: Release, base: str) -> Index:
    """The release's reconciliation index, built on first use and kept while the release is current."""
    return kept("reconcile", release, lambda: read_index(base, store_of(release).select), scope=base)


bp = Blueprint("reconcile", __name__)


def _index() -> Index:
    return index_of(current.release(), current.settings().base)


@bp.route("/reconcile", methods=["GET", "POST"])
def service() -> Response:
    kind, payload = _payload()
    index = _index()
    try:
        if kind == "queries":
            if isinstance(payload, dict) and len(payload) > BATCH_SIZE:
                raise RequestEntityTooLarge(
                    f"A batch holds at most {BATCH_SIZE} queries, this one {len(payload)}."
                )
            queries = parse_batch(payload, index.vocabulary, BATCH_SIZE)
            answer: dict[str, Any] = {
                key: {"result": [candidate_json(index, c) for c in reconcile(index, query)]}
                for key, query in queries.items()
            }
        elif kind == "extend":
            answer = extend(index, payload)
        elif request.method in ("GET", "HEAD"):
            release, settings = current.release(), current.settings()
            name = publication_for(settings, release).description.short_title["de"]
            answer = manifest(index.vocabulary, settings.base, release.id, name)
        else:
            raise BadRequest("Send a query batch as queries=, a data extension query as extend=, or JSON.")
    except QueryError as error:
        raise BadRequest(f"{error}.") from None
    return _json(answer)


def _payload() -> tuple[str, object]:
    """What was asked: ("queries", batch), ("extend", query) or ("", None) for the manifest."""
    if request.method == "POST" and request.is_json:
        body = _decoded("The body", request.get_data(as_text=True))
        if isinstance(body, dict) and len(body) == 1 and next(iter(body)) in ("queries", "extend"):
            name = next(iter(body))
            value = body[name]
            return name, _decoded(f"{name}=", value) if isinstance(value, str) else value
        return "queries", body
    for name in ("queries", "extend"):
        raw = request.values.get(name)
        if raw is not None:
            return name, _decoded(f"{name}=", raw)
    return "", None


def _decoded(what: str, raw: str) -> object:
    """``raw`` as strict JSON: ``NaN`` and ``Infinity`` (which Python's json reads) are no JSON numbers, and
    no whole number here needs more than a few digits."""
    try:
        return json.loads(raw, parse_constant=_no_constant, parse_int=_short_int)
    except json.JSONDecodeError as error:
        raise BadRequest(
            f"{what} is not JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None
    except ValueError as error:  # NaN, Infinity, a whole number of too many digits
        raise BadRequest(f"{what} is not JSON: {error}.") from None
    except RecursionError:
        raise BadRequest(f"{what} is JSON nested too deeply.") from None


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def _short_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"a whole number of {len(digits)} digits is longer than any this service reads")
    return int(digits)


@bp.get("/reconcile/preview")
def preview() -> Response:
    index = _index()
    entity = index.entity(request.args.get("id", ""))
    if entity is None:
        abort(404, description="No thing with this id; ids look like initiative/biolago.")
    fields = list(
        dict.fromkeys(index.by_iri[f].label() for f in entity.values.get("field", []) if f in index.by_iri)
    )
    homepages = [h for h in entity.values.get("homepage", []) if h.startswith(("http:", "https:"))]
    html = render_template(
        "reconcile_preview.html",
        entity=entity,
        description=describe(index, entity),
        fields=fields,
        homepage=homepages[0] if homepages else "",
        document=current.urls().document_iri(*entity.id.split("/", 1)),
    )
    return respond.respond(html, HTML, vary=())


@bp.get("/reconcile/suggest/entity")
def suggest_entity() -> Response:
    index = _index()
    prefix, cursor, limit = _suggest_arguments()
    kind = request.args.get("type")
    found = [index.entity(prefix)]  # an id given as the prefix
    if prefix:
        hits = names.index_of(current.release(), current.settings().base).search(prefix, names.MAX_LIMIT)
        found += [index.by_iri.get(hit.thing.iri) for hit in hits]
    chosen = [
        e for e in dict.fromkeys(found) if e is not None and (not kind or any(t.id == kind for t in e.types))
    ]
    return _json({"result": [suggestion_json(index, e) for e in chosen[cursor : cursor + limit]]})


@bp.get("/reconcile/suggest/type")
def suggest_type() -> Response:
    vocabulary = _index().vocabulary
    prefix, cursor, limit = _suggest_arguments()
    chosen = [t for t in vocabulary.types if _begins(prefix, t.id.rsplit("#", 1)[-1], t.name, t.description)]
    return _json({"result": [type_json(t, vocabulary) for t in chosen[cursor : cursor + limit]]})


@bp.get("/reconcile/suggest/property")
def suggest_property() -> Response:
    vocabulary = _index().vocabulary
    prefix, cursor, limit = _suggest_arguments()
    chosen = [p for p in vocabulary.properties if _begins(prefix, p.id, p.name, p.description)]
    result = [{"id": p.id, "name": p.name, "description": p.description} for p in chosen]
    return _json({"result": result[cursor : cursor + limit]})


@bp.get("/reconcile/properties")
def properties() -> Response:
    limit = whole_number("limit", 0, maximum=MAX_PROPERTIES, clamp=True) or None
    try:
        answer = propose_properties(_index().vocabulary, request.args.get("type"), limit)
    except QueryError as error:
        raise BadRequest(f"{error}.") from None
    return _json(answer)


def _suggest_arguments() -> tuple[str, int, int]:
    cursor = whole_number("cursor", 0, minimum=0, maximum=MAX_PAGE)
    limit = whole_number("limit", SUGGEST_LIMIT, maximum=MAX_SUGGEST_LIMIT, clamp=True)
    return request.args.get("prefix", "").strip(), cursor, limit


def _begins(prefix: str, *texts: str) -> bool:
    """Every word of ``prefix`` begins a word of the texts (case and accents aside)."""
    words = set(names.words(" ".join(texts)))
    return all(any(w.startswith(p) for w in words) for p in names.words(prefix)) or (
        normalise(prefix) in {normalise(t) for t in texts}
    )


def _json(answer: dict[str, Any]) -> Response:
    body = json.dumps(answer, ensure_ascii=False) + "\n"
    caching = respond.RELEASE if request.method in ("GET", "HEAD") else respond.NOT_KEPT
    return respond.respond(body, "application/json", caching=caching, vary=())
