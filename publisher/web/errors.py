"""One error shape for every response: HTML for browsers, JSON or plain text for machines.

Library errors become HTTP statuses here; only the outermost handler catches everything, logs the
traceback once and answers 500.
"""

from __future__ import annotations

import json
import logging

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Response

from publisher.store import RemoteStoreError

log = logging.getLogger(__name__)

ERROR_MEDIA_TYPES = ["text/plain", "application/json", "text/html"]


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """The one error body: ``{"error": {"status", "title", "message"}}`` as JSON, text or an HTML page."""
    title = HTTP_STATUS_CODES.get(status, "Error")
    preferred = request.accept_mimetypes.best_match(ERROR_MEDIA_TYPES, default="text/plain")
    if (
        preferred == "text/html"
        and request.accept_mimetypes["text/html"] > request.accept_mimetypes["text/plain"]
    ):
        body = render_template("error.html", status=status, title=title, message=message)
        response = Response(body, status, mimetype="text/html")
    elif preferred == "application/json":
        payload = {"error": {"status": status, "title": title, "message": message}}
        response = Response(_json(payload), status, mimetype="application/json")
    else:
        response = Response(f"{status} {title}: {message}\n", status, mimetype="text/plain")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    response.headers["Cache-Control"] = "no-store"
    return response


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
