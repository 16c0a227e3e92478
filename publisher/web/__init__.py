"""Stage 5, serve: the Flask app that answers from the current release.

This first version serves the home page with the release's figures and the dumps; the SPARQL endpoint,
dereferenceable URIs and the catalog come with their own issues.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, render_template, send_from_directory
from werkzeug.wrappers import Response

from publisher.release import Release, current_release
from publisher.settings import Settings

DUMP_FILES = {
    "data.ttl": "text/turtle; charset=utf-8",
    "data.nt.gz": "application/gzip",
    "data.jsonld": "application/ld+json",
}


def create_app(settings: Settings) -> Flask:
    """Build the app for ``settings``; nothing is read at import time."""
    app = Flask(__name__)
    app.config["SETTINGS"] = settings
    prefix = urlsplit(settings.base).path.rstrip("/")

    def release() -> Release:
        found = current_release(settings.releases_dir)
        if found is None:
            abort(503, description="No release has been built yet: run `clusterlod build`.")
        return found

    @app.get(f"{prefix}/")
    def home() -> str:
        current = release()
        return render_template("home.html", release=current, dumps=DUMP_FILES, prefix=prefix)

    @app.get(f"{prefix}/dumps/latest/<name>")
    def dump(name: str) -> Response:
        if name not in DUMP_FILES:
            abort(404)
        response = send_from_directory(release().folder / "dumps", name, mimetype=DUMP_FILES[name])
        response.headers["Cache-Control"] = "public, max-age=300"
        return response

    return app
