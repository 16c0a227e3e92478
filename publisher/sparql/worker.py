"""The query worker: a separate process that runs one query at a time against a release's store.

A worker can be killed at any moment (a query past its time limit) without harming the server. It keeps the
store of the release it last served open, and opens the new one when a job names another release. Before it
takes a job it confines itself (``publisher.sandbox``): it dies with the server process that started it, it
cannot open a network connection unless SERVICE calls are allowed, its memory is capped, and it runs at a
lower CPU priority than the server. It reports ``READY`` once confined, or why it could not be.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

import pyoxigraph as ox

from publisher import sandbox
from publisher.store.describe import OXIGRAPH_FORMATS
from publisher.store.results import (
    Written,
    write_boolean,
    write_graph,
    write_solutions,
)


@dataclass(frozen=True)
class Job:
    """One query to run: everything the worker needs, picklable."""

    store_folder: str
    query: str
    base_iri: str
    format_name: str  # a name from publisher.formats
    max_rows: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    prefixes: dict[str, str] = field(default_factory=dict)
    syntax_only: bool = False  # only tell the engine's syntax error, if any (``store_folder`` is unused)


READY = "ready"
NICENESS = 10  # queries yield the CPU to the server's threads: pages stay quick beside runaway queries


@dataclass(frozen=True)
class Confinement:
    """What a worker may do: reach the network (only when SERVICE calls are allowed), and its memory cap."""

    network: bool
    memory_bytes: int


@dataclass(frozen=True)
class Outcome:
    """What came of a job: a written result, or the query's syntax error, or running out of memory, or another
    error."""

    kind: str  # "ok", "syntax", "memory" or "error"
    body: bytes = b""
    truncated: bool = False
    rows: int = 0
    message: str = ""


class _Stores:
    def __init__(self) -> None:
        self.folder = ""
        self.store: ox.Store | None = None

    def get(self, folder: str) -> ox.Store:
        if self.store is None or folder != self.folder:
            self.store = None  # close the previous release's store before opening the next
            self.store = ox.Store.read_only(folder)
            self.folder = folder
        return self.store


def run_job(job: Job, stores: _Stores) -> Outcome:
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


def serve_jobs(connection: Connection, parent_pid: int, confinement: Confinement) -> None:
    """The worker's main loop: confine the process, then answer each job sent on ``connection`` until it
    sends None."""
    try:
        sandbox.die_with_parent(parent_pid)
        if not confinement.network:
            sandbox.close_network()
        sandbox.cap_memory(confinement.memory_bytes)
        os.setpriority(os.PRIO_PROCESS, 0, NICENESS)  # as started (publisher.sparql.pool), or set now
    except (sandbox.ConfinementError, OSError) as error:
        connection.send(str(error))
        return
    connection.send(READY)
    stores = _Stores()
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        try:
            outcome = run_job(job, stores)
        except MemoryError:
            outcome = Outcome("memory")
        except Exception as error:  # reported to the server, which logs it and answers 500
            outcome = Outcome("error", message=f"{type(error).__name__}: {error}")
        connection.send(outcome)
