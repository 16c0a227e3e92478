"""One error shape, negotiated by the responder: the HTML page for browsers, JSON for clients that ask for it,
plain text for every other client; never a 406 for the error itself, never kept by a cache."""

from __future__ import annotations

import json

import pytest
from flask.testing import FlaskClient

from publisher.settings import Settings
from publisher.web import create_app

MISSING = "/no/such/page"
MESSAGE = "The requested URL was not found on the server."
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    """A site with nothing built: every path but the few it always serves is a 404."""
    return create_app(Settings(releases_dir=tmp_path_factory.mktemp("errors") / "releases")).test_client()


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (BROWSER, "text/html"),
        ("text/html", "text/html"),
        ("application/json", "application/json"),
        ("application/json, text/html;q=0.5", "application/json"),
        ("text/plain", "text/plain"),
        ("*/*", "text/plain"),
        (None, "text/plain"),  # no Accept at all
        ("text/html, */*", "text/plain"),  # text/html no better than text/plain: not a browser
        ("text/turtle", "text/plain"),  # nothing offered is acceptable: still no 406
        ("image/png;q=1, */*;q=0", "text/plain"),
    ],
)
def test_an_error_takes_the_form_the_client_prefers(
    client: FlaskClient, accept: str | None, media_type: str
) -> None:
    answer = client.get(MISSING, headers={} if accept is None else {"Accept": accept})
    assert answer.status_code == 404
    assert answer.mimetype == media_type
    assert answer.headers["Cache-Control"] == "no-store"
    body = answer.get_data(as_text=True)
    if media_type == "application/json":
        error = json.loads(body)["error"]
        assert (error["status"], error["title"]) == (404, "Not Found")
        assert error["message"].startswith(MESSAGE)
    elif media_type == "text/html":
        assert "<h1>404 Not Found</h1>" in body
        assert MESSAGE in body
    else:
        assert body.startswith(f"404 Not Found: {MESSAGE}")


def test_format_names_the_failed_answer_s_form_not_the_error_s(client: FlaskClient) -> None:
    answer = client.get(f"{MISSING}?format=json", headers={"Accept": "text/plain"})
    assert answer.status_code == 404
    assert answer.mimetype == "text/plain"
