"""Prepare a release before a process serves it: everything a process derives from a release is made here.

A release never changes, so what is made from it is made once per process and kept (``kept``, whose values
a forked gunicorn worker inherits from the master, unlike the store's own memory of answers): the facets
and the field tree, the search and reconciliation indexes, VoID, both DCAT-AP.de profiles, the whole list
of each type (its pages are slices), the sitemap, the calendar of all events, the home page's event series
and the linking page's example. The release keeper (``publisher.web.release``) calls ``prepare`` before a
process takes a release, at its start and, in a thread of its own, when ``current`` moves on; so no
request waits for any of it. A value made from a release belongs in this list.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from flask import Flask

from publisher.catalog.profiles import PROFILES
from publisher.releases import Release
from publisher.settings import Settings
from publisher.web import calendar, catalog, discovery, home, linking, lists, names, reconcile, void
from publisher.web.context import context_of
from publisher.web.facets import facets_of
from publisher.web.fields import field_tree
from publisher.web.respond import LANGUAGES
from publisher.web.urls import Urls

log = logging.getLogger(__name__)

SLOWEST_LOGGED = 4


def prepare(settings: Settings, release: Release) -> None:
    """Make everything the process derives from ``release``, for ``settings`` (needs an app context); log
    the steps that took longest (at 1M triples the whole takes about a minute)."""
    base = settings.base
    steps: list[tuple[str, Callable[[], object]]] = [
        ("facets", lambda: facets_of(release, base)),
        ("field tree", lambda: [field_tree(release, Urls.of(base), language) for language in LANGUAGES]),
        ("search index", lambda: names.index_of(release, base)),
        ("reconciliation index", lambda: reconcile.index_of(release, base)),
        ("VoID", lambda: void.void_of(settings, release)),
        ("catalog", lambda: [catalog.catalog_of(settings, release, p) for p in PROFILES.values()]),
        ("lists", lambda: [lists.listing_of(release, base, type_word) for type_word in lists.LIST_CLASSES]),
        ("sitemap", lambda: discovery.pages_of(release, base)),
        ("calendar", lambda: calendar.events_calendar(release, settings)),
        ("event series", lambda: home.event_series(release)),
        ("linking example", lambda: linking.example_of(release, base)),
        ("JSON-LD context", lambda: context_of(settings, release)),
    ]
    seconds: dict[str, float] = {}
    for name, make in steps:
        started = time.monotonic()
        make()
        seconds[name] = time.monotonic() - started
    slowest = sorted(seconds.items(), key=lambda item: -item[1])[:SLOWEST_LOGGED]
    took = ", ".join(f"{name} {spent:.1f} s" for name, spent in slowest)
    log.info("preparing %s took longest: %s", release.id, took)


def preparer(app: Flask) -> Callable[[Release], None]:
    """``prepare`` for the app's settings, run in the app's context (from whatever thread calls it)."""

    def prepare_for_app(release: Release) -> None:
        with app.app_context():
            prepare(app.config["SETTINGS"], release)

    return prepare_for_app
