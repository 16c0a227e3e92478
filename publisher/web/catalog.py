"""The DCAT-AP.de description at ``{base}dataset``: RDF for portals that harvest it, a page for people.

Two profiles (publisher.catalog): DCAT-AP.de 3.0 by default; 2.0 with ``?profile=2.0`` or an
``Accept-Profile`` header naming the profile's IRI (W3C Content Negotiation by Profile). The response names
its profile in ``Content-Profile`` and links the other formats and profiles.
"""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask, current_app, render_template, request
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
from publisher.formats import GRAPH_FORMATS, HTML, Format, serialize_graph
from publisher.release import Release
from publisher.settings import Settings
from publisher.web.kept import kept
from publisher.web.negotiate import alternate_links, page_format, page_language
from publisher.web.publication import publication_for
from publisher.web.release import conditional, current_or_503, prefix_of, store_of

PROFILE_IRI = re.compile(r"<([^>]+)>")


def init_app(app: Flask, settings: Settings) -> None:
    app.add_url_rule(f"{prefix_of(settings)}/dataset", "dataset", dataset)
    app.add_url_rule(f"{prefix_of(settings)}/dataset.<suffix>", "dataset_suffixed", dataset)


def dataset(suffix: str = "") -> Response:
    """RDF for a harvester: ``*/*`` (python-requests' default, which CKAN's DCAT harvester sends) gets Turtle;
    a browser, which names text/html, gets the page."""
    settings: Settings = current_app.config["SETTINGS"]
    release = current_or_503()
    profile = requested_profile()
    fmt = page_format(suffix, machine=True)
    if fmt is HTML:
        body = _page(settings, release)
    else:
        body = serialize_graph(catalog_of(settings, release, profile), fmt)
    response = Response(body, content_type=fmt.content_type)
    response.headers["Vary"] = "Accept, Accept-Profile, Accept-Language"
    response.headers["Content-Profile"] = f"<{profile.iri}>"
    response.headers["Content-Location"] = f"{prefix_of(settings)}/dataset.{fmt.suffix}{_query_of(profile)}"
    response.headers["Link"] = ", ".join([*_alternates(settings, fmt), f'<{profile.iri}>; rel="profile"'])
    return conditional(response)


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
        return catalog_graph(publication_for(settings, release), release.manifest, coverage, profile)

    return kept(f"catalog-{profile.key}", release, build, scope=settings)


def _coverage_of(settings: Settings, release: Release) -> Coverage:
    """The period the release's manifest records; asked of the store for releases made before it did."""
    recorded = release.manifest.get("coverage")
    if recorded:
        return Coverage(dt.date.fromisoformat(recorded["start"]), dt.date.fromisoformat(recorded["end"]))
    query = coverage_query(settings.base)
    return kept("coverage", release, lambda: coverage_of(store_of(release).select(query)), settings.base)


def _alternates(settings: Settings, current: Format) -> list[str]:
    """Every format of every profile, so a harvester finds the 2.0 description from the 3.0 one."""
    return alternate_links(
        current,
        (
            (f"{settings.base}dataset.{fmt.suffix}{_query_of(profile)}", fmt, profile.iri)
            for profile in PROFILES.values()
            for fmt in GRAPH_FORMATS
        ),
    )


def _query_of(profile: Profile) -> str:
    return "" if profile.key == DEFAULT_PROFILE else f"?profile={profile.key}"


def _page(settings: Settings, release: Release) -> str:
    language = page_language()
    publication = publication_for(settings, release)
    manifest = release.manifest
    dumps = [
        {
            "name": name.removeprefix("dumps/"),
            "kind": DUMP_KINDS[name.removeprefix("dumps/")],
            "bytes": facts["bytes"],
            "sha256": facts["sha256"],
            "href": f"{prefix_of(settings)}/dumps/{release.id}/{name.removeprefix('dumps/')}",
        }
        for name, facts in sorted(manifest["files"].items())
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
