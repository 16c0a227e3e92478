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


def prepare(settings: Settings, release: Release) -> None:
    """Make everything the process derives from ``release``, for ``settings`` (needs an app context)."""
    base = settings.base
    facets_of(release, base)
    for language in LANGUAGES:
        field_tree(release, Urls.of(base), language)
    names.index_of(release, base)
    reconcile.index_of(release, base)
    void.void_of(settings, release)
    for profile in PROFILES.values():
        catalog.catalog_of(settings, release, profile)
    for type_word in lists.LIST_CLASSES:
        lists.listing_of(release, base, type_word)
    discovery.pages_of(release, base)
    calendar.events_calendar(release, settings)
    home.event_series(release)
    linking.example_of(release, base)
    context_of(settings, release)


def preparer(app: Flask) -> Callable[[Release], None]:
    """``prepare`` for the app's settings, run in the app's context (from whatever thread calls it)."""

    def prepare_for_app(release: Release) -> None:
        with app.app_context():
            prepare(app.config["SETTINGS"], release)

    return prepare_for_app
