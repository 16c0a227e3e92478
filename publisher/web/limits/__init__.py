"""Rate limits and fairness: what one client may ask of the server.

Two budgets per client, counted with the ``limits`` library (``budgets``): one for the query services
(``{base}sparql``, ``{base}reconcile``), one for every other request (static files and the health check are
free); beyond a budget the answer is 429 with ``Retry-After``. Beside them a cap on the queries one client
runs at once (``slots``): a query beyond it waits for one of the client's own queries to end while those are
young, and is answered 503 like a full pool once they have all run a while, so one client never holds more
query workers than its cap however many it sends, quick parallel queries become serial rather than refused,
and runaway ones do not pile up in server threads.

A client (``clients``) is the address of the socket, or, behind ``trusted_proxies`` reverse proxies, the
address the outermost of them saw (werkzeug's ProxyFix reads ``X-Forwarded-For``); IPv6 clients by /64.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from publisher.settings import Settings
from publisher.web.limits import budgets, slots


def init_app(app: Flask, settings: Settings) -> None:
    """Trust the configured proxies, count the budgets and cap each client's running queries."""
    if settings.trusted_proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies)  # type: ignore[method-assign]
    budgets.init_app(app, settings)
    slots.init_app(app, settings)
