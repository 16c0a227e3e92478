"""The SPARQL 1.1 Protocol endpoint at ``{base}sparql``: read-only, time-limited, size-limited, cacheable."""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass

from flask import Blueprint, current_app, render_template, request
from werkzeug.exceptions import BadRequest, Forbidden, RequestURITooLarge, UnsupportedMediaType
from werkzeug.wrappers import Response

from publisher.formats import GRAPH_FORMATS, HTML, SOLUTION_FORMATS, Format
from publisher.settings import Settings
from publisher.sparql.guard import CheckedQuery, QueryForm, QueryRefusedError, check_query
from publisher.sparql.pool import (
    PoolBusyError,
    QueryMemoryError,
    QueryPool,
    QueryTimeoutError,
    WorkerDiedError,
    WorkerStartError,
)
from publisher.sparql.remote import SQL_FUNCTIONS_REFUSED, RemoteQueries, calls_sql_functions
from publisher.sparql.worker import Confinement
from publisher.store import Job, Outcome, RemoteStoreError, sparql_iri
from publisher.vocab import prefixes_for
from publisher.web import current, respond
from publisher.web.errors import error_response
from publisher.web.examples import load_examples
from publisher.web.release import remote_of
from publisher.web.service_description import service_description

_POSITION = re.compile(r"^error at (\d+):(\d+): ")
SYNTAX_CHECK_SECONDS = 5.0
ONE_GRAPH = (
    "This endpoint answers from one graph, the current release: FROM, FROM NAMED, default-graph-uri and "
    "named-graph-uri are not accepted here."
)


@dataclass(frozen=True)
class ProtocolRequest:
    """A query request as the SPARQL 1.1 Protocol defines it, whichever way it arrived."""

    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    timeout: float
    format_names: tuple[str, ...]


bp = Blueprint("sparql", __name__)


@bp.record_once
def _setup(state: object) -> None:
    app = state.app  # type: ignore[attr-defined]
    settings: Settings = app.config["SETTINGS"]
    confinement = Confinement(
        network=bool(settings.allowed_services), memory_bytes=settings.query_memory_mb * 1024 * 1024
    )
    app.extensions["query_pool"] = QueryPool(settings.query_workers, settings.queue_timeout, confinement)
    app.extensions["remote_queries"] = RemoteQueries(settings.query_workers, settings.queue_timeout)


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    settings = current.settings()
    protocol = _parse_request(settings)
    if protocol.query is None:
        return _without_query(settings, protocol)
    try:
        checked = _checked(settings, protocol)
    except QueryRefusedError as refused:
        message = _engine_wording(settings, protocol.query or "", refused)
        if _negotiate(QueryForm.SELECT, protocol.format_names) is HTML:  # the page shows what was wrong
            return _page_response(settings, protocol, None, message, refused.status)
        return error_response(refused.status, message)
    fmt = _negotiate(checked.form, protocol.format_names)
    if fmt is HTML:
        return _html_page(settings, protocol, checked.form)
    return _answer(settings, protocol, checked.form, fmt)


def _engine_wording(settings: Settings, query: str, refused: QueryRefusedError) -> str:
    """The refusal's message; for a query the guard could not read, the engine's own syntax error when it
    has one, which names the exact spot (asked in a confined worker, and only while workers have no network
    to reach)."""
    pool: QueryPool = current_app.extensions["query_pool"]
    if not refused.unreadable or pool.confinement.network:
        return refused.message
    job = Job("", query, current.urls().iri("sparql"), "json", 0, syntax_only=True)
    try:
        outcome = pool.run(job, min(settings.query_timeout, SYNTAX_CHECK_SECONDS))
    except (PoolBusyError, QueryTimeoutError, QueryMemoryError, WorkerStartError, WorkerDiedError):
        return refused.message
    if outcome.kind == "syntax":
        return syntax_message(outcome.message)
    return f"{refused.message} (this endpoint reads queries as SPARQL 1.1 defines them)"


def _checked(settings: Settings, protocol: ProtocolRequest) -> CheckedQuery:
    """The guard's reading of the query, and what the store the release lives in cannot do."""
    checked = check_query(protocol.query or "", settings.allowed_services, current.urls().iri("sparql"))
    if remote_of(current.release()) is not None:
        if checked.names_dataset or protocol.default_graphs or protocol.named_graphs:
            raise QueryRefusedError(400, ONE_GRAPH)
        if calls_sql_functions(checked.iris):
            raise QueryRefusedError(400, SQL_FUNCTIONS_REFUSED)
    return checked


def _parse_request(settings: Settings) -> ProtocolRequest:
    if len(request.query_string) > settings.max_request_bytes:
        raise RequestURITooLarge(f"The query string is longer than {settings.max_request_bytes} bytes.")
    params = request.args
    queries = params.getlist("query")
    if "update" in params:
        raise Forbidden("This endpoint is read-only: SPARQL Update is not accepted.")
    if request.method == "POST":
        queries += _posted_queries()
    if len(queries) > 1:
        raise BadRequest(f"The request holds {len(queries)} queries; send exactly one.")
    merged = request.args.copy()
    if request.mimetype == "application/x-www-form-urlencoded":
        merged.update(request.form)
    return ProtocolRequest(
        query=queries[0] if queries else None,
        default_graphs=_graph_iris(merged.getlist("default-graph-uri"), "default-graph-uri"),
        named_graphs=_graph_iris(merged.getlist("named-graph-uri"), "named-graph-uri"),
        timeout=_timeout(merged.get("timeout"), settings),
        format_names=tuple(name for name in merged.getlist("format") if name),
    )


def _posted_queries() -> list[str]:
    media_type = request.mimetype
    if media_type == "application/x-www-form-urlencoded":
        if "update" in request.form:
            raise Forbidden("This endpoint is read-only: SPARQL Update is not accepted.")
        return request.form.getlist("query")
    if media_type == "application/sparql-update":
        raise Forbidden("This endpoint is read-only: SPARQL Update is not accepted.")
    if media_type == "application/sparql-query":
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(f"A query must be sent as UTF-8, not {charset}.")
        try:
            return [request.get_data().decode("utf-8")]
        except UnicodeDecodeError as error:
            raise BadRequest(f"The query is not valid UTF-8 (byte {error.start}).") from None
    if not media_type:
        raise BadRequest(
            "A POSTed query needs a Content-Type: application/x-www-form-urlencoded (query=...) "
            "or application/sparql-query (the query as the body)."
        )
    raise UnsupportedMediaType(
        f"Content-Type {media_type} is not accepted; use application/x-www-form-urlencoded "
        "or application/sparql-query."
    )


def _graph_iris(values: list[str], name: str) -> tuple[str, ...]:
    """The graph IRIs of a protocol parameter, each an absolute IRI as the engine reads one."""
    for value in values:
        try:
            sparql_iri(value)
        except ValueError:
            raise BadRequest(f"{name}={value!r} is not an absolute IRI.") from None
    return tuple(values)


def _timeout(raw: str | None, settings: Settings) -> float:
    if raw is None or raw == "":
        return settings.query_timeout
    try:
        asked = float(raw)
    except ValueError:
        raise BadRequest(f"timeout={raw!r} is not a number of seconds.") from None
    if not math.isfinite(asked) or asked <= 0:
        raise BadRequest(f"timeout={raw!r}: give a number of seconds greater than 0.")
    return min(asked, settings.query_timeout)


def _negotiate(form: QueryForm, format_names: tuple[str, ...]) -> Format:
    """The result format: a known ``format=`` value wins, otherwise the Accept header decides; a browser
    gets the query page with the answer.

    Clients such as SPARQLWrapper send several ``format=`` values, some of them for other endpoints'
    conventions; values we do not know are left to the Accept header rather than refused.
    """
    formats = GRAPH_FORMATS if form.returns_graph else SOLUTION_FORMATS
    return respond.choose((*formats, HTML), format_names=format_names)


def _job(settings: Settings, protocol: ProtocolRequest, fmt: Format) -> tuple[Job, str]:
    release = current.release()
    job = Job(
        store_folder=str(release.folder / "store"),
        query=protocol.query or "",
        base_iri=current.urls().iri("sparql"),
        format_name=fmt.name,
        max_rows=settings.max_rows,
        default_graphs=protocol.default_graphs,
        named_graphs=protocol.named_graphs,
        prefixes=prefixes_for(settings.base),
    )
    return job, release.id


def _run(job: Job, timeout: float) -> Outcome:
    """Run the job on the release's graph on the external server, or in a worker on its embedded store."""
    remote = remote_of(current.release())
    if remote is not None:
        queries: RemoteQueries = current_app.extensions["remote_queries"]
        return queries.run(remote, job, timeout)
    pool: QueryPool = current_app.extensions["query_pool"]
    return pool.run(job, timeout)


def _answer(settings: Settings, protocol: ProtocolRequest, form: QueryForm, fmt: Format) -> Response:
    job, release_id = _job(settings, protocol, fmt)
    etag = _etag(release_id, job, protocol.timeout)
    caching = respond.QUERY_ANSWER if request.method == "GET" else respond.NOT_KEPT
    if request.method == "GET" and respond.not_modified(etag):
        return respond.respond(b"", fmt, caching=caching, vary=("Accept",), etag=etag, release_dated=False)
    outcome = _outcome(settings, job, protocol.timeout)
    if isinstance(outcome, Failure):
        return error_response(outcome.status, outcome.message, outcome.headers)
    headers = {"X-Row-Limit": str(settings.max_rows)}
    if outcome.truncated:
        headers["X-Row-Limit-Reached"] = "true"
    return respond.respond(
        outcome.body, fmt, caching=caching, vary=("Accept",), etag=etag, release_dated=False, headers=headers
    )


@dataclass(frozen=True)
class Failure:
    """A query that ran and failed, as the client is told: status, message and headers (Retry-After)."""

    status: int
    message: str
    headers: dict[str, str]


def _outcome(settings: Settings, job: Job, timeout: float) -> Outcome | Failure:
    """Run the job; every way it can fail answered the same for the protocol and the query page."""
    try:
        outcome = _run(job, timeout)
    except RemoteStoreError as failed:
        current_app.logger.error("query failed on the external SPARQL server: %s", failed)
        return Failure(failed.gateway_status, "The SPARQL server holding the data could not answer.", {})
    except PoolBusyError:
        return Failure(503, "All query workers are busy; try again in a moment.", {"Retry-After": "1"})
    except QueryTimeoutError:
        message = f"The query ran longer than its time limit of {timeout:g} s and was stopped."
        return Failure(503, message + " Make it more selective or add a LIMIT.", {})
    except QueryMemoryError:
        message = f"The query needed more memory than the {settings.query_memory_mb} MiB a query may use"
        return Failure(503, message + " and was stopped. Make it more selective or add a LIMIT.", {})
    except WorkerStartError as failed:
        current_app.logger.error("query worker could not start: %s", failed)
        return Failure(503, "No query worker could be started; try again later.", {"Retry-After": "10"})
    except WorkerDiedError as died:
        current_app.logger.error("query worker died: %s", died)
        return Failure(500, "The query worker ended unexpectedly.", {})
    if outcome.kind == "syntax":
        return Failure(400, syntax_message(outcome.message), {})
    if outcome.kind != "ok":
        current_app.logger.error("query failed: %s", outcome.message)
        return Failure(500, "The query could not be answered.", {})
    return outcome


def syntax_message(message: str) -> str:
    """Oxigraph's ``error at 3:17: expected ...`` as a sentence naming line and column."""
    match = _POSITION.match(message)
    if not match:
        return f"Query syntax error: {message}"
    line, column = match.groups()
    return f"Query syntax error at line {line}, column {column}: {message[match.end() :]}"


def _etag(release_id: str, job: Job, timeout: float) -> str:
    key = json.dumps(
        [release_id, job.query, job.format_name, job.default_graphs, job.named_graphs, job.max_rows]
    )
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _without_query(settings: Settings, protocol: ProtocolRequest) -> Response:
    """GET without a query: the service description in RDF (``*/*`` gets Turtle), or the query page for a
    browser."""
    fmt = respond.choose((*GRAPH_FORMATS, HTML), format_names=protocol.format_names)
    if fmt is HTML:
        return _page_response(settings, protocol, None, None, 200)
    release = current.release()
    return respond.respond(
        respond.serialize(service_description(settings, release), fmt),
        fmt,
        caching=respond.QUERY_ANSWER,
        vary=("Accept",),
        release_dated=False,
    )


def _html_page(settings: Settings, protocol: ProtocolRequest, form: QueryForm) -> Response:
    """The query page with the answer, or with what went wrong and the status the protocol would give."""
    fmt = GRAPH_FORMATS[0] if form.returns_graph else SOLUTION_FORMATS[0]
    job, _ = _job(settings, protocol, fmt)
    outcome = _outcome(settings, job, protocol.timeout)
    if isinstance(outcome, Failure):
        return _page_response(settings, protocol, None, outcome.message, outcome.status, outcome.headers)
    result: dict[str, object] = {
        "body": outcome.body.decode(),
        "truncated": outcome.truncated,
        "graph": form.returns_graph,
    }
    if not form.returns_graph:
        result["json"] = json.loads(outcome.body)
    return _page_response(settings, protocol, result, None, 200)


def _page_response(
    settings: Settings,
    protocol: ProtocolRequest,
    result: object,
    error: str | None,
    status: int,
    headers: dict[str, str] | None = None,
) -> Response:
    page = _render_page(settings, protocol, result, error)
    return respond.respond(
        page, HTML, status=status, caching=respond.NOT_KEPT, vary=("Accept",), headers=headers
    )


def _render_page(settings: Settings, protocol: ProtocolRequest, result: object, error: str | None) -> str:
    return render_template(
        "sparql.html",
        query=protocol.query or "",
        examples=load_examples(settings.base),
        result=result,
        error=error,
        settings=settings,
    )
