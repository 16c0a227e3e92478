"""Run queries in worker processes that can be stopped: the time limit kills the worker, not the server.

The pool holds a fixed number of workers, which is also the number of queries that run at once. A query
that finds no free worker within ``queue_timeout`` is refused (the web layer answers 503 with Retry-After).
Workers start on first use, so a forking server (gunicorn) gets its own workers in each process.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import queue
from multiprocessing.process import BaseProcess

from publisher.sparql.worker import Job, Outcome, serve_jobs

log = logging.getLogger(__name__)


class PoolBusyError(Exception):
    """Every worker is busy and none became free in time."""


class QueryTimeoutError(Exception):
    """The query ran past its time limit; its worker was killed."""


class WorkerDiedError(Exception):
    """The worker process ended while running the query (for example, out of memory)."""


class _Worker:
    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process: BaseProcess = context.Process(target=serve_jobs, args=(child,), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()

    def stop(self) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            self.connection.send(None)
        self.process.join(timeout=2)
        if self.process.is_alive():
            self.kill()


class QueryPool:
    """A fixed set of query workers; ``run`` hands a job to a free one and waits for its outcome."""

    def __init__(self, size: int, queue_timeout: float) -> None:
        self.size = size
        self.queue_timeout = queue_timeout
        self._slots: queue.Queue[_Worker | None] = queue.Queue()
        for _ in range(size):
            self._slots.put(None)

    def run(self, job: Job, timeout: float) -> Outcome:
        try:
            slot = self._slots.get(timeout=self.queue_timeout)
        except queue.Empty:
            raise PoolBusyError from None
        try:
            worker = slot or _Worker()
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
            return outcome
        except (EOFError, BrokenPipeError, ConnectionResetError) as error:
            raise WorkerDiedError(str(error) or "the query worker ended unexpectedly") from error
        finally:
            if healthy:
                self._slots.put(worker)
            else:
                worker.kill()
                self._slots.put(None)  # a fresh worker starts on next use

    def close(self) -> None:
        while True:
            try:
                worker = self._slots.get_nowait()
            except queue.Empty:
                return
            if worker is not None:
                worker.stop()
