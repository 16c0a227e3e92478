"""No process of ours outlives its parent: query workers, their resource tracker and the build's validators
end when the process that started them is killed with SIGKILL (issue 12, defect 3)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import requests

from publisher.build import run_pipeline
from publisher.settings import Settings
from publisher.sparql.worker import NICENESS
from tests.conftest import PROJECT
from tests.server import TEST_LIMITS, free_port, stop, wait_until_up

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
GONE_WITHIN = 10.0  # seconds the kernel and the children get to end after their parent is killed


def _environment(releases: Path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERLOD_")}
    env["CLUSTERLOD_RELEASES_DIR"] = str(releases)
    env |= TEST_LIMITS
    env |= {f"CLUSTERLOD_{name.upper()}": value for name, value in settings.items()}
    return env


def _started(command: list[str], settings: Settings) -> subprocess.Popen[bytes]:
    """A server of ``settings``' releases, with a query time limit long enough to be killed while busy."""
    return subprocess.Popen(
        command,
        cwd=settings.releases_dir.parent,
        env=_environment(settings.releases_dir, query_timeout="60"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for(condition: Callable[[], list[psutil.Process]], seconds: float = 60) -> list[psutil.Process]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("the processes to watch never appeared")


def _query_workers(parent: psutil.Process) -> list[psutil.Process]:
    """The parent's query workers (multiprocessing's spawned children) that are busy running a query."""
    return [
        child
        for child in parent.children()
        if "multiprocessing.spawn" in " ".join(child.cmdline()) and child.cpu_percent(0.2) > 20
    ]


def _still_alive(processes: list[psutil.Process]) -> list[psutil.Process]:
    _, alive = psutil.wait_procs(processes, timeout=GONE_WITHIN)
    return [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]


def _run_in_background(url: str) -> None:
    def ask() -> None:
        with contextlib.suppress(requests.RequestException):  # the server is killed under this request
            requests.get(url, params={"query": RUNAWAY}, headers={"Accept": "text/csv"}, timeout=30)

    threading.Thread(target=ask, daemon=True).start()


def test_killing_the_server_ends_its_busy_query_worker_and_tracker(tmp_path: Path, data_dir: Path) -> None:
    settings = Settings(data_dir=data_dir, releases_dir=tmp_path / "releases")
    run_pipeline(settings, release=True)
    port = free_port()
    server = _started([sys.executable, "-m", "publisher", "serve", "--port", str(port)], settings)
    try:
        url = f"http://127.0.0.1:{port}/sparql"
        wait_until_up(url, server)
        _run_in_background(url)
        parent = psutil.Process(server.pid)
        busy = _wait_for(lambda: _query_workers(parent))
        assert busy[0].nice() == NICENESS, "a query worker yields the CPU to the server's threads"
        descendants = parent.children(recursive=True)  # the query workers and multiprocessing's tracker
        assert busy[0] in descendants
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        assert _still_alive(descendants) == []
    finally:
        if server.poll() is None:
            stop(server)


def test_killing_a_gunicorn_worker_ends_its_busy_query_worker(tmp_path: Path, data_dir: Path) -> None:
    settings = Settings(data_dir=data_dir, releases_dir=tmp_path / "releases")
    run_pipeline(settings, release=True)
    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    app = "publisher.web.wsgi:create_app_from_environment()"
    arbiter = _started(
        [str(gunicorn), "--workers", "2", "--threads", "4", "--bind", f"127.0.0.1:{port}", app], settings
    )
    try:
        url = f"http://127.0.0.1:{port}/sparql"
        wait_until_up(url, arbiter)
        _run_in_background(url)
        master = psutil.Process(arbiter.pid)
        busy = _wait_for(lambda: [w for worker in master.children() for w in _query_workers(worker)])
        query_worker = busy[0]
        gunicorn_worker = query_worker.parent()
        assert gunicorn_worker is not None and gunicorn_worker.ppid() == arbiter.pid
        watched = gunicorn_worker.children(recursive=True)
        os.kill(gunicorn_worker.pid, signal.SIGKILL)
        assert _still_alive(watched) == []
        assert requests.get(url, params={"query": "ASK {}"}, timeout=30).status_code == 200, (
            "gunicorn goes on"
        )
    finally:
        stop(arbiter, seconds=20)


def test_killing_a_build_ends_its_validators(tmp_path: Path) -> None:
    """Above 200,000 triples the build validates in two forked processes; kill the build while they run."""
    data = tmp_path / "synthetic"
    generate = [
        sys.executable,
        str(PROJECT / "bench" / "generate.py"),
        "--triples",
        "220000",
        "--out",
        str(data),
    ]
    subprocess.run(generate, check=True, capture_output=True, timeout=300)
    build = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "publisher",
            "build",
            "--data",
            str(data),
            "--releases",
            str(tmp_path / "rel"),
        ],
        cwd=tmp_path,
        env=_environment(tmp_path / "rel"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        parent = psutil.Process(build.pid)
        validators = _wait_for(lambda: c if len(c := parent.children()) >= 2 else [], seconds=240)
        time.sleep(1)  # well into validation
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=10)
        assert _still_alive(validators) == []
        assert not (tmp_path / "rel" / "current").exists(), "the killed build released nothing"
    finally:
        if build.poll() is None:
            build.kill()
