"""The DCAT-AP.de description at ``{base}dataset``: RDF for portals that harvest it, a page for people.

Two profiles (publisher.catalog): DCAT-AP.de 3.0 by default; 2.0 with ``?profile=2.0`` or an
``Accept-Profile`` header naming the profile's IRI (W3C Content Negotiation by Profile). The response names
its profile in ``Content-Profile`` and links the other formats and profiles.
"""

from __future__ import annotations

import re

from flask import Blueprint, render_template, request
from rdflib import Graph
from werkzeug.exceptions import NotAcceptable
from werkzeug.wrappers import Response

from publisher.catalog import (
    DEFAULT_PROFILE,
    DUMP_KINDS,
    PROFILES,
    Coverage,
    Profile,
    catalog_graph,
    coverage_of,
    coverage_query,
)
from publisher.formats import GRAPH_FORMATS
from publisher.releases import Release
from publisher.settings import Settings
from publisher.web import current, respond
from publisher.web.kept import kept
from publisher.web.publication import publication_for
from publisher.web.release import store_of

PROFILE_IRI = re.compile(r"<([^>]+)>")


bp = Blueprint("catalog", __name__)


@bp.get("/dataset")
@bp.get("/dataset.<suffix>")
def dataset(suffix: str = "") -> Response:
    """RDF for a harvester: ``*/*`` (python-requests' default, which CKAN's DCAT harvester sends) gets Turtle;
    a browser, which names text/html, gets the page."""
    settings, release, urls = current.settings(), current.release(), current.urls()
    profile = requested_profile()
    query = {} if profile.key == DEFAULT_PROFILE else {"profile": profile.key}
    fmt = respond.choose(respond.MACHINE_FORMATS, suffix)
    return respond.represent(
        page=lambda: _page(settings, release),
        graph=lambda: catalog_of(settings, release, profile),
        machine=True,
        suffix=suffix,
        alternates=[  # every format of every profile, so a harvester finds 2.0 from 3.0
            (urls.path("dataset", f, _query_of(p)), f, p.iri)
            for p in PROFILES.values()
            for f in GRAPH_FORMATS
        ],
        links=[f'<{profile.iri}>; rel="profile"'],
        vary=("Accept", "Accept-Profile", "Accept-Language"),
        headers={
            "Content-Profile": f"<{profile.iri}>",
            "Content-Location": urls.path("dataset", fmt, query),
        },
    )


def requested_profile() -> Profile:
    """``?profile=`` (a key such as 2.0 or a profile IRI), then ``Accept-Profile``; the default otherwise."""
    asked = request.args.get("profile")
    if asked is not None:
        found = _profile_named(asked.strip())
        if found is None:
            offered = ", ".join(f"{p.key} ({p.iri})" for p in PROFILES.values())
            raise NotAcceptable(f"profile={asked} is not offered; offered: {offered}.")
        return found
    for iri in PROFILE_IRI.findall(request.headers.get("Accept-Profile", "")):
        found = _profile_named(iri)
        if found is not None:
            return found
    return PROFILES[DEFAULT_PROFILE]


def _profile_named(name: str) -> Profile | None:
    for profile in PROFILES.values():
        if name in (profile.key, profile.iri, f"dcat-ap-de-{profile.key}"):
            return profile
    return None


def catalog_of(settings: Settings, release: Release, profile: Profile) -> Graph:
    """The release's DCAT-AP.de description in ``profile``, made once per release."""

    def build() -> Graph:
        coverage = _coverage_of(settings, release)
        return catalog_graph(publication_for(settings, release), release, coverage, profile)

    return kept(f"catalog-{profile.key}", release, build, scope=settings)


def _coverage_of(settings: Settings, release: Release) -> Coverage:
    """The period the release's manifest records; asked of the store for releases made before it did."""
    if release.coverage is not None:
        return Coverage(*release.coverage)
    query = coverage_query(settings.base)
    return kept("coverage", release, lambda: coverage_of(store_of(release).select(query)), settings.base)


def _query_of(profile: Profile) -> dict[str, str]:
    return {} if profile.key == DEFAULT_PROFILE else {"profile": profile.key}


def _page(settings: Settings, release: Release) -> str:
    language = respond.language()
    publication = publication_for(settings, release)
    dumps = [
        {
            "name": name.removeprefix("dumps/"),
            "kind": DUMP_KINDS[name.removeprefix("dumps/")],
            "bytes": facts.bytes,
            "sha256": facts.sha256,
            "href": current.urls().dump(release.id, name.removeprefix("dumps/")),
        }
        for name, facts in sorted(release.files.items())
        if name.startswith("dumps/") and name.removeprefix("dumps/") in DUMP_KINDS
    ]
    return render_template(
        "dataset.html",
        lang=language,
        publication=publication,
        release=release,
        coverage=_coverage_of(settings, release),
        dumps=dumps,
        profiles=PROFILES.values(),
        default_profile=DEFAULT_PROFILE,
        formats=GRAPH_FORMATS,
    )
