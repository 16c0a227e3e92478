"""The query worker: a separate process that runs one query at a time against a release's store.

A worker can be killed at any moment (a query past its time limit) without harming the server. It keeps the
store of the release it last served open, and opens the new one when a job names another release; running
the query and writing its answer is the store's part (``publisher.store.query_run``). Before it takes a job
it confines itself (``publisher.sandbox``): it dies with the server process that started it, it cannot open
a network connection unless SERVICE calls are allowed, its memory is capped, and it runs at a lower CPU
priority than the server. It reports ``READY`` once confined, or why it could not be.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from multiprocessing.connection import Connection

from publisher import sandbox
from publisher.store.query_job import Outcome
from publisher.store.query_run import ReleaseStores, run_job

READY = "ready"
NICENESS = 10  # queries yield the CPU to the server's threads: pages stay quick beside runaway queries


@dataclass(frozen=True)
class Confinement:
    """What a worker may do: reach the network (only when SERVICE calls are allowed), and its memory cap."""

    network: bool
    memory_bytes: int


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
    stores = ReleaseStores()
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
