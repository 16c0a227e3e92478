"""Run queries in worker processes that can be stopped: the time limit kills the worker, not the server.

The pool holds a fixed number of workers, which is also the number of queries that run at once. A query
that finds no free worker within ``queue_timeout`` is refused (the web layer answers 503 with Retry-After).
Workers start on first use, so a forking server (gunicorn) gets its own workers in each process. They are
started from one spawner thread per process, which lives as long as the process: a worker dies with the
thread that started it (``publisher.sandbox.die_with_parent``), and so with its server process, even when
that process is killed with SIGKILL.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.process import BaseProcess

from publisher.sparql.worker import NICENESS, READY, Confinement, serve_jobs
from publisher.store.query_job import Job, Outcome

log = logging.getLogger(__name__)
WORKER_START_TIMEOUT = 60.0  # seconds for a new worker to import its modules and confine itself


class PoolBusyError(Exception):
    """Every worker is busy and none became free in time."""


class QueryTimeoutError(Exception):
    """The query ran past its time limit; its worker was killed."""


class QueryMemoryError(Exception):
    """The query needed more memory than a worker may use; the worker ended or gave up the query."""


class WorkerDiedError(Exception):
    """The worker process ended while running the query, for a reason other than its memory cap."""


class WorkerStartError(Exception):
    """A new worker could not be started or could not confine itself; no query runs unconfined."""


class _Worker:
    def __init__(self, confinement: Confinement) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=serve_jobs, args=(child, os.getpid(), confinement), daemon=True
        )
        self.process.start()
        child.close()
        try:
            if not self.connection.poll(WORKER_START_TIMEOUT):
                raise WorkerStartError("the query worker did not report ready in time")
            report = self.connection.recv()
        except (EOFError, OSError) as error:
            self.kill()
            raise WorkerStartError(f"the query worker ended while starting: {error}") from error
        except WorkerStartError:
            self.kill()
            raise
        if report != READY:
            self.kill()
            raise WorkerStartError(f"the query worker could not confine itself: {report}")

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()

    def ended_out_of_memory(self) -> bool:
        """Whether the process ended as the query engine ends when an allocation fails (SIGABRT)."""
        self.process.join(timeout=1)
        return self.process.exitcode == -signal.SIGABRT

    def stop(self) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            self.connection.send(None)
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.kill()


class _Spawner:
    """One long-lived thread per process that starts the workers (see the module's docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid = 0
        self._executor: ThreadPoolExecutor | None = None

    def start(self, confinement: Confinement) -> _Worker:
        with self._lock:
            if self._executor is None or self._pid != os.getpid():  # none yet, or we are a forked child
                self._executor = ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="query-worker-spawner", initializer=_yield_the_cpu
                )
                self._pid = os.getpid()
            executor = self._executor
        return executor.submit(_Worker, confinement).result()


def _yield_the_cpu() -> None:
    """Lower the spawner thread's priority (on Linux a thread's own): the workers it starts inherit it from
    their first instruction, so even their start (importing the engine) yields to the server's threads."""
    os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICENESS)


_SPAWNER = _Spawner()


class QueryPool:
    """A fixed set of query workers; ``run`` hands a job to a free one and waits for its outcome."""

    def __init__(self, size: int, queue_timeout: float, confinement: Confinement) -> None:
        self.size = size
        self.queue_timeout = queue_timeout
        self.confinement = confinement
        self._slots: queue.Queue[_Worker | None] = queue.Queue()
        for _ in range(size):
            self._slots.put(None)

    def run(self, job: Job, timeout: float) -> Outcome:
        try:
            slot = self._slots.get(timeout=self.queue_timeout)
        except queue.Empty:
            raise PoolBusyError from None
        try:
            worker = slot or _SPAWNER.start(self.confinement)
        except BaseException:
            self._slots.put(None)  # the slot stays usable; the next query tries to start a worker again
            raise
        healthy = False
        try:
            worker.connection.send(job)
            if not worker.connection.poll(timeout):
                raise QueryTimeoutError
            outcome: Outcome = worker.connection.recv()
            healthy = True
        except (EOFError, BrokenPipeError, ConnectionResetError) as error:
            if worker.ended_out_of_memory():
                raise QueryMemoryError from error
            raise WorkerDiedError(str(error) or "the query worker ended unexpectedly") from error
        finally:
            if healthy:
                self._slots.put(worker)
            else:
                worker.kill()
                self._slots.put(None)  # a fresh worker starts on next use
        if outcome.kind == "memory":
            raise QueryMemoryError
        return outcome

    def close(self) -> None:
        while True:
            try:
                worker = self._slots.get_nowait()
            except queue.Empty:
                return
            if worker is not None:
                worker.stop()
