"""Request budgets per client, counted by Flask-Limiter: one for the query services, one for the rest.

Each budget is a Flask-Limiter application limit with its own scope, so a client's SPARQL requests never
spend its budget for pages and the other way round. Requests that match no route count as reads (a scan of
unknown addresses is no free lunch); static files are exempt, and so is a health check, which monitors call
often. Beyond a budget the answer is 429 in the one error shape with ``Retry-After``, the seconds until the
budget allows the next request.
"""

from __future__ import annotations

import logging
import math
import time

from flask import Flask, request
from flask_limiter import ApplicationLimit, Limiter, RateLimitExceeded
from limits.errors import ConfigurationError
from werkzeug.wrappers import Response

from publisher.errors import SettingsError
from publisher.settings import Settings
from publisher.web.errors import error_response
from publisher.web.limits.clients import client_key, runs_queries

EXEMPT_ENDPOINTS = frozenset({"static", "health.health"})
"""Endpoints no budget applies to: the site's own CSS and scripts, and the health check."""

READS = "reads"
QUERIES = "queries"
WHAT = {READS: "requests for pages, documents and files", QUERIES: "SPARQL and reconciliation requests"}


def init_app(app: Flask, settings: Settings) -> None:
    """Count each client's requests against the budget of their kind; answer 429 beyond it."""
    groups = [
        ApplicationLimit(
            settings.read_rate_limit, scope=READS, exempt_when=runs_queries, error_message=WHAT[READS]
        ),
        ApplicationLimit(
            settings.query_rate_limit,
            scope=QUERIES,
            exempt_when=lambda: not runs_queries(),
            error_message=WHAT[QUERIES],
        ),
    ]
    try:
        limiter = _limiter(app, settings, groups)
    except ConfigurationError as error:
        raise SettingsError(f"rate_limit_storage {settings.rate_limit_storage!r}: {error}") from None
    limiter.request_filter(lambda: request.endpoint in EXEMPT_ENDPOINTS)

    @app.errorhandler(RateLimitExceeded)
    def too_many(error: RateLimitExceeded) -> Response:
        breached = limiter.current_limit
        retry = 1
        if breached is not None:
            retry = max(1, math.ceil(breached.reset_at - time.time()))
        message = (
            f"This client has used its budget of {error.description} ({error.limit.limit}); "
            f"try again in {retry} s."
        )
        return error_response(429, message, {"Retry-After": str(retry)})


def _limiter(app: Flask, settings: Settings, groups: list[ApplicationLimit]) -> Limiter:
    """Flask-Limiter counting ``groups`` in the configured storage, in memory while that is unreachable.

    No X-RateLimit headers: they would go on every answer, cacheable ones included, and Flask-Limiter
    would also stretch the pool's ``Retry-After: 1`` to the end of the budget's window. Its log says
    "ratelimit … exceeded" at INFO for every 429, which the access log already shows: only its warnings
    (an unreachable storage) are kept.
    """
    logging.getLogger("flask-limiter").setLevel(logging.WARNING)
    return Limiter(
        client_key,
        app=app,
        application_limits=[group for group in groups if group.limit_provider],
        strategy="sliding-window-counter",
        storage_uri=settings.rate_limit_storage,
        in_memory_fallback_enabled=True,
        headers_enabled=False,
        request_identifier=lambda: request.endpoint or "unrouted",
    )
