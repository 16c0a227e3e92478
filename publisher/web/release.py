"""The release a request is answered from, and the few paths every view needs.

A process takes a release only after checking its files against the manifest (publisher.integrity: sizes,
one ``stat`` each). A damaged current release, or one built with another base than the process answers
under (``publisher.web.served_base``), is refused with a log line naming the file and the problem;
meanwhile the process keeps serving the last good release it served (each answer then carries
``X-Release-Fallback``), or answers 503 naming the problem when it has none. A refused release is checked
again on the next request, so a repaired one is taken without a restart.

Before a process serves a release it prepares it (``prepare``, given by ``publisher.web.warm``): everything
it derives from the release is made then. When ``current`` moves on, the process goes on serving the
release it has while one thread checks and prepares the new one, and switches when that is done; a process
with nothing to serve yet (at its start) takes the release at once. So the first request after a start or a
switch is as fast as any other.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import Flask, abort, current_app, g
from werkzeug.wrappers import Response

from publisher.integrity import Damage, DamagedReleaseError, describe
from publisher.releases import Release, check_release, current_id, load_release
from publisher.settings import Settings
from publisher.store import EmbeddedStore, RemoteStore, Store
from publisher.store.graphstore import RemoteRecord, credentials_of, read_record
from publisher.store.remote import Credentials
from publisher.web.served_base import mismatch

log = logging.getLogger(__name__)

KEEPER = "clusterlod.releases"  # the app's ReleaseKeeper, in app.extensions
RECHECK_SECONDS = 1.0  # how often a refused release is checked again while another one is served
FALLBACK_HEADER = "X-Release-Fallback"


@dataclass(frozen=True)
class Served:
    """What a request is answered from: ``release`` (None: nothing to serve), the id ``current`` names, and
    why that one was refused (empty when ``release`` is it)."""

    release: Release | None
    current: str | None
    damage: tuple[Damage, ...] = ()

    @property
    def fallback(self) -> bool:
        return self.release is not None and bool(self.damage)


class ReleaseKeeper:
    """Which release this process serves; one per app, shared by its threads."""

    def __init__(
        self,
        releases: Path,
        remote: bool,
        prepare: Callable[[Release], None] | None = None,
        base: str | None = None,
    ) -> None:
        self._releases = releases
        self._base = base  # the base this process answers under: a release built with another is refused
        self._remote = remote  # an external SPARQL server answers: releases loaded there need no store/
        self.prepare = prepare  # makes what the process derives from a release, before it serves it
        self._lock = threading.Lock()
        self._good: dict[str, Release] = {}
        self._refused: dict[str, tuple[Damage, ...]] = {}
        self._checked_at: dict[str, float] = {}
        self._preparing: set[str] = set()
        self._last_good: Release | None = None

    def serve(self) -> Served:
        """Follow ``current`` (every request: a new release is picked up by the next one)."""
        release_id = current_id(self._releases)
        if release_id is None:
            gone = (Damage("the link `current`", "is missing"),)
            return Served(self._last_good, None, gone if self._last_good else ())
        good = self._good.get(release_id)
        if good is not None:
            self._last_good = good
            return Served(good, release_id)
        if self._last_good is not None:  # keep serving it while the new release is checked and prepared
            self._take_later(release_id)
            return Served(self._last_good, release_id, self._refused.get(release_id, ()))
        return self._take(release_id)

    def _take_later(self, release_id: str) -> None:
        """Check and prepare ``release_id`` in one thread of its own, unless one is at it already or it was
        refused less than RECHECK_SECONDS ago."""
        with self._lock:
            recent = time.monotonic() - self._checked_at.get(release_id, -RECHECK_SECONDS) < RECHECK_SECONDS
            if release_id in self._preparing or (release_id in self._refused and recent):
                return
            self._preparing.add(release_id)

        def take() -> None:
            try:
                self._take(release_id)
            except Exception:
                log.exception("could not take release %s", release_id)
            finally:
                with self._lock:
                    self._preparing.discard(release_id)

        threading.Thread(target=take, name=f"take-release-{release_id}", daemon=True).start()

    def _take(self, release_id: str) -> Served:
        """Check the release and prepare it, then serve it from now on; or refuse it."""
        if release_id in self._good:  # another thread took it meanwhile
            return Served(self._good[release_id], release_id)
        try:
            release = load_release(self._releases, release_id)
            damage = tuple(check_release(release, remote=self._remote))
        except DamagedReleaseError as error:
            damage = error.damage
        other_base = None if damage or self._base is None else mismatch(release, self._base)
        if other_base is not None:
            damage = (other_base,)
        if damage:
            return self._refuse(release_id, damage)
        if self.prepare is not None:
            started = time.monotonic()
            try:
                self.prepare(release)  # outside the lock: the release served so far goes on being served
                log.info("prepared release %s in %.1f s", release_id, time.monotonic() - started)
            except Exception as error:  # an external SPARQL server down: requests meet it and answer 502
                log.error("could not prepare release %s (made on first use instead): %s", release_id, error)
        with self._lock:
            self._good[release_id] = self._last_good = release
            self._refused.pop(release_id, None)
        log.info("took release %s: its files match the manifest", release_id)
        return Served(release, release_id)

    def _refuse(self, release_id: str, damage: tuple[Damage, ...]) -> Served:
        with self._lock:
            self._checked_at[release_id] = time.monotonic()
            if self._refused.get(release_id) != damage:  # log once per problem, not once per request
                self._refused[release_id] = damage
                log.error("refusing release %s in %s: %s", release_id, self._releases, describe(damage, 20))
                if self._last_good is not None:
                    log.warning("serving release %s, the last good one, meanwhile", self._last_good.id)
            return Served(self._last_good, release_id, damage)

    def recheck(self, release: Release) -> tuple[Damage, ...]:
        """Check a release taken earlier again (its files may have been damaged since); refuse it if so."""
        damage = tuple(check_release(release, remote=self._remote))
        if damage:
            with self._lock:
                if self._good.pop(release.id, None) is not None:
                    log.error("release %s was damaged after it was taken: %s", release.id, describe(damage))
                    self._last_good = next(reversed(self._good.values()), None)
                    self._refused[release.id] = damage
        return damage


def init_app(app: Flask, settings: Settings) -> None:
    """Give the app its release keeper and mark every answer served from a fallback release."""
    app.extensions[KEEPER] = ReleaseKeeper(
        settings.releases_dir, bool(settings.remote_query_url), base=settings.base
    )

    @app.after_request
    def mark_fallback(response: Response) -> Response:
        served: Served | None = g.get("served")
        if served is not None and served.fallback and served.release is not None:
            response.headers[FALLBACK_HEADER] = f"{served.release.id}; current={served.current or ''}"
        return response


def keeper() -> ReleaseKeeper:
    return keeper_of(current_app)


def keeper_of(app: Flask) -> ReleaseKeeper:
    found: ReleaseKeeper = app.extensions[KEEPER]
    return found


def served() -> Served:
    """What this request is answered from, decided once per request."""
    if "served" not in g:
        g.served = keeper().serve()
    result: Served = g.served
    return result


def current_or_503() -> Release:
    """The release this request is answered from; 503 naming the problem when there is none to serve."""
    answer = served()
    if answer.release is None:
        if answer.damage:
            abort(503, description=refusal(answer))
        abort(503, description="No release has been built yet: run `clusterlod build`.")
    return answer.release


def refusal(answer: Served) -> str:
    """Why the current release is not served, for clients (names files inside the release, no paths)."""
    return (
        f"The current release {answer.current} is damaged and not served: {describe(answer.damage)}. "
        "Make a good release current (`clusterlod release`, `clusterlod release --activate ID`)."
    )


def store_of(release: Release) -> Store:
    """The release's store: its graph on the external SPARQL server when the settings name one and the
    release was loaded there (it has ``remote.json``), else its embedded store, opened read-only once per
    process and release."""
    settings: Settings = current_app.config["SETTINGS"]
    if settings.remote_query_url:
        record = _record_of(release.folder)
        if record is not None:
            credentials = credentials_of(settings)
            return _remote_store(settings.remote_query_url, record.graph, settings.query_timeout, credentials)
    return _open_store(release.folder / "store")


def remote_of(release: Release) -> RemoteStore | None:
    """The release's graph on the external SPARQL server, or None when it is answered embedded."""
    store = store_of(release)
    return store if isinstance(store, RemoteStore) else None


@lru_cache(maxsize=8)
def _record_of(folder: Path) -> RemoteRecord | None:
    return read_record(folder)  # a release folder never changes


@lru_cache(maxsize=4)
def _remote_store(query_url: str, graph: str, timeout: float, credentials: Credentials | None) -> RemoteStore:
    return RemoteStore(query_url, graph, timeout, credentials)


@lru_cache(maxsize=2)
def _open_store(folder: Path) -> EmbeddedStore:
    return EmbeddedStore.open_read_only(folder)
