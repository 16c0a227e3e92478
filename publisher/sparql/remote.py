"""Limits on queries the web layer sends to an external SPARQL server: how many at once, and what a query may
not ask of the server.

The query has passed the guard, whose SPARQL 1.1 parser reads a server's own extensions of SPARQL
(Virtuoso's ``DEFINE input:default-graph-uri``, which would override the graph we name) as syntax errors;
``calls_sql_functions`` refuses IRIs of Virtuoso's SQL functions (``bif:``, ``sql:``) among the IRIs the
guard found. Nothing of the client's query runs in this process: ``publisher.store.forward`` sends it to the
server and writes the answer. The concurrency limit is the worker pool's: at most ``query_workers`` queries
at once, the rest wait ``queue_timeout`` seconds and are then refused.
"""

from __future__ import annotations

import threading

from publisher.sparql.pool import PoolBusyError, QueryTimeoutError
from publisher.store.forward import forward
from publisher.store.query_job import Job, Outcome
from publisher.store.remote import RemoteStore, RemoteStoreError

# Virtuoso's schemes for built-in SQL functions and stored procedures (IRIs are compared lower-cased)
SQL_SCHEMES = ("bif:", "sql:")
SQL_FUNCTIONS_REFUSED = (
    "IRIs in the bif: and sql: schemes (the SPARQL server's SQL functions) are not accepted."
)


class RemoteQueries:
    """Run clients' queries on the external server, at most ``size`` at once."""

    def __init__(self, size: int, queue_timeout: float) -> None:
        self._slots = threading.BoundedSemaphore(size)
        self.queue_timeout = queue_timeout

    def run(self, store: RemoteStore, job: Job, timeout: float) -> Outcome:
        """The written answer; raises PoolBusyError, QueryTimeoutError or RemoteStoreError."""
        if not self._slots.acquire(timeout=self.queue_timeout):
            raise PoolBusyError
        try:
            return forward(store, job, timeout)
        except RemoteStoreError as error:
            if error.timed_out:  # answered as the embedded store's time limit is
                raise QueryTimeoutError from error
            raise
        finally:
            self._slots.release()


def calls_sql_functions(iris: frozenset[str]) -> bool:
    """Whether any of the query's IRIs (as the guard's parse found them) names one of the server's SQL
    functions."""
    return any(iri.lower().startswith(SQL_SCHEMES) for iri in iris)
