"""One error shape for every response: HTML for browsers, JSON or plain text for machines.

Library errors become HTTP statuses here; only the outermost handler catches everything, logs the
traceback once and answers 500.
"""

from __future__ import annotations

import json
import logging

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, NotAcceptable
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Response

from publisher.formats import HTML, JSON, TEXT, Format
from publisher.store import RemoteStoreError
from publisher.web import respond

log = logging.getLogger(__name__)

FOR_MACHINES = (TEXT, JSON)  # plain text first: what */* and no Accept get
FOR_BROWSERS = (*FOR_MACHINES, HTML)


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """The one error body: ``{"error": {"status", "title", "message"}}`` as JSON, text or an HTML page."""
    title = HTTP_STATUS_CODES.get(status, "Error")
    fmt = error_format()
    if fmt is HTML:
        body = render_template("error.html", status=status, title=title, message=message)
    elif fmt is JSON:
        body = _json({"error": {"status": status, "title": title, "message": message}})
    else:
        body = f"{status} {title}: {message}\n"
    response = Response(body, status, mimetype=fmt.media_type)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return respond.cache(response, respond.NOT_KEPT, vary=())


def error_format() -> Format:
    """The form of an error, negotiated by the responder: the HTML page for a browser (a client that ranks
    ``text/html`` above ``text/plain``), JSON for a client that asks for it, plain text for every other one.

    An error never fails with 406 itself: an Accept naming nothing offered (``text/turtle``) gets plain
    text. ``?format=`` is not read: it names the form of the answer that failed (a SPARQL result format).
    """
    try:
        return respond.choose(FOR_BROWSERS if respond.prefers_html() else FOR_MACHINES, format_names=())
    except NotAcceptable:
        return TEXT


def _json(payload: object) -> str:
    return json.dumps(payload, ensure_ascii=False) + "\n"


def init_app(app: Flask) -> None:
    """Register the handlers that turn every error into the one shape."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        status = error.code or 500
        response = error_response(status, error.description or HTTP_STATUS_CODES.get(status, ""))
        if status == 405 and error.response is None:
            valid = getattr(error, "valid_methods", None)
            if valid:
                response.headers["Allow"] = ", ".join(valid)
        return response

    @app.errorhandler(RemoteStoreError)
    def store_failed(error: RemoteStoreError) -> Response:
        log.error("answering %s %s: %s", request.method, request.path, error)
        what = "did not answer in time" if error.timed_out else "could not answer"
        return error_response(
            error.gateway_status, f"The SPARQL server holding the data {what}; try again in a moment."
        )

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("unexpected error answering %s %s", request.method, request.path)
        return error_response(500, InternalServerError.description)
