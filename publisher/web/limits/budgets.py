"""Request budgets per client, counted with the ``limits`` library: one for the query services, one for the
rest.

Each budget has its own scope, so a client's SPARQL requests never spend its budget for pages and the other
way round. Requests that match no route count as reads (a scan of unknown addresses is no free lunch); static
files are exempt, and so is a health check, which monitors call often. Beyond a budget the answer is 429 in
the one error shape with ``Retry-After``, the seconds until the budget allows the next request.

Counted in one ``before_request`` hook straight on ``limits`` (the storages and window strategies
Flask-Limiter is built on) rather than through Flask-Limiter: its per-request resolution of decorated,
default and application limits cost 0.3 ms a request, more than answering a cached document
(docs/benchmarks.md); two sliding-window counts cost 0.013 ms.
"""

from __future__ import annotations

import logging
import math
import threading
import time

from flask import Flask, request
from limits import RateLimitItem, parse_many
from limits.errors import ConfigurationError
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter
from werkzeug.wrappers import Response

from publisher.errors import SettingsError
from publisher.settings import Settings
from publisher.web.errors import error_response
from publisher.web.limits.clients import client_key, runs_queries

log = logging.getLogger(__name__)

EXEMPT_ENDPOINTS = frozenset({"static", "health.health"})
"""Endpoints no budget applies to: the site's own CSS and scripts, and the health check."""

READS = "reads"
QUERIES = "queries"
WHAT = {READS: "requests for pages, documents and files", QUERIES: "SPARQL and reconciliation requests"}

RETRY_STORAGE_SECONDS = 30
"""How long budgets are counted in memory after the shared storage failed, before it is tried again."""


class Budgets:
    """Each client's budgets of reads and queries, counted in the configured storage, and in this process's
    memory while that storage is unreachable (logged once per outage)."""

    def __init__(self, settings: Settings) -> None:
        self.limits: dict[str, list[RateLimitItem]] = {
            READS: parse_many(settings.read_rate_limit) if settings.read_rate_limit else [],
            QUERIES: parse_many(settings.query_rate_limit) if settings.query_rate_limit else [],
        }
        storage = storage_from_string(settings.rate_limit_storage)
        if not isinstance(storage, Storage):  # an asyncio storage (async+redis://...): not for a WSGI server
            raise ConfigurationError("asynchronous storages cannot count a WSGI server's requests")
        self.storage = storage
        self.counted = SlidingWindowCounterRateLimiter(self.storage)
        self.in_memory = SlidingWindowCounterRateLimiter(MemoryStorage())
        self.storage_failed_at: float | None = None
        self.lock = threading.Lock()

    def spend(self, scope: str, client: str) -> tuple[RateLimitItem, float] | None:
        """Count one request of ``client`` against the budgets of ``scope``; the limit it is over and when
        that limit allows the next request (a Unix time), or None within budget."""
        counter = self._counter()
        for limit in self.limits[scope]:
            try:
                allowed = counter.hit(limit, scope, client)
            except Exception as error:  # any storage failure: count in memory meanwhile
                counter = self._storage_failed(error)
                allowed = counter.hit(limit, scope, client)
            if not allowed:
                return limit, counter.get_window_stats(limit, scope, client).reset_time
        return None

    def _counter(self) -> SlidingWindowCounterRateLimiter:
        failed_at = self.storage_failed_at
        if failed_at is None:
            return self.counted
        if time.monotonic() - failed_at < RETRY_STORAGE_SECONDS:
            return self.in_memory
        with self.lock:  # one request tries the storage again; the others count in memory meanwhile
            if self.storage_failed_at != failed_at:
                return self.in_memory
            self.storage_failed_at = time.monotonic()
        if not self._reachable():
            return self.in_memory
        log.warning("Rate limit storage reachable again: budgets are shared again")
        self.storage_failed_at = None
        return self.counted

    def _reachable(self) -> bool:
        try:
            return bool(self.storage.check())
        except Exception:  # a storage that cannot even be asked is not reachable
            return False

    def _storage_failed(self, error: Exception) -> SlidingWindowCounterRateLimiter:
        with self.lock:
            if self.storage_failed_at is None:
                log.warning("Rate limit storage unreachable (%s): counting in this process meanwhile", error)
            self.storage_failed_at = time.monotonic()
        return self.in_memory


def init_app(app: Flask, settings: Settings) -> None:
    """Count each client's requests against the budget of their kind; answer 429 beyond it."""
    try:
        budgets = Budgets(settings)
    except ConfigurationError as error:
        raise SettingsError(f"rate_limit_storage {settings.rate_limit_storage!r}: {error}") from None
    if not budgets.limits[READS] and not budgets.limits[QUERIES]:
        return

    @app.before_request
    def spend_budget() -> Response | None:
        if request.endpoint in EXEMPT_ENDPOINTS:
            return None
        scope = QUERIES if runs_queries() else READS
        over = budgets.spend(scope, client_key())
        if over is None:
            return None
        limit, reset_at = over
        retry = max(1, math.ceil(reset_at - time.time()))
        message = f"This client has used its budget of {WHAT[scope]} ({limit}); try again in {retry} s."
        return error_response(429, message, {"Retry-After": str(retry)})
