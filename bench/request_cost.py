"""The cost of one request in the process: our documents against a bare Flask route, through Flask's test
client (no socket, no server), so that the load of a shared machine weighs less than under wrk.

    python bench/request_cost.py [--data data] [--rate-limit ""] [--requests 1000] [--rounds 5]

Builds the data into a temporary releases folder, then times the bare route, the Turtle document and the
HTML page of one initiative (best of ``--rounds`` rounds of ``--requests`` requests each, cached documents).
``--rate-limit``: CLUSTERLOD_READ_RATE_LIMIT (empty: none; "1000000/second": counted, never refusing).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from flask import Flask, Response
from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publisher.settings import load_settings  # noqa: E402
from publisher.web import create_app  # noqa: E402


def best_of(client: FlaskClient, url: str, accept: str, requests: int, rounds: int) -> float:
    """The fastest round's milliseconds per request."""
    client.get(url, headers={"Accept": accept})
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(requests):
            client.get(url, headers={"Accept": accept})
        best = min(best, (time.perf_counter() - started) / requests * 1000)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--thing", default="initiative/photonics-bw")
    parser.add_argument("--rate-limit", default="", help="CLUSTERLOD_READ_RATE_LIMIT (default: none)")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    releases = Path(tempfile.mkdtemp(prefix="clusterlod-cost-")) / "releases"
    subprocess.run(
        [sys.executable, "-m", "publisher", "build", "--data", str(args.data), "--releases", str(releases)],
        check=True, capture_output=True, timeout=1800,
    )  # fmt: skip
    settings = load_settings(
        environ={"CLUSTERLOD_RELEASES_DIR": str(releases), "CLUSTERLOD_READ_RATE_LIMIT": args.rate_limit}
    )
    ours = create_app(settings).test_client()
    document = f"/doc/{args.thing}"
    body = ours.get(f"{document}.ttl").data
    bare = Flask("bare")
    bare.add_url_rule("/bare", "bare", lambda: Response(body, content_type="text/turtle"))
    timed = {
        "bare Flask route": best_of(bare.test_client(), "/bare", "text/turtle", args.requests, args.rounds),
        "Turtle document": best_of(ours, f"{document}.ttl", "text/turtle", args.requests, args.rounds),
        "HTML page": best_of(ours, f"{document}.html", "text/html", args.requests, args.rounds),
    }
    print(f"rate limit: {args.rate_limit or 'none'}; best of {args.rounds} x {args.requests} requests")
    print("| route | ms per request | share of bare route |\n|---|---:|---:|")
    for name, milliseconds in timed.items():
        print(f"| {name} | {milliseconds:.3f} | {timed['bare Flask route'] / milliseconds:.0%} |")


if __name__ == "__main__":
    main()
