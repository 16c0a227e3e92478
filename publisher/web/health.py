"""``{base}health``: the release this process serves, whether it passed its checks, and the store kind.

For load balancers and monitors. ``status`` is ``ok`` (200: the current release passed its checks),
``degraded`` (200: the current release is damaged and an earlier good one is served meanwhile: act now) or
``failing`` (503: nothing can be served). Each call checks the served release's files again (one ``stat``
per file), so damage done after a process took a release shows here at once.
"""

from __future__ import annotations

import json

from flask import Blueprint, g
from werkzeug.wrappers import Response

from publisher.store import RemoteStore
from publisher.web import respond
from publisher.web.release import Served, keeper, served, store_of

bp = Blueprint("health", __name__)


@bp.get("/health")
def health() -> Response:
    body = _health(_checked_again())
    text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    status = 503 if body["status"] == "failing" else 200
    return respond.respond(text, "application/json", status=status, caching=respond.NOT_KEPT, vary=())


def _checked_again() -> Served:
    """What this process serves, after checking the served release's files once more."""
    answer = served()
    if answer.release is not None and keeper().recheck(answer.release):
        g.pop("served")
        answer = served()  # refused now: an earlier good release, or none
    return answer


def _health(answer: Served) -> dict[str, object]:
    body: dict[str, object] = {"status": "failing", "release": None, "store": None}
    problems = [str(d) for d in answer.damage]
    if answer.release is None and not problems:
        problems.append("no release has been built yet")
    if answer.release is not None:
        release = answer.release
        body["release"] = {"id": release.id, "built": release.built, "checks": "passed"}
        try:
            store = store_of(release)
        except OSError as error:  # the engine could not open it although its files have their sizes
            problems.append(f"the store of release {release.id} cannot be opened: {error}")
        else:
            body["store"] = "remote" if isinstance(store, RemoteStore) else "embedded"
            body["status"] = "degraded" if answer.fallback else "ok"
    if problems:
        body["current"] = {"id": answer.current, "problems": problems}
    return body
