"""The router's own redirects (a missing trailing slash, doubled slashes) without the request's ``Host``.

Werkzeug answers them with 308 and a Location built from the ``Host`` header, which a client chooses. Here
the Location is the path and query alone (as the 303 from a thing to its document), so the answer cannot
name another site, works behind any proxy, and a shared cache keyed on the address stores nothing spoofed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, redirect, request
from werkzeug.routing import RequestRedirect
from werkzeug.wrappers import Response


def init_app(app: Flask) -> None:
    @app.before_request
    def _path_only_redirect() -> Response | None:
        wanted = request.routing_exception
        if not isinstance(wanted, RequestRedirect):
            return None
        target = urlsplit(wanted.new_url)
        location = "/" + target.path.lstrip("/") + (f"?{target.query}" if target.query else "")
        return redirect(location, wanted.code)
