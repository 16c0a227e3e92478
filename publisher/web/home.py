"""The home page and the latest dumps."""

from __future__ import annotations

from flask import Flask, abort, render_template, send_from_directory
from werkzeug.wrappers import Response

from publisher.settings import Settings
from publisher.web.release import current_or_503, prefix_of

DUMP_FILES = {
    "data.ttl": "text/turtle; charset=utf-8",
    "data.nt.gz": "application/gzip",
    "data.jsonld": "application/ld+json",
}


def init_app(app: Flask, settings: Settings) -> None:
    prefix = prefix_of(settings)

    @app.get(f"{prefix}/")
    def home() -> str:
        return render_template("home.html", release=current_or_503(), dumps=DUMP_FILES)

    @app.get(f"{prefix}/dumps/latest/<name>")
    def dump(name: str) -> Response:
        if name not in DUMP_FILES:
            abort(404, description=f"There is no dump called {name!r}.")
        folder = current_or_503().folder / "dumps"
        response = send_from_directory(folder, name, mimetype=DUMP_FILES[name])
        response.headers["Cache-Control"] = "public, max-age=300"
        return response
