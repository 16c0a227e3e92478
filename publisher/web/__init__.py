"""Stage 5, serve: the Flask app that answers from the current release.

``create_app(settings)`` builds the app; nothing is read at import time. Each view module is a blueprint,
registered under the base's path; views take what they answer from (the release, its store, the URL
builder) from ``current`` and answer through ``respond``. ``errors`` gives every error one shape.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

from publisher.settings import Settings

CORS_EXPOSED = (
    "ETag, Link, Location, Content-Location, Memento-Datetime, Retry-After, X-Row-Limit, "
    "X-Row-Limit-Reached, X-Release-Fallback"
)


def create_app(settings: Settings) -> Flask:
    """Build the app for ``settings``."""
    from publisher.labels import name_label
    from publisher.web import (
        calendar,
        catalog,
        current,
        discovery,
        errors,
        feed,
        headers,
        health,
        home,
        hrefs,
        limits,
        linking,
        lists,
        memento,
        ontology,
        params,
        publication,
        reconcile,
        redirects,
        release,
        releases,
        resources,
        search,
        sparql,
        timegate,
        void,
        warm,
    )
    from publisher.web.urls import Urls

    urls = Urls.of(settings.base)
    app = Flask(__name__, static_url_path=f"{urls.prefix}/static")
    app.config["SETTINGS"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.extensions[current.URLS] = urls
    app.jinja_env.globals["prefix"] = urls.prefix
    app.jinja_env.filters["term"] = name_label  # {{ "schema:Event" | term(lang) }}: "Veranstaltung"
    errors.init_app(app)
    limits.init_app(app, settings)  # budgets and per-client query slots, before any other hook
    params.init_app(app, settings)
    redirects.init_app(app)
    headers.init_app(app)
    release.init_app(app, settings)  # the release keeper: which release this process serves
    hrefs.init_app(app)
    publication.init_app(app)  # the release's description, as ``site`` in every template
    views = (health, home, sparql, resources, lists, search, calendar, void, catalog, discovery)
    for view in (*views, linking, ontology, releases, reconcile, timegate, memento, feed):
        app.register_blueprint(view.bp, url_prefix=urls.prefix or None)
    app.after_request(_cors)
    keeper = release.keeper_of(app)
    keeper.prepare = warm.preparer(app)
    keeper.serve()  # take and prepare the current release now, before the process answers any request
    return app


def _cors(response: Response) -> Response:
    """Open for reading from any origin: portals query from the browser. Errors and preflights included."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSED
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        requested = request.headers.get("Access-Control-Request-Headers")
        response.headers["Access-Control-Allow-Headers"] = requested or "Accept, Content-Type, If-None-Match"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response
