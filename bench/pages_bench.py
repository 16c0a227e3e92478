"""Throughput of documents about things against a bare Flask route, both under the same gunicorn setup.

    python bench/pages_bench.py [--data DIR] [--duration 15] [--connections 16]

Measures with wrk (Debian package `wrk`) on 127.0.0.1: the bare route (fixed bytes of the same size as the
Turtle document), the Turtle document of one initiative, and its HTML page. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.server import free_port, wait_until_up  # noqa: E402


def gunicorn(
    app: str, env: dict[str, str], workers: int, threads: int
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--workers", str(workers), "--threads", str(threads),
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app,
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT / "bench", env={**os.environ, **env})
    return process, f"http://127.0.0.1:{port}"


def wrk(url: str, seconds: int, connections: int, accept: str) -> float:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-H", f"Accept: {accept}", url],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    ).stdout  # fmt: skip
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} failed responses")
    return float(match.group(1)) if match else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--thing", default="initiative/photonics-bw")
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--document-cache", default="4096", help="CLUSTERLOD_DOCUMENT_CACHE for our server")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="clusterlod-pages-"))
    releases = work / "releases"
    subprocess.run(
        [sys.executable, "-m", "publisher", "build", "--data", str(args.data), "--releases", str(releases)],
        check=True, capture_output=True, timeout=1800,
    )  # fmt: skip
    env = {
        "CLUSTERLOD_RELEASES_DIR": str(releases),
        "CLUSTERLOD_DOCUMENT_CACHE": args.document_cache,
        # one client floods us here: the budget is still counted on every request, but never runs out
        "CLUSTERLOD_READ_RATE_LIMIT": "1000000/second",
    }
    ours, ours_url = gunicorn(
        "publisher.web.wsgi:create_app_from_environment()", env, args.workers, args.threads
    )
    bare = None
    try:
        wait_until_up(ours_url + "/sparql", ours)
        turtle_url = f"{ours_url}/doc/{args.thing}.ttl"
        body = requests.get(turtle_url, timeout=30).content
        (work / "body.ttl").write_bytes(body)
        bare, bare_url = gunicorn(
            "bare_app:create_bare_app()",
            {"BARE_BODY_FILE": str(work / "body.ttl")},
            args.workers,
            args.threads,
        )
        wait_until_up(bare_url + "/bare", bare)
        html_url = f"{ours_url}/doc/{args.thing}.html"
        for url in (bare_url + "/bare", turtle_url, html_url):  # warm up
            wrk(url, 2, args.connections, "*/*")
        results = {
            "bare Flask route": wrk(bare_url + "/bare", args.duration, args.connections, "text/turtle"),
            "Turtle document": wrk(turtle_url, args.duration, args.connections, "text/turtle"),
            "HTML page": wrk(html_url, args.duration, args.connections, "text/html"),
        }
        time.sleep(0.5)
    finally:
        for process in (ours, bare):
            if process is not None:
                process.terminate()
                process.wait(timeout=20)
    baseline = results["bare Flask route"]
    print(f"gunicorn --workers {args.workers} --threads {args.threads}; wrk -c{args.connections} "
          f"-d{args.duration}s; {len(body)} bytes of Turtle for {args.thing}; "
          f"document cache {args.document_cache}")  # fmt: skip
    print("| route | requests/s | share of bare route |")
    print("|---|---:|---:|")
    for name, rate in results.items():
        print(f"| {name} | {rate:,.0f} | {rate / baseline:.0%} |")


if __name__ == "__main__":
    main()
