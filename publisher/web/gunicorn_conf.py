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

# Each worker makes the app and prepares the current release (publisher.web.warm) before it accepts a
# connection. The app is not preloaded in the master: a store the master had opened would be inherited by
# the workers, and RocksDB does not survive a fork (workers aborted with SIGABRT and SIGSEGV in the middle of
# a release switch). Preparing takes time (about 20 s per worker at 300,000 triples, more when several
# prepare at once), so a worker gets longer than gunicorn's default 30 s before it is taken for hung; with
# the gthread worker the heartbeat does not wait for requests, so this only delays noticing a hung process.
timeout = 300
