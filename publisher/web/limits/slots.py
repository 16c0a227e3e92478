"""A cap on the queries one client runs at once, held across every server process on the machine.

A client's slots are small files in a run folder; a running query holds an exclusive ``flock`` on one of
them. The kernel keeps the count, so the cap holds across gunicorn's worker processes, and a lock vanishes
with the process holding it (a killed worker never leaks a slot). The files are named by a hash bucket of
the client key, so the folder never holds more than ``BUCKETS * client_queries`` files; two clients in one
bucket share a cap, which at a few hundred querying clients at once happens rarely and only makes them wait
for each other.

A query beyond its client's cap waits for a slot, polling, while the client's running queries are young:
it is answered 503 with ``Retry-After`` (like a full pool) as soon as every one of them has held its slot
longer than ``patience`` (``queue_timeout``), and after ``queue_timeout + query_timeout`` at the most (the
longest a query can hold a slot: waiting for a worker, then running). So several quick queries sent at once
are answered one after another, while a client whose slots are taken by slow or runaway queries is refused
at once, and its extra queries do not sit in server threads that other clients' requests need. A slot
file's modification time is when its holder took it.

Not 429: the client spent no budget; like a full pool's, the answer says that no worker is free for it
now, and it may retry in a second (the query budget bounds how often).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import stat
import tempfile
import time
from pathlib import Path

from flask import Flask, g, request
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.wrappers import Response

from publisher.errors import SettingsError
from publisher.settings import Settings
from publisher.web.errors import error_response
from publisher.web.limits.clients import client_key, runs_queries

BUCKETS = 4096
"""Hash buckets clients are sorted into; each has ``client_queries`` slot files."""

POLL = 0.02
"""Seconds between two looks for a free slot while a query waits."""


class ClientSlots:
    """``per_client`` slots per client key in ``folder``; ``take`` returns a held slot or None in time."""

    def __init__(self, folder: Path, per_client: int) -> None:
        self.folder = folder
        self.per_client = per_client

    def take(self, key: str, patience: float, wait: float) -> int | None:
        """An open descriptor holding one of the client's slots, or None.

        None when every slot has been held longer than ``patience``, or none came free within ``wait``.
        """
        bucket = int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") % BUCKETS
        paths = [self.folder / f"{bucket:04x}-{index}" for index in range(self.per_client)]
        deadline = time.monotonic() + wait
        while True:
            for path in paths:
                held = self._try(path)
                if held is not None:
                    os.utime(held)  # taken now: a waiter reads the holder's age from here
                    return held
            now = time.time()
            if time.monotonic() >= deadline or all(now - self._taken(path) > patience for path in paths):
                return None
            time.sleep(POLL)

    @staticmethod
    def _taken(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except FileNotFoundError:  # not created yet: a slot that was never held is free
            return time.time()

    def _try(self, path: Path) -> int | None:
        flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC
        try:
            descriptor = os.open(path, flags, 0o600)
        except FileNotFoundError:  # the folder is made on first use, and again if a cleaner removed it
            make_folder(self.folder)
            descriptor = os.open(path, flags, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            return None
        return descriptor

    @staticmethod
    def give_back(descriptor: int) -> None:
        """Release a slot (closing the descriptor drops its lock)."""
        os.close(descriptor)


def run_folder(settings: Settings) -> Path:
    """The folder of slot files: ``run_dir``, or one per user and releases folder in the temporary folder.

    Every process serving the same releases folder as the same user shares it. It is made when the first
    query comes (a server that answers none leaves nothing behind); one that exists already is checked at
    once, so a wrong one stops the server at start.
    """
    if settings.run_dir:
        folder = Path(settings.run_dir)
    else:
        releases = str(settings.releases_dir.resolve())
        digest = hashlib.sha256(releases.encode()).hexdigest()[:12]
        folder = Path(tempfile.gettempdir()) / f"clusterlod-{os.getuid()}-{digest}"
    if folder.exists() or folder.is_symlink():
        make_folder(folder)
    return folder


def make_folder(folder: Path) -> None:
    """Make (or check) the folder of slot files: ours, and writable by no one else, or another local user
    could hold our clients' slots."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
        raise SettingsError(
            f"run folder {folder} must be a folder owned by this user and writable by no one else"
        )


def init_app(app: Flask, settings: Settings) -> None:
    """Hold a slot of the client's around every request to a query service; 503 when none is free."""
    if not settings.client_queries:
        return
    slots = ClientSlots(run_folder(settings), settings.client_queries)

    @app.before_request
    def take_slot() -> None:
        if not _runs_a_query():
            return
        patience = settings.queue_timeout
        held = slots.take(client_key(), patience, settings.queue_timeout + settings.query_timeout)
        if held is None:
            raise _Busy(settings.client_queries)
        g.query_slot = held

    @app.teardown_request
    def give_slot(_: BaseException | None) -> None:
        held = g.pop("query_slot", None)
        if held is not None:
            slots.give_back(held)

    @app.errorhandler(_Busy)
    def busy(error: _Busy) -> Response:
        return error_response(503, error.description or "", {"Retry-After": "1"})


def _runs_a_query() -> bool:
    """A request to a query service that carries a query (not a preflight, the service description, the
    query page or the reconciliation manifest)."""
    if not runs_queries() or request.method == "OPTIONS":
        return False
    return request.method == "POST" or bool(request.args)


class _Busy(ServiceUnavailable):
    def __init__(self, cap: int) -> None:
        super().__init__(
            f"The server is busy for this client: it already runs {cap} "
            f"{'query' if cap == 1 else 'queries'} at once, the most one client may; "
            "try again when one has finished."
        )
