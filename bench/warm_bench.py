"""Start and switch under load: how long the gunicorn recipe takes to start, how fast each route answers its
first request, and what clients meet while `clusterlod release --activate` switches releases.

    python bench/generate.py --triples 300000 --out /tmp/syn300k
    clusterlod build --data /tmp/syn300k --releases /tmp/syn300k-rel   # twice: two releases
    python bench/warm_bench.py --releases /tmp/syn300k-rel [--workers 4 --clients 20]

127.0.0.1 only; the load is bounded in time (``--switch-timeout``) and count (``--max-requests``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import requests

ROUTES = (
    "",
    "?lang=en",
    "search?q=Synthetische",
    'reconcile?queries={"q0":{"query":"Synthetische Initiative 12"}}',
    "doc/initiative/",
    "doc/event/",
    "sitemap.xml",
    "calendar/events.ics",
    ".well-known/void",
    "dataset",
    "linking",
    "releases",
    "doc/scheme/fields",
)
LIMITS = {"CLUSTERLOD_READ_RATE_LIMIT": "100000/second", "CLUSTERLOD_CLIENT_QUERIES": "0"}


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(releases: Path, workers: int, log: Path | None) -> tuple[subprocess.Popen[bytes], str, float]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERLOD_")}
    env |= {"CLUSTERLOD_RELEASES_DIR": str(releases), **LIMITS}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "-c", "python:publisher.web.gunicorn_conf", "--workers", str(workers)]
    command += ["--threads", "4", "--timeout", "600", "--bind", f"127.0.0.1:{port}"]
    command += ["publisher.web.wsgi:create_app_from_environment()"]
    started = time.monotonic()
    sink = log.open("wb") if log else subprocess.DEVNULL
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=sink)
    url = f"http://127.0.0.1:{port}/"
    while True:
        try:
            requests.get(url + "health", timeout=5)
            return process, url, time.monotonic() - started
        except requests.RequestException:  # not listening yet, or no worker has accepted yet
            if process.poll() is not None:
                raise SystemExit("gunicorn ended before it answered") from None
            time.sleep(0.2)


def _first_requests(url: str) -> None:
    for route in ROUTES:
        began = time.monotonic()
        status = requests.get(url + route, timeout=120).status_code
        print(f"  first {route[:40]:42s} {status} {time.monotonic() - began:6.3f} s")


def _activate(releases: Path, release_id: str, check: bool) -> None:
    command = [
        sys.executable,
        "-m",
        "publisher",
        "release",
        "--releases",
        str(releases),
        "--activate",
        release_id,
    ]
    subprocess.run(command, check=check, capture_output=True)


def _served(url: str) -> str:
    return str(requests.get(url + "health", timeout=30).json()["release"]["id"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--switch-timeout", type=float, default=900.0)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--log", type=Path, help="write gunicorn's log (and the server's) here")
    args = parser.parse_args()
    releases = sorted(p.name for p in args.releases.iterdir() if p.is_dir() and p.name[0].isdigit())
    current = os.readlink(args.releases / "current")
    other = next(r for r in releases if r != current)

    process, url, start_seconds = _start(args.releases, args.workers, args.log)
    try:
        print(f"gunicorn ({args.workers} workers) answered {start_seconds:.1f} s after its start")
        _first_requests(url)

        latencies: list[float] = []
        statuses: Counter[int | str] = Counter()
        done = threading.Event()

        def client(k: int) -> None:
            session = requests.Session()
            n = k
            while not done.is_set() and len(latencies) < args.max_requests:
                began = time.monotonic()
                try:
                    statuses[session.get(url + ROUTES[n % len(ROUTES)], timeout=60).status_code] += 1
                except requests.RequestException as error:  # counted by kind: no answer at all
                    statuses[type(error).__name__] += 1
                latencies.append(time.monotonic() - began)
                n += 1

        threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
        for thread in threads:
            thread.start()
        time.sleep(5)
        began = time.monotonic()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "publisher",
                "release",
                "--releases",
                str(args.releases),
                "--activate",
                other,
            ],
            check=True,
            capture_output=True,
        )
        # every worker must serve the new release: ask until several answers in a row name it
        in_a_row = 0
        while in_a_row < 4 * args.workers and time.monotonic() - began < args.switch_timeout:
            in_a_row = in_a_row + 1 if _served(url) == other else 0
            time.sleep(0.25)
        switch_seconds = time.monotonic() - began
        time.sleep(5)
        done.set()
        for thread in threads:
            thread.join()
        print("each route once more after the switch, the clients stopped:")
        _first_requests(url)
        ordered = sorted(latencies)
        print(f"switch to {other}: every worker served it {switch_seconds:.1f} s after --activate")
        print(f"  during the run: {len(latencies)} requests, statuses {dict(statuses)}")
        print(
            f"  latency median {statistics.median(ordered):.3f} s, "
            f"p95 {ordered[int(0.95 * len(ordered))]:.3f} s, max {ordered[-1]:.3f} s"
        )
    finally:
        process.terminate()
        process.wait(timeout=60)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "publisher",
                "release",
                "--releases",
                str(args.releases),
                "--activate",
                current,
            ],
            check=False,
            capture_output=True,
        )


if __name__ == "__main__":
    main()
