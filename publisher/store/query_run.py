"""Run a checked query on a release's embedded Oxigraph store and write its answer (``results``).

This is the engine's side of the query worker (``publisher.sparql.worker``), which calls ``run_job`` in a
confined process that can be killed at the query's time limit.
"""

from __future__ import annotations

import pyoxigraph as ox

from publisher.store.describe import OXIGRAPH_FORMATS
from publisher.store.query_job import Job, Outcome
from publisher.store.results import Written, write_boolean, write_graph, write_solutions


class ReleaseStores:
    """The store of the release last queried, kept open; a job that names another release opens that one."""

    def __init__(self) -> None:
        self.folder = ""
        self.store: ox.Store | None = None

    def get(self, folder: str) -> ox.Store:
        if self.store is None or folder != self.folder:
            self.store = None  # close the previous release's store before opening the next
            self.store = ox.Store.read_only(folder)
            self.folder = folder
        return self.store


def run_job(job: Job, stores: ReleaseStores) -> Outcome:
    """Run ``job`` on the store of its release: the written answer, or the engine's syntax error."""
    if job.syntax_only:
        return _syntax_of(job)
    store = stores.get(job.store_folder)
    try:
        result = store.query(
            job.query,
            base_iri=job.base_iri,
            default_graph=[ox.NamedNode(g) for g in job.default_graphs] or None,
            named_graphs=[ox.NamedNode(g) for g in job.named_graphs] or None,
        )
    except SyntaxError as error:
        return Outcome("syntax", message=str(error))
    written = _write(result, job)
    return Outcome("ok", written.body, written.truncated, written.rows)


def _syntax_of(job: Job) -> Outcome:
    """The engine's own wording of the query's syntax error: "syntax" with it, or "ok" when it has none.

    The engine has no call that only parses, so the query runs on an empty store: in a confined worker,
    where it can reach nothing and its time is limited, whatever it asks for.
    """
    try:
        ox.Store().query(job.query, base_iri=job.base_iri)
    except SyntaxError as error:
        return Outcome("syntax", message=str(error))
    except Exception:  # noqa: S110 - it parsed; what running it on nothing did is of no interest
        pass
    return Outcome("ok")


def _write(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, job: Job) -> Written:
    if isinstance(result, ox.QueryBoolean):
        return write_boolean(bool(result), job.format_name)
    if isinstance(result, ox.QuerySolutions):
        return write_solutions(result, job.format_name, job.max_rows)
    if job.format_name not in OXIGRAPH_FORMATS:
        raise ValueError(f"{job.format_name} cannot carry a graph")
    return write_graph(result, job.format_name, job.max_rows, job.prefixes)
