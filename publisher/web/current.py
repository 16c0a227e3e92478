"""What a view answers from, per request (Flask's ``get_db`` pattern): the settings, the release, its
store and the URL builder. Views ask here and never for each other.

``release()`` is decided once per request by the release keeper (publisher.web.release); 503 naming the
problem when there is nothing to serve.
"""

from __future__ import annotations

from flask import current_app

from publisher.releases import Release
from publisher.settings import Settings
from publisher.store import Store
from publisher.web.release import current_or_503, store_of
from publisher.web.urls import Urls

URLS = "clusterlod.urls"


def settings() -> Settings:
    found: Settings = current_app.config["SETTINGS"]
    return found


def urls() -> Urls:
    found: Urls = current_app.extensions[URLS]
    return found


def release() -> Release:
    """The release this request is answered from."""
    return current_or_503()


def store() -> Store:
    """The store of the release this request is answered from."""
    return store_of(current_or_503())
