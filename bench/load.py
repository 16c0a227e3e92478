"""A bounded load test: N clients browse and query for T seconds while K runaway clients send runaway queries.

    python bench/load.py --gunicorn [--clients 50] [--seconds 60] [--runaways 2] [--runaway-parallel 1]
                         [--env CLUSTERLOD_X=... ...] [--json out.json]
    python bench/load.py --url http://127.0.0.1:8080/ [--xff] [...]

With ``--gunicorn`` it builds the bundled data (``data/``) into a temporary releases folder with
``python -m publisher build`` and runs the README's gunicorn recipe (``-c python:publisher.web.gunicorn_conf
--workers 4 --threads 4``) on 127.0.0.1 at a free port, trusting one proxy (``CLUSTERLOD_TRUSTED_PROXIES=1``)
so that each simulated client can be its own address (``X-Forwarded-For: 10.x.y.z``) and meets its own
budgets, as clients behind a reverse proxy do. With ``--url`` it loads a running server (127.0.0.1 or
localhost only); ``--xff`` gives clients their own addresses there too (the server must trust one proxy).

Before measuring, one pass over the pages and queries warms each server process's caches (``--warm``
requests). Then each of the ``--clients`` clients (a thread with its own requests.Session) repeats: a page
(home, a list, a document in a random format, a search) or, one time in four, a cheap SPARQL query (COUNT,
ASK, a SELECT with LIMIT), then thinks ``--think`` seconds. Each runaway client keeps ``--runaway-parallel``
cartesian COUNT(*) queries in flight, each sent again as soon as it is answered. Every request has a
timeout (``--timeout``); a request that meets it counts as a timeout.

``--flood N`` first lets one client ask for the home page N times back to back (one address, one
connection) and counts the statuses.

Printed: per kind (page, sparql, runaway) the requests, their statuses, p50/p95/max latency of the answers
and the timeouts and connection errors; ``--json`` writes the same figures. The server is stopped at the
end, also on error or Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests

PROJECT = Path(__file__).resolve().parent.parent
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
CHEAP = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "ASK { ?s a <def/cluster#ClusterInitiative> }",  # relative IRIs resolve against {base}sparql
    "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 20",
]
FORMATS = ["text/html", "text/turtle", "application/ld+json", "application/n-triples"]
SEARCHES = ["cluster", "energie", "stuttgart", "bio", "netzwerk", "software"]


@dataclass
class Tally:
    """What one kind of request met: statuses, latencies of the answers, timeouts, connection errors."""

    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    timeouts: int = 0
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: int, seconds: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds)

    def summary(self) -> dict[str, object]:
        ordered = sorted(self.latencies)

        def at(share: float) -> float | None:
            return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 3) if ordered else None

        return {
            "requests": len(ordered) + self.timeouts + self.errors,
            "statuses": dict(sorted(self.statuses.items())),
            "p50_s": round(statistics.median(ordered), 3) if ordered else None,
            "p95_s": at(0.95),
            "max_s": round(ordered[-1], 3) if ordered else None,
            "timeouts": self.timeouts,
            "connection_errors": self.errors,
        }


class Load:
    """The clients and what they met."""

    def __init__(self, url: str, documents: list[str], args: argparse.Namespace) -> None:
        self.url = url
        self.documents = documents
        self.args = args
        self.tallies = {"page": Tally(), "sparql": Tally(), "runaway": Tally()}
        self.stop = threading.Event()

    def address(self, number: int) -> dict[str, str]:
        return {"X-Forwarded-For": f"10.{number // 62500}.{number // 250 % 250}.{number % 250 + 1}"}

    def request(self, session: requests.Session, kind: str, path: str, **kwargs: object) -> None:
        started = time.monotonic()
        try:
            answer = session.get(self.url + path, timeout=self.args.timeout, **kwargs)  # type: ignore[arg-type]
            answer.content  # noqa: B018 - read the whole body, as a client does
        except requests.Timeout:
            self.tallies[kind].timeouts += 1
            return
        except requests.ConnectionError:
            self.tallies[kind].errors += 1
            return
        self.tallies[kind].record(answer.status_code, time.monotonic() - started)

    def one_request(self, session: requests.Session, rng: random.Random, headers: dict[str, str]) -> None:
        if rng.random() < 0.25:
            query = rng.choice(CHEAP)
            accept = headers | {"Accept": "application/sparql-results+json"}
            self.request(session, "sparql", "sparql", params={"query": query}, headers=accept)
            return
        choice = rng.random()
        if choice < 0.1:
            self.request(session, "page", "", headers=headers | {"Accept": "text/html"})
        elif choice < 0.2:
            kind = rng.choice(["initiative", "organisation", "event", "place"])
            self.request(session, "page", f"doc/{kind}/", headers=headers | {"Accept": "text/html"})
        elif choice < 0.3:
            self.request(session, "page", "search", params={"q": rng.choice(SEARCHES)}, headers=headers)
        else:
            accept = headers | {"Accept": rng.choice(FORMATS)}
            self.request(session, "page", rng.choice(self.documents), headers=accept)

    def client(self, number: int) -> None:
        rng = random.Random(number)
        headers = self.address(number) if self.args.xff else {}
        with requests.Session() as session:
            time.sleep(rng.random() * self.args.think)  # spread the starts
            while not self.stop.is_set():
                self.one_request(session, rng, headers)
                self.stop.wait(self.args.think)

    def runaway(self, number: int) -> None:
        headers = (self.address(number) if self.args.xff else {}) | {"Accept": "application/json"}
        with requests.Session() as session:
            while not self.stop.is_set():
                self.request(session, "runaway", "sparql", params={"query": RUNAWAY}, headers=headers)

    def run(self) -> dict[str, dict[str, object]]:
        threads = [threading.Thread(target=self.client, args=(n,)) for n in range(self.args.clients)]
        first = self.args.clients + 1000
        threads += [
            threading.Thread(target=self.runaway, args=(first + n,))
            for n in range(self.args.runaways)
            for _ in range(self.args.runaway_parallel)
        ]
        for thread in threads:
            thread.start()
        self.stop.wait(self.args.seconds)
        self.stop.set()
        for thread in threads:
            thread.join(timeout=self.args.timeout + 5)
        return {kind: tally.summary() for kind, tally in self.tallies.items()}


def local_only(url: str) -> str:
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"bench/load.py loads only a server on this machine, not {host}")
    return url if url.endswith("/") else url + "/"


def documents_of(url: str) -> list[str]:
    """Paths of the documents the server has, from its sitemap (relative to the root)."""
    answer = requests.get(url + "sitemap.xml", timeout=60)
    answer.raise_for_status()
    locations = [
        loc.text or ""
        for loc in ET.fromstring(answer.content).iterfind(".//{*}loc")  # noqa: S314 - our own server
    ]
    paths = [urlsplit(location).path.lstrip("/") for location in locations]
    documents = [path for path in paths if path.startswith("doc/") and not path.endswith("/")]
    if not documents:
        raise SystemExit("the sitemap lists no documents")
    return documents


def warm(url: str, documents: list[str], requests_count: int) -> Counter[int]:
    """Visit each page kind and a sample of documents once, across the server's processes.

    Each request comes from an address of its own (when the server trusts a proxy), so warming spends no
    client's budget.
    """
    paths = ["", "doc/initiative/", "doc/organisation/", "doc/event/", "doc/place/", "search?q=cluster"]
    sample = random.Random(0).sample(documents, min(len(documents), requests_count))
    visits = [(path, {}) for path in paths * 8 + sample] + [("sparql", {"query": q}) for q in CHEAP * 8]
    statuses: Counter[int] = Counter()
    for number, (path, params) in enumerate(visits):
        address = {"X-Forwarded-For": f"10.250.{number // 250 % 250}.{number % 250 + 1}"}
        answer = requests.get(url + path, params=params, headers=address, timeout=120)
        statuses[answer.status_code] += 1
    return statuses


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn_recipe(extra_env: dict[str, str]) -> Iterator[str]:
    """Build the bundled data into a temporary folder and serve it with the README's gunicorn recipe."""
    work = Path(tempfile.mkdtemp(prefix="clusterlod-load-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERLOD_")}
    env |= {"CLUSTERLOD_RELEASES_DIR": str(work / "releases"), "CLUSTERLOD_TRUSTED_PROXIES": "1"}
    env |= {"CLUSTERLOD_RUN_DIR": str(work / "run")} | extra_env
    process: subprocess.Popen[bytes] | None = None
    try:
        build = [sys.executable, "-m", "publisher", "build", "--data", str(PROJECT / "data")]
        subprocess.run([*build, "--releases", str(work / "releases")], env=env, check=True, timeout=900)
        port = free_port()
        gunicorn = Path(sys.executable).parent / "gunicorn"
        process = subprocess.Popen(
            [
                str(gunicorn),
                *("-c", "python:publisher.web.gunicorn_conf", "--workers", "4", "--threads", "4"),
                *("--bind", f"127.0.0.1:{port}", "publisher.web.wsgi:create_app_from_environment()"),
            ],
            cwd=work,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(work / "gunicorn.log").open("wb"),
        )
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 120
        while True:
            try:
                requests.get(url + "robots.txt", timeout=10)
                break
            except requests.RequestException:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit(f"gunicorn did not start; see {work / 'gunicorn.log'}") from None
                time.sleep(0.2)
        yield url
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def show(figures: dict[str, dict[str, object]], args: argparse.Namespace) -> None:
    if not args.clients and not args.runaways:
        return
    print(
        f"{args.clients} clients (think {args.think} s) + {args.runaways} runaway clients "
        f"x {args.runaway_parallel} in flight, {args.seconds} s, client timeout {args.timeout} s"
    )
    print(f"{'kind':8} {'requests':>8} {'p50 s':>7} {'p95 s':>7} {'max s':>7} {'timeouts':>8}  statuses")
    for kind, row in figures.items():
        if kind == "flood":
            continue
        print(
            f"{kind:8} {row['requests']!s:>8} {row['p50_s']!s:>7} {row['p95_s']!s:>7} {row['max_s']!s:>7} "
            f"{row['timeouts']!s:>8}  {row['statuses']} errors={row['connection_errors']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--gunicorn", action="store_true", help="build the bundled data and run the recipe")
    where.add_argument("--url", help="a running server on this machine")
    parser.add_argument("--xff", action="store_true", help="each client its own X-Forwarded-For (with --url)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--runaways", type=int, default=2)
    parser.add_argument("--runaway-parallel", type=int, default=1)
    parser.add_argument("--think", type=float, default=0.5, help="seconds a client waits between requests")
    parser.add_argument("--timeout", type=float, default=30, help="client timeout per request")
    parser.add_argument("--warm", type=int, default=200, help="documents fetched once before measuring")
    parser.add_argument("--env", action="append", default=[], help="CLUSTERLOD_X=value for --gunicorn")
    parser.add_argument("--flood", type=int, default=0, help="first, one client sends this many at once")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    if args.seconds > 900 or args.clients > 500:
        raise SystemExit("bounded: at most 500 clients for 900 s")
    extra = dict(item.split("=", 1) for item in args.env)
    if args.gunicorn:
        args.xff = True
        with gunicorn_recipe(extra) as url:
            figures = measure(url, args)
    else:
        figures = measure(local_only(args.url), args)
    show(figures, args)
    if args.json:
        args.json.write_text(
            json.dumps({"arguments": vars(args) | {"json": str(args.json)}, **figures}, indent=2)
        )


def measure(url: str, args: argparse.Namespace) -> dict[str, dict[str, object]]:
    documents = documents_of(url)
    print(f"{len(documents)} documents; warming: {dict(warm(url, documents, args.warm))}", flush=True)
    figures = {"flood": flood(url, args.flood)} if args.flood else {}
    if args.clients or args.runaways:
        figures |= Load(url, documents, args).run()
    return figures


def flood(url: str, count: int) -> dict[str, object]:
    """One client (one address, one connection) asks for the home page ``count`` times as fast as it can."""
    statuses: Counter[int] = Counter()
    headers = {"X-Forwarded-For": "10.251.0.1"}
    started = time.monotonic()
    with requests.Session() as session:
        for _ in range(count):
            statuses[session.get(url, headers=headers, timeout=30).status_code] += 1
    seconds = time.monotonic() - started
    print(f"flood: {count} requests from one client in {seconds:.1f} s: {dict(statuses)}", flush=True)
    return {"requests": count, "seconds": round(seconds, 2), "statuses": dict(sorted(statuses.items()))}


if __name__ == "__main__":
    main()
