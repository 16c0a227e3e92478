"""The WSGI entry point for production servers.

    gunicorn -c python:publisher.web.gunicorn_conf --workers 4 \\
        'publisher.web.wsgi:create_app_from_environment()'

Settings come from ``clusterlod.toml`` (or ``CLUSTERLOD_CONFIG``) and ``CLUSTERLOD_*`` variables, as for
the CLI; ``publisher.web.gunicorn_conf`` holds gunicorn's own settings. Each gunicorn worker process starts
its own query workers on first use. Without a base set, the current release is served under the base it was
built with; a base set to another one is refused (``publisher.web.served_base``).
"""

from __future__ import annotations

from flask import Flask

from publisher.settings import load_settings, where_set
from publisher.web import create_app
from publisher.web.served_base import for_serving


def create_app_from_environment() -> Flask:
    return create_app(for_serving(load_settings(), where_set("base")))
