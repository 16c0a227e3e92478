"""gunicorn's settings for the production recipe (README, "Production"):

    gunicorn -c python:publisher.web.gunicorn_conf --workers 4 --threads 4 --bind 0.0.0.0:8080 \\
        'publisher.web.wsgi:create_app_from_environment()'

The request line. gunicorn refuses a line over 4,094 bytes by default with its own HTML 400 (no CORS, not
our error shape), and caps ``limit_request_line`` at 8,190 bytes (``MAX_REQUEST_LINE``), far below the
``max_request_bytes`` (256 KiB) a SPARQL query may take by GET. Its other choice, 0, reads a line of any
length, at a cost that grows with the square of it (a 10 MB line held a worker thread for 17.6 s). So the
cap is raised to twice ``max_request_bytes``: a query string up to ``max_request_bytes`` reaches the
publisher, one up to twice that gets the publisher's 414, and only a longer line gets gunicorn's 400.

Header fields keep gunicorn's limits (8,190 bytes each, 100 fields): no client of ours needs more.
"""

from gunicorn.http import message

from publisher.settings import load_settings

if not isinstance(getattr(message, "MAX_REQUEST_LINE", None), int):  # pragma: no cover - a gunicorn upgrade
    raise RuntimeError(
        "gunicorn no longer has http.message.MAX_REQUEST_LINE: revisit publisher.web.gunicorn_conf"
    )

limit_request_line = 2 * load_settings().max_request_bytes
message.MAX_REQUEST_LINE = max(message.MAX_REQUEST_LINE, limit_request_line + 1)

# The app is made once, in gunicorn's master, before it forks its workers: the master prepares the current
# release (publisher.web.warm) once and the workers share what it made, instead of each preparing it again
# at its start (60 s of CPU per worker at 300,000 triples). The master listens only once the app is made,
# so no client waits for a worker that is still preparing.
preload_app = True


def post_fork(server: object, worker: object) -> None:
    """A worker opens the release's store itself: a store handle must not cross a fork."""
    from publisher.web.release import forget_stores

    forget_stores()
