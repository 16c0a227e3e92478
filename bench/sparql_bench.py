"""Our SPARQL endpoint against a standalone Oxigraph server and rdflib-endpoint, on the same synthetic data.

    python bench/sparql_bench.py [--triples 1000000 [100000 ...]] [--duration 20] [--runs 20]
                                 [--work /tmp/clusterlod-sparql-bench] [--out bench/out/sparql.md]

For each size N this
1. generates synthetic source tables (bench/generate.py) and builds a release with ``clusterlod build``, or
   reuses WORK/size-N/ when it already holds one; decompresses the release's dump data.nt.gz and bulk-loads
   it with ``oxigraph load`` into an on-disk store of its own (Oxigraph's server then opens it read-only,
   the same storage mode as our query workers);
2. starts, on 127.0.0.1 only: our endpoint under gunicorn (``--workers 1 --threads 8``, 2 query workers),
   ``clusterlod serve`` (Flask's own server) and ``oxigraph serve-read-only`` (PyPI ``oxigraph``);
3. runs the portal query set of bench/sparql_queries/*.rq (SELECT as application/sparql-results+json,
   CONSTRUCT as text/turtle, by GET, without If-None-Match) and checks every query returns rows everywhere;
4. latency: after warm-up, --runs sequential runs per query, the servers interleaved run by run so that
   drift in the machine's load hits them alike; median and p95 per query; the goal is a median ratio
   ours/Oxigraph of at most 1.25; two probes besides the set: ASK {} (the fixed cost of a request) and
   10 000 rows (max_rows: the cost of writing results);
5. where the time goes in ours: for each query the engine alone (pyoxigraph, Oxigraph's own serializer),
   the worker's code path in-process (publisher.store.query_run.run_job: engine + our Python serializer), the
   same through a query-worker pool (adds the process hop), the Flask app through its test client (adds
   the view code), against the HTTP figure (adds gunicorn and the socket);
6. throughput: --clients concurrent clients (threads, one requests.Session each) run the query set
   round-robin for --duration seconds, --load-rounds phases per server alternating between ours and
   Oxigraph; requests/s, work/s (requests weighed by their query's cost) and errors;
7. memory: RSS of every process of each server, sampled from /proc every 0.1 s during the latency and load
   phases; for ours the gunicorn worker and its query workers separately and summed (goal: under 400 MB);
8. rdflib-endpoint (PyPI, in a venv of its own under WORK so that FastAPI and friends stay out of the
   project's venv) serving the same N-Triples in rdflib's in-memory store: latency only, fewer runs, each
   query bounded by --peer-budget seconds.

Results: a Markdown report at --out (tables and the machine's details) and the raw figures as JSON in WORK
(sparql-run.json; ``--report-from WORK/sparql-run.json`` writes the report again without measuring).
Every server is stopped at the end, also on error, Ctrl-C or SIGTERM; every wait has a deadline and every
request a timeout.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import requests

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
QUERY_DIR = HERE / "sparql_queries"
OXIGRAPH_VERSION = "0.5.13"
PEER_PACKAGES = ("rdflib-endpoint[cli]==0.6.3", "rdflib==7.6.0")
SELECT_ACCEPT = "application/sparql-results+json"
GRAPH_ACCEPT = "text/turtle"
GOAL_RATIO = 1.25
GOAL_RSS_MB = 400
PROBE = "ASK {}"
BIG = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10000"
PROBE_ASK = "probe: ASK {}"
PROBE_BIG = "probe: 10 000 rows"
MB = 1024 * 1024

OURS = "ours"  # gunicorn
SERVE = "serve"  # clusterlod serve
OXIGRAPH = "oxigraph"
PEER = "rdflib"
LABELS = {
    OURS: "ours (gunicorn)",
    SERVE: "ours (clusterlod serve)",
    OXIGRAPH: "Oxigraph server",
    PEER: "rdflib-endpoint",
}


def log(message: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# -- the query set -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    graph: bool  # CONSTRUCT or DESCRIBE: answered as Turtle

    @property
    def accept(self) -> str:
        return GRAPH_ACCEPT if self.graph else SELECT_ACCEPT


def load_queries(folder: Path) -> list[Query]:
    queries = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        words = [
            w.upper()
            for line in text.splitlines()
            if not line.lstrip().startswith(("#", "PREFIX", "prefix"))
            for w in line.split()
        ]
        form = next((w for w in words if w in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), "SELECT")
        queries.append(Query(path.stem, text, form in ("CONSTRUCT", "DESCRIBE")))
    if not queries:
        raise SystemExit(f"no queries in {folder}")
    return queries


def count_results(query: Query, body: bytes) -> int:
    """Rows of a JSON result, or triples of a Turtle graph."""
    if query.graph:
        import pyoxigraph as ox

        return sum(1 for _ in ox.parse(body, format=ox.RdfFormat.TURTLE))
    data = json.loads(body)
    if "boolean" in data:
        return 1
    return len(data["results"]["bindings"])


# -- processes: started in their own session, stopped by process group id ------------------------------


class Processes:
    """The servers this run started; ``stop_all`` ends each one's process group (gunicorn's workers too)."""

    def __init__(self) -> None:
        self.started: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, command: list[str], log_path: Path, env: dict[str, str], cwd: Path) -> int:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("wb") as out:
            process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True
            )
        self.started.append((name, process))
        log(f"started {name} (pid {process.pid}): {' '.join(command)}")
        return process.pid

    def process(self, pid: int) -> subprocess.Popen[bytes]:
        return next(p for _, p in self.started if p.pid == pid)

    def stop(self, pid: int) -> None:
        for name, process in list(self.started):
            if process.pid != pid:
                continue
            self._stop(name, process)
            self.started.remove((name, process))

    def stop_all(self) -> None:
        while self.started:
            name, process = self.started.pop()
            self._stop(name, process)

    @staticmethod
    def _stop(name: str, process: subprocess.Popen[bytes]) -> None:
        group = process.pid  # start_new_session: the group id is the leader's pid
        for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, sig)
            try:
                process.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        # the group may outlive its leader (gunicorn's query workers): make sure nothing of it is left
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
        log(f"stopped {name} (pid {process.pid})")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, process: subprocess.Popen[bytes], log_path: Path, timeout: float) -> float:
    """Poll ``url`` with ASK {} until it answers 200; return the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if process.poll() is not None:
            tail = log_path.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{url}: the server exited with {process.returncode}:\n{tail}")
        with contextlib.suppress(requests.RequestException):
            response = requests.get(
                url, params={"query": PROBE}, headers={"Accept": SELECT_ACCEPT}, timeout=5
            )
            if response.status_code == 200:
                return time.monotonic() - start
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s (log: {log_path})")


# -- memory: RSS of process trees from /proc -----------------------------------------------------------


def children(pid: int) -> list[int]:
    found = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(c) for c in handle.read().split()]
    return found


def memory_of(pid: int) -> dict[str, int] | None:
    """VmRSS, RssAnon and RssFile in bytes, or None when the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    values = {}
    for line in lines:
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "RssAnon", "RssFile", "RssShmem"):
            values[key] = int(rest.split()[0]) * 1024
    return values or None


def helper_role(pid: int) -> str:
    """``query worker``, or ``resource tracker`` for the helper multiprocessing's spawn starts beside them."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            command = handle.read()
    except OSError:
        return "query worker"
    return "resource tracker" if b"resource_tracker" in command else "query worker"


def roles_of(root: int, kind: str) -> dict[int, str]:
    """Every process of a server's tree, with its role."""
    roles = {root: "server"}
    if kind == OURS:
        roles[root] = "gunicorn master"
        for worker in children(root):
            roles[worker] = "gunicorn worker"
            for query_worker in children(worker):
                roles[query_worker] = helper_role(query_worker)
    elif kind == SERVE:
        roles[root] = "flask process"
        for query_worker in children(root):
            roles[query_worker] = helper_role(query_worker)
    else:
        for child in children(root):
            roles[child] = "child"
    return roles


@dataclass
class MemoryPeaks:
    """Peaks over the samples: per role (largest single process), per role summed, and the serving total."""

    by_role: dict[str, int] = field(default_factory=dict)
    by_role_sum: dict[str, int] = field(default_factory=dict)
    anon_by_role: dict[str, int] = field(default_factory=dict)
    serving: int = 0  # the serving process and its query workers at one instant
    samples: int = 0
    query_workers_seen: set[int] = field(default_factory=set)

    def add(self, sample: dict[int, tuple[str, dict[str, int]]]) -> None:
        self.samples += 1
        sums: Counter[str] = Counter()
        for pid, (role, mem) in sample.items():
            rss = mem.get("VmRSS", 0)
            self.by_role[role] = max(self.by_role.get(role, 0), rss)
            self.anon_by_role[role] = max(self.anon_by_role.get(role, 0), mem.get("RssAnon", 0))
            sums[role] += rss
            if role == "query worker":
                self.query_workers_seen.add(pid)
        for role, total in sums.items():
            self.by_role_sum[role] = max(self.by_role_sum.get(role, 0), total)
        serving = sum(v for r, v in sums.items() if r not in ("gunicorn master",))
        self.serving = max(self.serving, serving)

    def as_dict(self) -> dict[str, Any]:
        return {
            "peak_rss_by_role": self.by_role,
            "peak_rss_sum_by_role": self.by_role_sum,
            "peak_anon_by_role": self.anon_by_role,
            "peak_serving_rss": self.serving,
            "samples": self.samples,
            "query_worker_pids": len(self.query_workers_seen),
        }


class MemorySampler:
    """A thread that samples the trees of the watched servers every ``interval`` seconds."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.watched: dict[str, tuple[int, str]] = {}  # name -> (root pid, kind)
        self.peaks: dict[str, dict[str, MemoryPeaks]] = {}  # phase -> name -> peaks
        self.phase = "idle"
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def watch(self, name: str, root: int, kind: str) -> None:
        with self._lock:
            self.watched[name] = (root, kind)

    def unwatch(self, name: str) -> None:
        with self._lock:
            self.watched.pop(name, None)

    def set_phase(self, phase: str) -> None:
        with self._lock:
            self.phase = phase

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def sample_once(self) -> None:
        with self._lock:
            watched = dict(self.watched)
            phase = self.phase
        for name, (root, kind) in watched.items():
            sample = {}
            for pid, role in roles_of(root, kind).items():
                mem = memory_of(pid)
                if mem is not None:
                    sample[pid] = (role, mem)
            if sample:
                with self._lock:
                    self.peaks.setdefault(phase, {}).setdefault(name, MemoryPeaks()).add(sample)
                    self.peaks.setdefault("all", {}).setdefault(name, MemoryPeaks()).add(sample)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample_once()


# -- HTTP ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    name: str
    url: str
    pid: int


def new_session() -> requests.Session:
    session = requests.Session()
    # nothing that could let a server answer from a cache: no If-None-Match, no If-Modified-Since
    session.headers.pop("If-None-Match", None)
    session.headers.pop("If-Modified-Since", None)
    return session


RECONNECTS: Counter[str] = Counter()


def timed_request(
    session: requests.Session, url: str, query: Query, timeout: float, retry: bool = True
) -> tuple[float, int, bytes]:
    """One GET; its wall time, status and body.

    A server may close an idle keep-alive connection just as the next request goes out on it (gunicorn's
    keep-alive is 2 s, about the gap between two runs of a 1 s query while the other servers take their
    turn). With ``retry`` such a request is sent once more on a new connection and only that one is timed;
    the reconnections are counted per URL.
    """
    headers = {"Accept": query.accept}
    for attempt in (1, 2):
        start = time.perf_counter()
        try:
            response = session.get(url, params={"query": query.text}, headers=headers, timeout=timeout)
            body = response.content
        except requests.ConnectionError:
            if not retry or attempt == 2:
                raise
            RECONNECTS[url] += 1
            continue
        return time.perf_counter() - start, response.status_code, body
    raise AssertionError("unreachable")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


# -- setup: data, release, Oxigraph store, peer venv ---------------------------------------------------


def run_step(command: list[str], timeout: float, log_path: Path, cwd: Path = REPO) -> None:
    log(f"running: {' '.join(command)}")
    with log_path.open("wb") as out:
        completed = subprocess.run(
            command, stdout=out, stderr=subprocess.STDOUT, timeout=timeout, cwd=cwd, check=False
        )
    if completed.returncode != 0:
        tail = log_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{command[0]} failed with exit code {completed.returncode}:\n{tail}")


def project_env(source: Path, releases: Path, query_workers: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(source),
            "CLUSTERLOD_RELEASES_DIR": str(releases),
            "CLUSTERLOD_QUERY_WORKERS": str(query_workers),
            # the load phase is many clients from one address: budgets counted, never run out, no slots
            "CLUSTERLOD_READ_RATE_LIMIT": "1000000/second",
            "CLUSTERLOD_QUERY_RATE_LIMIT": "1000000/second",
            "CLUSTERLOD_CLIENT_QUERIES": "0",
        }
    )
    env.pop("CLUSTERLOD_CONFIG", None)
    return env


def prepare_size(size: int, work: Path, source: Path, seed: int, timeout: float) -> dict[str, Path]:
    """Generate, build, decompress and load; each step is skipped when its output is already there."""
    folder = work / f"size-{size}"
    data, releases = folder / "data", folder / "releases"
    folder.mkdir(parents=True, exist_ok=True)
    current = releases / "current"
    if not (current / "manifest.json").exists():
        if not (data / "observations.csv").exists():
            run_step(
                [
                    sys.executable,
                    str(HERE / "generate.py"),
                    "--triples",
                    str(size),
                    "--out",
                    str(data),
                    "--seed",
                    str(seed),
                ],
                timeout,
                folder / "generate.log",
            )
        shutil.rmtree(releases, ignore_errors=True)
        env = project_env(source, releases, 2)
        log(f"building a release of {size} triples (about 2 min per million)")
        with (folder / "build.log").open("wb") as out:
            completed = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "publisher",
                    "build",
                    "--data",
                    str(data),
                    "--releases",
                    str(releases),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=folder,
                timeout=timeout,
                check=False,
            )
        if completed.returncode != 0:
            raise RuntimeError(f"build failed, see {folder / 'build.log'}")
    else:
        log(f"reusing the release in {current.resolve()}")
    release = current.resolve()
    dump = release / "dumps" / "data.nt.gz"
    ntriples = folder / "data.nt"
    stamp = f"{release.name} {dump.stat().st_size}"
    marker = folder / "oxigraph-store.from"
    if not (marker.exists() and marker.read_text() == stamp and ntriples.exists()):
        log(f"decompressing {dump}")
        with gzip.open(dump, "rb") as src, ntriples.open("wb") as dst:
            shutil.copyfileobj(src, dst, 4 * MB)
        store = folder / "oxigraph-store"
        shutil.rmtree(store, ignore_errors=True)
        marker.unlink(missing_ok=True)
        run_step(
            [str(oxigraph_binary()), "load", "--location", str(store), "--file", str(ntriples)],
            timeout,
            folder / "oxigraph-load.log",
        )
        marker.write_text(stamp)
    manifest = json.loads((release / "manifest.json").read_text())
    log(f"size {size}: release {release.name}, {manifest.get('triples', '?')} triples")
    return {
        "folder": folder,
        "releases": releases,
        "release": release,
        "ntriples": ntriples,
        "oxigraph_store": folder / "oxigraph-store",
    }


def oxigraph_binary() -> Path:
    binary = Path(sys.executable).parent / "oxigraph"
    if not binary.exists():
        log(f"installing oxigraph=={OXIGRAPH_VERSION} into {sys.prefix}")
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", f"oxigraph=={OXIGRAPH_VERSION}"],
            check=True,
            timeout=300,
        )
    return binary


def peer_venv(work: Path) -> Path:
    """A venv of its own for rdflib-endpoint (FastAPI, uvicorn, ...), created once under WORK."""
    venv = work / "peer-venv"
    binary = venv / "bin" / "rdflib-endpoint"
    if not binary.exists():
        log(f"creating {venv} with {', '.join(PEER_PACKAGES)}")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True, timeout=120)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "--quiet", *PEER_PACKAGES], check=True, timeout=600
        )
    return binary


# -- servers -------------------------------------------------------------------------------------------


@dataclass
class Run:
    """Everything one size's run needs and finds."""

    args: argparse.Namespace
    size: int
    paths: dict[str, Path]
    queries: list[Query]
    processes: Processes
    sampler: MemorySampler
    endpoints: dict[str, Endpoint] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)

    def start_server(
        self, name: str, command: list[str], url: str, env: dict[str, str], ready_timeout: float
    ) -> Endpoint:
        log_path = self.paths["folder"] / f"{name}.log"
        pid = self.processes.start(name, command, log_path, env, self.paths["folder"])
        seconds = wait_ready(url, self.processes.process(pid), log_path, ready_timeout)
        log(f"{name} answers at {url} after {seconds:.1f} s")
        self.results.setdefault("ready_seconds", {})[name] = round(seconds, 2)
        endpoint = Endpoint(name, url, pid)
        self.endpoints[name] = endpoint
        self.sampler.watch(name, pid, name)
        return endpoint

    def stop_server(self, name: str) -> None:
        endpoint = self.endpoints.pop(name)
        self.sampler.unwatch(name)
        self.processes.stop(endpoint.pid)

    def start_ours(self) -> Endpoint:
        port = free_port()
        env = project_env(self.args.source, self.paths["releases"], self.args.query_workers)
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "1",
            "--threads",
            str(self.args.threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "publisher.web.wsgi:create_app_from_environment()",
        ]
        # a server prepares its release (search index, labels) before answering: minutes at 1M triples
        url = f"http://127.0.0.1:{port}/sparql"
        return self.start_server(OURS, command, url, env, self.args.setup_timeout)

    def start_serve(self) -> Endpoint:
        port = free_port()
        env = project_env(self.args.source, self.paths["releases"], self.args.query_workers)
        command = [sys.executable, "-m", "publisher", "serve", "--host", "127.0.0.1", "--port", str(port)]
        url = f"http://127.0.0.1:{port}/sparql"
        return self.start_server(SERVE, command, url, env, self.args.setup_timeout)

    def start_oxigraph(self) -> Endpoint:
        port = free_port()
        command = [
            str(oxigraph_binary()),
            "serve-read-only",
            "--location",
            str(self.paths["oxigraph_store"]),
            "--bind",
            f"127.0.0.1:{port}",
        ]
        return self.start_server(OXIGRAPH, command, f"http://127.0.0.1:{port}/query", dict(os.environ), 60)

    def start_peer(self, ntriples: Path) -> Endpoint:
        port = free_port()
        binary = peer_venv(self.args.work)
        command = [str(binary), "serve", "--host", "127.0.0.1", "--port", str(port), str(ntriples)]
        return self.start_server(
            PEER, command, f"http://127.0.0.1:{port}/", dict(os.environ), self.args.peer_load_timeout
        )


# -- phases --------------------------------------------------------------------------------------------


def check_rows(run: Run, names: list[str]) -> dict[str, dict[str, int]]:
    """Every query must answer 200 with rows on every server; ours and Oxigraph must agree on the count."""
    rows: dict[str, dict[str, int]] = {}
    session = new_session()
    problems = []
    for query in run.queries:
        rows[query.name] = {}
        for name in names:
            endpoint = run.endpoints[name]
            _, status, body = timed_request(session, endpoint.url, query, run.args.request_timeout)
            if status != 200:
                problems.append(f"{query.name} on {name}: HTTP {status}: {body[:300]!r}")
                continue
            count = count_results(query, body)
            rows[query.name][name] = count
            if count == 0:
                problems.append(f"{query.name} on {name}: no rows")
        counts = {rows[query.name].get(n) for n in names if n in (OURS, SERVE, OXIGRAPH)}
        if len(counts) > 1:
            problems.append(f"{query.name}: ours and Oxigraph disagree: {rows[query.name]}")
    if problems:
        raise RuntimeError("the query set does not check out:\n  " + "\n  ".join(problems))
    return rows


def latency(run: Run, names: list[str], runs: int, warmup: int, budget: float) -> dict[str, Any]:
    """Sequential runs, the servers interleaved run by run; a (server, query) stops after ``budget`` s."""
    sessions = {name: new_session() for name in names}
    out: dict[str, Any] = {}
    for query in run.queries:
        for name in names:
            for _ in range(warmup):
                timed_request(sessions[name], run.endpoints[name].url, query, run.args.request_timeout)
        times: dict[str, list[float]] = {name: [] for name in names}
        spent: dict[str, float] = dict.fromkeys(names, 0.0)
        for index in range(runs):
            order = names[index % len(names) :] + names[: index % len(names)]
            for name in order:
                if spent[name] > budget and len(times[name]) >= 1:
                    continue
                seconds, status, body = timed_request(
                    sessions[name], run.endpoints[name].url, query, run.args.request_timeout
                )
                if status != 200:
                    raise RuntimeError(f"{query.name} on {name}: HTTP {status}: {body[:300]!r}")
                times[name].append(seconds)
                spent[name] += seconds
        out[query.name] = {
            name: {
                "runs": len(values),
                "median_ms": statistics.median(values) * 1000,
                "p95_ms": percentile(values, 0.95) * 1000,
                "min_ms": min(values) * 1000,
            }
            for name, values in times.items()
        }
        summary = ", ".join(f"{n} {out[query.name][n]['median_ms']:.1f} ms" for n in names)
        log(f"latency {query.name}: {summary}")
    return out


def probes() -> list[Query]:
    """ASK {}: the fixed cost of a request; 10 000 rows (our max_rows): the cost of writing results."""
    return [Query(PROBE_ASK, PROBE, graph=False), Query(PROBE_BIG, BIG, graph=False)]


def probe_latency(run: Run, names: list[str], runs: int) -> dict[str, dict[str, float]]:
    """Median per probe and server, the servers interleaved."""
    sessions = {name: new_session() for name in names}
    out: dict[str, dict[str, float]] = {}
    for probe in probes():
        times: dict[str, list[float]] = {name: [] for name in names}
        for name in names:
            for _ in range(3):
                timed_request(sessions[name], run.endpoints[name].url, probe, run.args.request_timeout)
        for _ in range(runs):
            for name in names:
                seconds, status, _ = timed_request(
                    sessions[name], run.endpoints[name].url, probe, run.args.request_timeout
                )
                if status == 200:
                    times[name].append(seconds)
        out[probe.name] = {name: statistics.median(values) * 1000 for name, values in times.items() if values}
    return out


def throughput(run: Run, name: str, clients: int, duration: float) -> dict[str, Any]:
    """``clients`` threads, one session each, the query set round-robin (each from its own offset)."""
    endpoint = run.endpoints[name]
    deadline = time.monotonic() + duration
    lock = threading.Lock()
    ok_times: list[float] = []
    per_query: Counter[str] = Counter()
    errors: Counter[str] = Counter()

    def client(offset: int) -> None:
        session = new_session()
        index = offset
        while time.monotonic() < deadline:
            query = run.queries[index % len(run.queries)]
            index += 1
            try:
                seconds, status, _ = timed_request(
                    session, endpoint.url, query, run.args.request_timeout, retry=False
                )
            except requests.RequestException as error:
                with lock:
                    errors[type(error).__name__] += 1
                continue
            with lock:
                if status == 200:
                    ok_times.append(seconds)
                    per_query[query.name] += 1
                else:
                    errors[f"HTTP {status}"] += 1

    cpu_before = time.process_time()
    start = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + run.args.request_timeout + 10)
    elapsed = time.monotonic() - start
    round_result = {
        "seconds": elapsed,
        "client_cpu": time.process_time() - cpu_before,
        "times": ok_times,
        "errors": dict(errors),
        "per_query": dict(per_query),
    }
    log(
        f"throughput {name}: {len(ok_times) / elapsed:.1f} req/s, {sum(errors.values())} errors "
        f"{dict(errors)}, client used {round_result['client_cpu'] / elapsed:.2f} CPU"
    )
    return round_result


def summarize_load(rounds: list[dict[str, Any]], clients: int, cost_ms: dict[str, float]) -> dict[str, Any]:
    """Merge a server's load rounds. ``cost_ms``: each query's sequential median on Oxigraph, to weigh the
    completed requests by how much work they are (the mix completed differs when requests are refused)."""
    seconds = sum(r["seconds"] for r in rounds)
    times = [t for r in rounds for t in r["times"]]
    errors: Counter[str] = Counter()
    per_query: Counter[str] = Counter()
    for r in rounds:
        errors.update(r["errors"])
        per_query.update(r["per_query"])
    work = sum(count * cost_ms.get(query, 0.0) / 1000 for query, count in per_query.items())
    return {
        "clients": clients,
        "rounds": len(rounds),
        "seconds": seconds,
        "ok": len(times),
        "requests_per_s": len(times) / seconds,
        "per_round_requests_per_s": [len(r["times"]) / r["seconds"] for r in rounds],
        "work_per_s": work / seconds,
        "errors": dict(errors),
        "error_count": sum(errors.values()),
        "median_ms": statistics.median(times) * 1000 if times else float("nan"),
        "p95_ms": percentile(times, 0.95) * 1000 if times else float("nan"),
        "client_cpu_share": sum(r["client_cpu"] for r in rounds) / seconds,
        "per_query": dict(per_query),
    }


def breakdown(run: Run, runs: int) -> dict[str, Any]:
    """Time the layers of our endpoint in this process: engine, our serializer, the worker process hop."""
    sys.path.insert(0, str(run.args.source))
    import pyoxigraph as ox

    from publisher.settings import Settings
    from publisher.sparql.pool import QueryPool
    from publisher.sparql.worker import Confinement
    from publisher.store import Job
    from publisher.store.query_run import ReleaseStores, run_job
    from publisher.vocab import PREFIXES
    from publisher.web import create_app

    store_folder = str(run.paths["release"] / "store")
    store = ox.Store.read_only(store_folder)
    stores = ReleaseStores()
    pool = QueryPool(1, 10.0, Confinement(network=False, memory_bytes=2**30))
    app = create_app(
        Settings(
            releases_dir=run.paths["releases"],
            query_workers=1,
            max_rows=run.args.max_rows,
            read_rate_limit="1000000/second",  # counted, never run out (as for the servers, project_env)
            query_rate_limit="1000000/second",
            client_queries=0,
        )
    )
    client = app.test_client()

    def in_flask(query: Query) -> None:
        response = client.get("/sparql", query_string={"query": query.text}, headers={"Accept": query.accept})
        if response.status_code != 200:
            raise RuntimeError(f"{query.name} in-process: HTTP {response.status_code}")

    prefixes = {**PREFIXES, "cluster": "http://localhost:8080/def/cluster#"}  # as publisher.web.sparql

    def job_for(query: Query) -> Any:
        return Job(
            store_folder=store_folder,
            query=query.text,
            base_iri="http://localhost:8080/sparql",
            format_name="turtle" if query.graph else "json",
            max_rows=run.args.max_rows,
            prefixes=prefixes,
        )

    def native(query: Query) -> bytes:
        result = store.query(query.text, base_iri="http://localhost:8080/sparql")
        if query.graph:
            return ox.serialize(result, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
        return result.serialize(format=ox.QueryResultsFormat.JSON) or b""

    def engine_only(query: Query) -> int:
        result = store.query(query.text, base_iri="http://localhost:8080/sparql")
        if isinstance(result, ox.QueryBoolean):
            return int(bool(result))
        return sum(1 for _ in result)

    def median_ms(action: Callable[[], object]) -> float:
        action()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    out: dict[str, Any] = {}
    try:
        for query in [*run.queries, *probes()]:
            job = job_for(query)
            out[query.name] = {
                "engine_iterate_ms": median_ms(lambda q=query: engine_only(q)),
                "engine_native_serializer_ms": median_ms(lambda q=query: native(q)),
                "run_job_ms": median_ms(lambda j=job: run_job(j, stores)),
                "pool_ms": median_ms(lambda j=job: pool.run(j, 60.0)),
                "flask_ms": median_ms(lambda q=query: in_flask(q)),
                "native_bytes": len(native(query)),
                "ours_bytes": len(run_job(job, stores).body),
            }
            log(f"breakdown {query.name}: {out[query.name]}")
    finally:
        pool.close()
        app.extensions["query_pool"].close()
    return out


# -- one size ------------------------------------------------------------------------------------------


def bench_size(args: argparse.Namespace, size: int, processes: Processes, sampler: MemorySampler) -> dict:
    paths = prepare_size(size, args.work, args.source, args.seed, args.setup_timeout)
    run = Run(args, size, paths, load_queries(args.queries), processes, sampler)
    manifest = json.loads((paths["release"] / "manifest.json").read_text())
    run.results.update({"size": size, "triples": manifest.get("triples"), "release": paths["release"].name})
    main_names = [OURS, OXIGRAPH] + ([SERVE] if args.with_serve else [])
    try:
        run.start_ours()
        run.start_oxigraph()
        if args.with_serve:
            run.start_serve()
        sampler.set_phase("check")
        run.results["rows"] = check_rows(run, main_names)
        log("every query returns rows on every server; ours and Oxigraph agree on the counts")

        sampler.set_phase("latency")
        run.results["latency"] = latency(run, main_names, args.runs, args.warmup, args.budget)
        run.results["probe_ms"] = probe_latency(run, main_names, args.runs * 2)
        run.results["reconnects"] = {n: RECONNECTS[run.endpoints[n].url] for n in main_names}
        sampler.set_phase("idle")
        if args.with_serve:
            run.stop_server(SERVE)

        rounds: dict[str, list[dict[str, Any]]] = {OURS: [], OXIGRAPH: []}
        for index in range(args.load_rounds):  # ours, Oxigraph, Oxigraph, ours, ...: drift hits both alike
            for name in (OURS, OXIGRAPH) if index % 2 == 0 else (OXIGRAPH, OURS):
                sampler.set_phase(f"load {name}")
                rounds[name].append(throughput(run, name, args.clients, args.duration))
                sampler.set_phase("idle")
                time.sleep(1)
        cost = {q: v[OXIGRAPH]["median_ms"] for q, v in run.results["latency"].items()}
        run.results["throughput"] = {
            name: summarize_load(server_rounds, args.clients, cost) for name, server_rounds in rounds.items()
        }

        sampler.set_phase("breakdown")
        run.results["breakdown"] = breakdown(run, max(5, args.runs // 4))
    finally:
        for name in list(run.endpoints):
            run.stop_server(name)

    if not args.skip_peer:
        run.results["peer"] = bench_peer(run)
    run.results["memory"] = {
        phase: {name: peaks.as_dict() for name, peaks in servers.items()}
        for phase, servers in sampler.peaks.items()
    }
    sampler.peaks.clear()
    return run.results


def bench_peer(run: Run) -> dict[str, Any]:
    """rdflib-endpoint on the same N-Triples; falls back to --peer-fallback triples when loading fails."""
    args = run.args
    sizes = [run.size] + [s for s in [args.peer_fallback] if s and s < run.size]
    for size in sizes:
        paths = run.paths if size == run.size else prepare_size(size, args.work, args.source, args.seed, 900)
        try:
            start = time.monotonic()
            run.sampler.set_phase("peer load")
            run.start_peer(paths["ntriples"])
            load_seconds = time.monotonic() - start
        except (RuntimeError, OSError, subprocess.SubprocessError) as error:
            log(f"rdflib-endpoint could not serve {size} triples: {error}")
            with contextlib.suppress(KeyError):
                run.stop_server(PEER)
            continue
        try:
            peer_run = Run(args, size, paths, run.queries, run.processes, run.sampler, run.endpoints)
            run.sampler.set_phase("peer latency")
            rows = check_rows(peer_run, [PEER])
            times = latency(peer_run, [PEER], args.peer_runs, 1, args.peer_budget)
            probe = probe_latency(peer_run, [PEER], 10)
            return {
                "size": size,
                "load_seconds": load_seconds,
                "rows": rows,
                "latency": times,
                "probe_ms": probe,
            }
        finally:
            run.sampler.set_phase("idle")
            run.stop_server(PEER)
    return {"size": None, "note": "rdflib-endpoint could not load the data in time"}


# -- the report ----------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError):
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split(":", 1)[1].strip()
    distro = ""
    with contextlib.suppress(OSError):
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                distro = line.split("=", 1)[1].strip('"')
    versions = {}
    for package in ("pyoxigraph", "flask", "gunicorn", "werkzeug", "requests"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[package] = metadata.version(package)
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        text = subprocess.run(
            [str(oxigraph_binary()), "--version"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
        versions["oxigraph server"] = text.split()[-1] if text.split() else "?"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": distro or platform.platform(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "versions": versions,
    }


def peer_versions(work: Path) -> dict[str, str]:
    python = work / "peer-venv" / "bin" / "python"
    if not python.exists():
        return {}
    script = (
        "import importlib.metadata as m, json;"
        "print(json.dumps({p: m.version(p) for p in ('rdflib-endpoint', 'rdflib', 'fastapi', 'uvicorn')}))"
    )
    with contextlib.suppress(OSError, subprocess.SubprocessError, ValueError):
        completed = subprocess.run([str(python), "-c", script], capture_output=True, text=True, timeout=30)
        return dict(json.loads(completed.stdout))
    return {}


def git_state(source: Path) -> str:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        commit = subprocess.run(
            ["git", "-C", str(source), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(source), "status", "--porcelain", "--", "publisher"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        return f"{commit}" + (" with uncommitted changes in publisher/" if dirty else "")
    return "?"


def fmt_ms(value: float | None) -> str:
    if value is None or value != value:
        return "-"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def fmt_mb(value: int | None) -> str:
    return "-" if not value else f"{value / MB:.0f}"


def geometric_mean(values: list[float]) -> float:
    return statistics.geometric_mean(values) if values else float("nan")


def report_size(result: dict[str, Any], args: argparse.Namespace) -> tuple[list[str], dict[str, Any]]:
    lines: list[str] = []
    verdict: dict[str, Any] = {}
    size = result["size"]
    lat = result["latency"]
    names = [n for n in (OURS, OXIGRAPH, SERVE) if n in next(iter(lat.values()))]
    peer = result.get("peer") or {}
    peer_lat = peer.get("latency") or {}
    lines += [
        f"## {size:,} triples".replace(",", " "),
        "",
        f"Release `{result['release']}`: {result['triples']} triples. "
        f"Latency: {args.warmup} warm-up and up to {args.runs} sequential runs per query and server, the "
        "servers interleaved run by run; GET, `Accept: application/sparql-results+json` (SELECT) or "
        "`text/turtle` (CONSTRUCT), no `If-None-Match`. Milliseconds, wall time of the whole request on "
        "one keep-alive connection.",
        "",
    ]
    head = ["query", "rows"]
    for name in names:
        head += [f"{LABELS[name]} median", "p95"]
    head += ["ours / Oxigraph (median)"]
    if peer_lat:
        head += [f"rdflib-endpoint median ({peer['size']:,} triples)".replace(",", " ")]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    ratios = []
    for query, per_server in lat.items():
        ratio = per_server[OURS]["median_ms"] / per_server[OXIGRAPH]["median_ms"]
        ratios.append(ratio)
        cells = [f"`{query}`", str(result["rows"][query][OURS])]
        for name in names:
            cells += [fmt_ms(per_server[name]["median_ms"]), fmt_ms(per_server[name]["p95_ms"])]
        cells.append(f"{ratio:.2f}")
        if peer_lat:
            peer_cell = peer_lat.get(query, {}).get(PEER, {})
            cells.append(fmt_ms(peer_cell.get("median_ms")) + f" ({peer_cell.get('runs', 0)} runs)")
        lines.append("| " + " | ".join(cells) + " |")
    medians = {n: statistics.median(v[n]["median_ms"] for v in lat.values()) for n in names}
    sums = {n: sum(v[n]["median_ms"] for v in lat.values()) for n in names}
    overall = medians[OURS] / medians[OXIGRAPH]
    median_of_ratios = statistics.median(ratios)
    footer = ["**median of the per-query medians**", ""]
    for name in names:
        footer += [fmt_ms(medians[name]), ""]
    footer.append(f"**{overall:.2f}**")
    if peer_lat:
        footer.append(fmt_ms(statistics.median(v[PEER]["median_ms"] for v in peer_lat.values())))
    lines.append("| " + " | ".join(footer) + " |")
    total = ["sum of the per-query medians", ""]
    for name in names:
        total += [fmt_ms(sums[name]), ""]
    total.append(f"{sums[OURS] / sums[OXIGRAPH]:.2f}")
    if peer_lat:
        total.append(fmt_ms(sum(v[PEER]["median_ms"] for v in peer_lat.values())))
    lines.append("| " + " | ".join(total) + " |")
    probe_all = result.get("probe_ms", {})
    probe = probe_all.get(PROBE_ASK, {})
    peer_probe = (peer.get("probe_ms") or {}).get(PROBE_ASK, {})
    reconnects = result.get("reconnects", {})
    lines += [
        "",
        f"Median ratio ours/Oxigraph: **{overall:.2f}** (ratio of the medians over the query set); median of "
        f"the per-query ratios {median_of_ratios:.2f}, geometric mean {geometric_mean(ratios):.2f}, "
        f"worst {max(ratios):.2f}. Goal ≤ {GOAL_RATIO}: **{'met' if overall <= GOAL_RATIO else 'missed'}**.",
        "",
        "Fixed cost of one request (`ASK {}`, median ms): "
        + ", ".join(f"{LABELS[n]} {fmt_ms(v)}" for n, v in probe.items())
        + (f", rdflib-endpoint {fmt_ms(peer_probe.get(PEER))}" if peer_probe else "")
        + ". Keep-alive connections a server had closed when the next request went out (sent again on a "
        "new connection, only that one timed): "
        + (", ".join(f"{LABELS[n]} {v}" for n, v in reconnects.items()) or "-")
        + ".",
        "",
    ]
    verdict.update(
        {"ratio": overall, "median_of_ratios": median_of_ratios, "ratio_met": overall <= GOAL_RATIO}
    )

    tput = result["throughput"]
    lines += [
        f"### Throughput: {args.clients} concurrent clients, {args.load_rounds} x {args.duration:g} s "
        "per server",
        "",
        f"Each client (a thread with its own `requests.Session`) runs the {len(lat)} queries round-robin "
        "from its own starting point; the load phases alternate between the servers (ours, Oxigraph, "
        f"Oxigraph, ours, ...). Ours: gunicorn `--workers 1 --threads {args.threads}`, "
        f"`CLUSTERLOD_QUERY_WORKERS={args.query_workers}` (default `queue_timeout` 2 s: a request that finds "
        "no free query worker within 2 s gets 503). Work/s weighs each completed request by its query's "
        "sequential median on Oxigraph (seconds of single-client Oxigraph work done per second), since a "
        "refused request makes its client move on to the next, often cheaper, query.",
        "",
        "| server | requests/s | per round | work/s | ok | errors | median ms | p95 ms "
        "| client CPU (cores) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, t in tput.items():
        errors = ", ".join(f"{k}: {v}" for k, v in t["errors"].items()) or "0"
        per_round = " / ".join(f"{v:.1f}" for v in t["per_round_requests_per_s"])
        lines.append(
            f"| {LABELS[name]} | {t['requests_per_s']:.1f} | {per_round} | {t['work_per_s']:.2f} | {t['ok']} "
            f"| {errors} | {fmt_ms(t['median_ms'])} | {fmt_ms(t['p95_ms'])} | {t['client_cpu_share']:.2f} |"
        )
    completed = [
        f"`{q}` {tput[OURS]['per_query'].get(q, 0)} / {tput[OXIGRAPH]['per_query'].get(q, 0)}" for q in lat
    ]
    lines += [
        "",
        f"Ours / Oxigraph: requests/s {tput[OURS]['requests_per_s'] / tput[OXIGRAPH]['requests_per_s']:.2f}, "
        f"work/s {tput[OURS]['work_per_s'] / tput[OXIGRAPH]['work_per_s']:.2f}. Completed per query "
        "(ours / Oxigraph): " + ", ".join(completed) + ".",
        "",
    ]

    memory = result["memory"]
    lines += [
        "### Memory (peak RSS, MB, sampled every 0.1 s from /proc)",
        "",
        "| phase | server | gunicorn master | serving process (Flask) | largest query worker "
        "| query workers summed | resource tracker | **serving process + its helpers** "
        "| anon part: serving process / largest query worker |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    peak_serving = 0
    for phase in ("latency", f"load {OURS}", f"load {OXIGRAPH}", "peer latency", "all"):
        for name, peaks in memory.get(phase, {}).items():
            by_role, sums = peaks["peak_rss_by_role"], peaks["peak_rss_sum_by_role"]
            anon = peaks["peak_anon_by_role"]
            if name == OURS:
                serving_role = "gunicorn worker"
                if phase == "all":
                    peak_serving = peaks["peak_serving_rss"]
            elif name == SERVE:
                serving_role = "flask process"
            else:
                serving_role = "server"
            lines.append(
                f"| {phase} | {LABELS[name]} | {fmt_mb(by_role.get('gunicorn master'))} "
                f"| {fmt_mb(by_role.get(serving_role))} | {fmt_mb(by_role.get('query worker'))} "
                f"| {fmt_mb(sums.get('query worker'))} | {fmt_mb(by_role.get('resource tracker'))} "
                f"| **{fmt_mb(peaks['peak_serving_rss'])}** "
                f"| {fmt_mb(anon.get(serving_role))} / {fmt_mb(anon.get('query worker'))} |"
            )
    lines += [
        "",
        "Peak of ours (gunicorn worker + its query workers + the resource tracker multiprocessing's spawn "
        "starts, at one instant, over all phases): "
        f"**{fmt_mb(peak_serving)} MB**; goal < {GOAL_RSS_MB} MB: "
        f"**{'met' if 0 < peak_serving < GOAL_RSS_MB * MB else 'missed'}**. RSS counts the pages of the "
        "store's files that a process has mapped or cached (RssFile) as well as its heap (RssAnon); pages "
        "shared between processes are counted in each.",
        "",
    ]
    verdict.update({"peak_serving_mb": peak_serving / MB, "rss_met": 0 < peak_serving < GOAL_RSS_MB * MB})

    parts = result.get("breakdown", {})
    if parts:
        lines += [
            "### Where the time goes in ours (medians, ms)",
            "",
            "Engine: pyoxigraph in this process, iterating the results (and serializing them with Oxigraph's "
            "own Rust serializer). `run_job`: the query worker's code path in-process "
            "(`publisher.store.query_run.run_job`: engine + our Python serializer). Pool: the same job "
            "through `publisher.sparql.pool.QueryPool` (adds pickling and the pipe to a worker process). "
            "Flask: the whole app in-process through Flask's test client (adds routing, the query guard, "
            "content negotiation, ETag, headers; no socket). HTTP: the latency table above (adds gunicorn, "
            "the socket and the client).",
            "",
            "| query | engine, iterate | engine + Oxigraph serializer | run_job (our serializer) "
            "| through the pool | Flask app in-process | ours over HTTP | Oxigraph over HTTP "
            "| bytes ours / Oxigraph-native |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for query, p in parts.items():
            http = lat.get(query) or {n: {"median_ms": v} for n, v in probe_all.get(query, {}).items()}
            ours_http = http.get(OURS, {}).get("median_ms")
            ox_http = http.get(OXIGRAPH, {}).get("median_ms")
            lines.append(
                f"| `{query}` | {fmt_ms(p['engine_iterate_ms'])} "
                f"| {fmt_ms(p['engine_native_serializer_ms'])} "
                f"| {fmt_ms(p['run_job_ms'])} | {fmt_ms(p['pool_ms'])} | {fmt_ms(p['flask_ms'])} "
                f"| {fmt_ms(ours_http)} "
                f"| {fmt_ms(ox_http)} | {p['ours_bytes']} / {p['native_bytes']} |"
            )
        lines.append("")

    if peer:
        if peer.get("size"):
            lines += [
                f"rdflib-endpoint served {peer['size']} triples (rdflib's in-memory store, loaded in "
                f"{peer['load_seconds']:.0f} s); up to {args.peer_runs} runs per query after one warm-up, "
                f"each query stopped after {args.peer_budget:g} s of runs.",
                "",
            ]
        else:
            lines += [f"rdflib-endpoint: {peer.get('note')}.", ""]
    ready = result.get("ready_seconds", {})
    lines += [
        "Start → first answer (s): " + ", ".join(f"{LABELS.get(n, n)} {v}" for n, v in ready.items()),
        "",
    ]
    return lines, verdict


def write_report(results: list[dict[str, Any]], args: argparse.Namespace, info: dict[str, Any]) -> None:
    lines = [
        "# SPARQL endpoint benchmark",
        "",
        f"Written by `bench/sparql_bench.py` on {info['finished']} ({info['seconds']:.0f} s). Command: "
        f"`{info['command']}`.",
        "",
        "Goals (issue): with 1M synthetic triples, the median latency of a portal query set through our "
        f"endpoint is at most {GOAL_RATIO} times that of a standalone Oxigraph server on the same data in "
        "the same storage mode (on disk, read-only), both measured in one run; throughput with 16 concurrent "
        f"clients; one serving process under {GOAL_RSS_MB} MB RSS. rdflib-endpoint is the Python peer.",
        "",
        "| size | median ratio ours/Oxigraph | goal ≤ 1.25 | peak RSS ours (MB) | goal < 400 MB "
        "| req/s ours | req/s Oxigraph |",
        "|---|---|---|---|---|---|---|",
    ]
    sections = []
    for result in results:
        section, verdict = report_size(result, args)
        tput = result["throughput"]
        lines.append(
            f"| {result['size']} | {verdict['ratio']:.2f} | {'met' if verdict['ratio_met'] else 'missed'} "
            f"| {verdict['peak_serving_mb']:.0f} | {'met' if verdict['rss_met'] else 'missed'} "
            f"| {tput[OURS]['requests_per_s']:.1f} | {tput[OXIGRAPH]['requests_per_s']:.1f} |"
        )
        sections += section
    lines += ["", *sections]
    m = info["machine"]
    lines += [
        "## Machine and versions",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; memory {m['memory']}; {m['os']}, kernel {m['kernel']}",
        f"- Python {m['python']}; " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()),
        "- rdflib-endpoint venv: " + (", ".join(f"{k} {v}" for k, v in info["peer_versions"].items()) or "-"),
        f"- code measured: {info['git']} (from {args.source})",
        f"- load average (1, 5, 15 min) at the start {info['load_start']}, at the end {info['load_end']}: "
        "the machine is shared; servers and clients share its cores, so the client's own CPU use (in the "
        "throughput table) is taken from the servers.",
        "",
        "The query set is `bench/sparql_queries/*.rq`: lists with ORDER BY/LIMIT (01, 02), aggregates "
        "(03-05), text filters (06 CONTAINS, 07 REGEX), OPTIONAL-heavy (08, 09), CONSTRUCT of one resource "
        "(10, 11).",
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    log(f"wrote {args.out}")


# -- main ----------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--triples", type=int, nargs="+", default=[1_000_000], help="sizes (default 1000000)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per load phase (default 20)")
    parser.add_argument(
        "--runs", type=int, default=20, help="measured runs per query and server (default 20)"
    )
    parser.add_argument("--warmup", type=int, default=3, help="warm-up runs per query and server (default 3)")
    parser.add_argument(
        "--budget", type=float, default=60.0, help="most seconds of runs per query and server"
    )
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument(
        "--load-rounds", type=int, default=2, help="load phases per server, alternating (default 2)"
    )
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads (default 8)")
    parser.add_argument("--query-workers", type=int, default=2, help="CLUSTERLOD_QUERY_WORKERS (default 2)")
    parser.add_argument("--max-rows", type=int, default=10000, help="max_rows for the in-process breakdown")
    parser.add_argument("--request-timeout", type=float, default=120.0, help="seconds per HTTP request")
    parser.add_argument("--setup-timeout", type=float, default=1800.0, help="seconds per setup step")
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "clusterlod-sparql-bench",
        help="cache folder",
    )
    parser.add_argument("--out", type=Path, default=HERE / "out" / "sparql.md", help="the Markdown report")
    parser.add_argument("--queries", type=Path, default=QUERY_DIR, help="folder of *.rq files")
    parser.add_argument("--source", type=Path, default=REPO, help="checkout whose publisher/ is measured")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--report-from", type=Path, help="only write the report from a saved sparql-run.json")
    parser.add_argument("--no-serve", dest="with_serve", action="store_false", help="skip clusterlod serve")
    parser.add_argument("--skip-peer", action="store_true", help="skip rdflib-endpoint")
    parser.add_argument("--peer-runs", type=int, default=5, help="runs per query for rdflib-endpoint")
    parser.add_argument("--peer-budget", type=float, default=30.0, help="most seconds per query, rdflib")
    parser.add_argument("--peer-load-timeout", type=float, default=900.0, help="seconds to load rdflib")
    parser.add_argument(
        "--peer-fallback", type=int, default=100_000, help="size for rdflib-endpoint when the full one fails"
    )
    args = parser.parse_args(argv)
    args.work = args.work.resolve()
    args.source = args.source.resolve()
    args.out = args.out.resolve()
    return args


def _raise_on_signal(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    if args.report_from:
        saved = json.loads(args.report_from.read_text(encoding="utf-8"))
        for key in ("duration", "runs", "warmup", "clients", "threads", "query_workers", "load_rounds"):
            setattr(args, key, saved["args"][key])
        for key in ("peer_runs", "peer_budget"):
            setattr(args, key, saved["args"][key])
        write_report(saved["results"], args, saved["info"])
        return
    signal.signal(signal.SIGTERM, _raise_on_signal)
    started = time.monotonic()
    load_start = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    processes = Processes()
    sampler = MemorySampler()
    sampler.start()
    results = []
    try:
        for size in args.triples:
            result = bench_size(args, size, processes, sampler)
            results.append(result)
            raw = args.work / f"sparql-{size}.json"
            raw.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
            log(f"raw figures in {raw}")
    finally:
        processes.stop_all()
        sampler.stop()
    info = {
        "finished": f"{dt.datetime.now():%Y-%m-%d %H:%M}",
        "seconds": time.monotonic() - started,
        "command": "python bench/sparql_bench.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "machine": machine(),
        "peer_versions": peer_versions(args.work),
        "git": git_state(args.source),
        "load_start": load_start,
        "load_end": ", ".join(f"{v:.2f}" for v in os.getloadavg()),
    }
    saved = {"args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}}
    saved.update({"info": info, "results": results})
    raw = args.work / "sparql-run.json"
    raw.write_text(json.dumps(saved, indent=2, default=str), encoding="utf-8")
    log(f"all figures in {raw} (re-render the report with --report-from {raw})")
    write_report(results, args, info)
    print(args.out.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
