"""The baseline for the page benchmark: a bare Flask route that returns fixed bytes, under the same server."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response

BODY = os.environ.get("BARE_BODY_FILE")


def create_bare_app() -> Flask:
    app = Flask(__name__)
    body = Path(BODY).read_bytes() if BODY else b"@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n"

    @app.get("/bare")
    def bare() -> Response:
        return Response(body, content_type="text/turtle; charset=utf-8")

    return app
