"""The home page (the dataset, its figures, the policy fields, the event series) and the latest dumps."""

from __future__ import annotations

import json
import logging

from flask import Blueprint, abort, render_template, request, send_from_directory
from werkzeug.wrappers import Response

from publisher.catalog import Publication
from publisher.formats import HTML
from publisher.integrity import DamagedReleaseError
from publisher.releases import RELEASE_ID, Release, check_release_file, load_release
from publisher.settings import Settings
from publisher.store.queries import Queries
from publisher.uris import UriScheme
from publisher.web import current, respond
from publisher.web.fields import field_tree
from publisher.web.kept import kept
from publisher.web.publication import publication_for
from publisher.web.release import store_of

DUMP_FILES = {  # file name -> Content-Type it is served with
    "data.ttl": "text/turtle",
    "data.ttl.gz": "application/gzip",
    "data.nt.gz": "application/gzip",
    "data.jsonld": "application/ld+json",
    "data.jsonld.gz": "application/gzip",
}
DUMP_CONTENT = {  # file name -> media type of the RDF inside (a .gz file is sent as application/gzip)
    "data.ttl": "text/turtle",
    "data.ttl.gz": "text/turtle",
    "data.nt.gz": "application/n-triples",
    "data.jsonld": "application/ld+json",
    "data.jsonld.gz": "application/ld+json",
}
log = logging.getLogger(__name__)


def event_series(release: Release) -> list[dict[str, str]]:
    """The release's event series with their number of events, asked once per release."""
    query = Queries.of(current.settings().base).event_series
    return kept("event-series", release, lambda: store_of(release).select(query))


bp = Blueprint("home", __name__)


@bp.get("/")
def home() -> Response:
    settings, release, urls = current.settings(), current.release(), current.urls()
    language = respond.language()
    html = render_template(
        "home.html",
        lang=language,
        release=release,
        dumps=DUMP_FILES,
        inner=DUMP_CONTENT,
        tree=field_tree(release, urls, language),
        series=[{**s, "href": urls.local(s["series"])} for s in event_series(release)],
        json_ld=json.dumps(
            _dataset(settings, release, publication_for(settings, release)), ensure_ascii=False
        ).replace("</", "<\\/"),
    )
    return respond.respond(html, HTML, vary=("Accept-Language",))


@bp.get("/dumps/latest/<name>")
def latest_dump(name: str) -> Response:
    return _dump(current.release(), name, respond.RELEASE)


@bp.get("/dumps/<release_id>/<name>")
def release_dump(release_id: str, name: str) -> Response:
    releases = current.settings().releases_dir
    if not RELEASE_ID.fullmatch(release_id) or not (releases / release_id).is_dir():
        abort(404, description=f"There is no release {release_id!r}.")
    try:
        release = load_release(releases, release_id)
    except DamagedReleaseError as error:
        log.error("%s", error)
        abort(503, description=f"Release {release_id} is damaged: {error.damage[0]}.")
    return _dump(release, name, respond.FOREVER)


def _dump(release: Release, name: str, caching: respond.Caching) -> Response:
    """A dump file (werkzeug answers Range requests and conditional GETs) or its SHA-256 as text.

    The file's size is checked against the manifest on every request (one ``stat``): a damaged dump is
    never sent, least of all with the immutable cache header of ``/dumps/{release}/``.
    """
    files = release.files
    if f"dumps/{name.removesuffix('.sha256')}" not in files:
        abort(404, description=f"There is no dump called {name!r} in release {release.id}.")
    if name.endswith(".sha256") and name[: -len(".sha256")] in DUMP_FILES:
        file = name[: -len(".sha256")]
        digest = files[f"dumps/{file}"].sha256
        response = Response(f"{digest}  {file}\n", content_type="text/plain; charset=utf-8")
        response.set_etag(digest + "-sha256")
        response = response.make_conditional(request)
    elif name in DUMP_FILES:
        _ensure_whole(release, f"dumps/{name}")
        digest = files[f"dumps/{name}"].sha256
        response = send_from_directory(release.folder / "dumps", name, mimetype=DUMP_FILES[name], etag=digest)
    else:
        abort(404, description=f"There is no dump called {name!r}.")
    response.headers["Cache-Control"] = caching.header
    return response


def _ensure_whole(release: Release, file: str) -> None:
    """Check the file's size against the manifest; 503 naming the damage when it differs."""
    damage = check_release_file(release, file)
    if damage is not None:
        log.error("not serving %s of release %s (%s): %s", file, release.id, release.folder, damage)
        abort(503, description=f"Release {release.id} is damaged: {damage}. The file is not served.")


def _dataset(settings: Settings, release: Release, publication: Publication) -> dict[str, object]:
    """schema.org Dataset for search engines, pointing to the dumps."""
    uris = UriScheme(settings.base)
    described = publication.description
    found: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": str(uris.dataset),
        "name": described.title["de"],
        "alternateName": described.title["en"],
        "description": described.full_description("de"),
        "keywords": list(described.keywords.get("de", ())),
        "url": str(uris.dataset),
        "inLanguage": ["de", "en"],
        "license": publication.licence,
        "version": release.id,
        "dateModified": release.built,
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": media,
                "contentUrl": str(uris.dump("latest", n)),
            }
            for n, media in DUMP_FILES.items()
            if f"dumps/{n}" in release.files
        ],
    }
    if described.spatial is not None:
        found["spatialCoverage"] = described.spatial.label["de"]
    return found
