"""Rate limits and fairness as clients meet them: budgets per client (429), a cap on running queries (503).

The servers trust one proxy, so each test plays several clients by sending its own ``X-Forwarded-For``.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest
import requests

from publisher.build import run_pipeline
from publisher.errors import SettingsError
from publisher.settings import Settings, load_settings
from publisher.web.limits.slots import ClientSlots, run_folder
from tests.conftest import MINIMAL
from tests.server import free_port, minimal_site, running_server, stop, wait_until_up

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
ASK = "ASK { ?s ?p ?o }"
JSON = {"Accept": "application/json"}


def as_client(address: str, accept: str = "application/json") -> dict[str, str]:
    return {"Accept": accept, "X-Forwarded-For": address}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Small budgets (5 reads, 3 queries a day per client) behind one trusted proxy.

    Budgets are counted in windows aligned to the clock and weighted across two of them (the ``limits``
    library's sliding window counter); a day-long window keeps a window's end out of a test's few seconds.
    """
    root = tmp_path_factory.mktemp("budgets")
    env = {
        "CLUSTERLOD_READ_RATE_LIMIT": "5/day",
        "CLUSTERLOD_QUERY_RATE_LIMIT": "3/day",
        "CLUSTERLOD_TRUSTED_PROXIES": "1",
        "CLUSTERLOD_RUN_DIR": str(root / "run"),
    }
    with minimal_site(root, env) as (url, _):
        yield url


def spend(url: str, address: str, times: int) -> list[int]:
    return [requests.get(url, headers=as_client(address), timeout=30).status_code for _ in range(times)]


def test_a_client_over_its_read_budget_gets_429_with_retry_after(site: str) -> None:
    assert spend(site, "10.0.0.1", 5) == [200] * 5
    refused = requests.get(site + "doc/initiative/", headers=as_client("10.0.0.1"), timeout=30)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 2 * 86400
    error = refused.json()["error"]
    assert error["status"] == 429
    assert error["title"] == "Too Many Requests"
    assert "pages, documents and files (5 per 1 day)" in error["message"]
    assert refused.headers["Access-Control-Allow-Origin"] == "*"
    assert "Retry-After" in refused.headers["Access-Control-Expose-Headers"]
    assert refused.headers["Cache-Control"] == "no-store"
    page = requests.get(site, headers=as_client("10.0.0.1", "text/html"), timeout=30)
    assert page.status_code == 429
    assert page.headers["Content-Type"].startswith("text/html")
    assert "Retry-After" in page.headers


def test_another_client_is_not_affected(site: str) -> None:
    assert spend(site, "10.0.1.1", 6)[-1] == 429
    assert spend(site, "10.0.1.2", 5) == [200] * 5


def test_only_the_address_the_trusted_proxy_saw_counts(site: str) -> None:
    """A client cannot name itself: the proxy appends what it saw, and only that last entry is believed."""
    statuses = [
        requests.get(site, headers=as_client(f"192.0.2.{n}, 10.0.2.1"), timeout=30).status_code
        for n in range(6)
    ]
    assert statuses == [200] * 5 + [429]


def test_unknown_addresses_count_and_static_files_are_free(site: str) -> None:
    missing = [
        requests.get(site + f"no/such/{n}", headers=as_client("10.0.3.1"), timeout=30).status_code
        for n in range(6)
    ]
    assert missing == [404] * 5 + [429]
    styles = [
        requests.get(site + "static/style.css", headers=as_client("10.0.3.1"), timeout=30).status_code
        for _ in range(8)
    ]
    assert styles == [200] * 8


def test_the_query_budget_is_apart_from_the_read_budget(site: str) -> None:
    client = "10.0.4.1"
    assert spend(site, client, 6)[-1] == 429
    sparql = site + "sparql"
    asked = [
        requests.get(sparql, params={"query": ASK}, headers=as_client(client), timeout=30) for _ in range(4)
    ]
    assert [r.status_code for r in asked] == [200, 200, 200, 429]
    assert asked[0].json()["boolean"] is True
    assert "SPARQL and reconciliation requests (3 per 1 day)" in asked[3].json()["error"]["message"]
    assert "Retry-After" in asked[3].headers
    assert asked[3].headers["Access-Control-Allow-Origin"] == "*"


def test_reconciliation_spends_the_query_budget(site: str) -> None:
    client = "10.0.5.1"
    manifests = [requests.get(site + "reconcile", headers=as_client(client), timeout=30) for _ in range(3)]
    assert [r.status_code for r in manifests] == [200] * 3
    refused = requests.get(site + "sparql", params={"query": ASK}, headers=as_client(client), timeout=30)
    assert refused.status_code == 429
    assert spend(site, client, 1) == [200], "pages still have their own budget"


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(tmp_path: Path) -> None:
    env = {"CLUSTERLOD_READ_RATE_LIMIT": "3/day", "CLUSTERLOD_RUN_DIR": str(tmp_path / "run")}
    with minimal_site(tmp_path, env) as (url, _):
        statuses = [
            requests.get(url, headers=as_client(f"10.1.0.{n}"), timeout=30).status_code for n in range(4)
        ]
    # four addresses, but one client (127.0.0.1, whose start-up probe spent one request as well)
    assert statuses[0] == 200
    assert statuses[-1] == 429, "every request came from 127.0.0.1, whatever the header says"


@dataclass
class Runaway:
    """One of client A's runaway queries: its answer, and when it came (seconds on the test's clock)."""

    response: requests.Response
    answered: float

    @property
    def message(self) -> str:
        return str(self.response.json()["error"]["message"])


def runaway_and_ask(url: str, runaways: int) -> tuple[list[Runaway], list[requests.Response]]:
    """Client A sends ``runaways`` runaway queries in parallel; meanwhile client B asks, ASK after ASK.

    A's queries leave 0.2 s apart, as from a script that starts them in a loop.
    """
    sparql = url + "sparql"

    def run_away() -> Runaway:
        answer = requests.get(sparql, params={"query": RUNAWAY}, headers=as_client("10.2.0.1"), timeout=60)
        return Runaway(answer, time.monotonic())

    with ThreadPoolExecutor(max_workers=runaways) as pool:
        started = []
        for _ in range(runaways):
            started.append(pool.submit(run_away))
            time.sleep(0.2)
        asked = []
        while not all(future.done() for future in started):
            asked.append(
                requests.get(sparql, params={"query": ASK}, headers=as_client("10.2.0.2"), timeout=30)
            )
            time.sleep(0.2)
        return [future.result() for future in started], asked


def one_after_another(runaways: list[Runaway], seconds: float) -> None:
    """Those of A's queries that ran ran one at a time; the others were refused after waiting for a slot.

    A runaway query holds its slot until its time limit (``seconds``) stops it, so answers that ran
    one after another come at least that far apart; two that ran at once would come together.
    """
    messages = [runaway.message for runaway in runaways]
    ran = sorted(runaway.answered for runaway in runaways if "time limit" in runaway.message)
    capped = [runaway for runaway in runaways if "already runs 1 query at once" in runaway.message]
    assert ran, messages
    assert len(ran) + len(capped) == len(runaways), messages
    assert all(later - earlier > 0.75 * seconds for earlier, later in itertools.pairwise(ran)), ran
    assert all(runaway.response.status_code == 503 for runaway in runaways)
    assert all(runaway.response.headers["Retry-After"] == "1" for runaway in capped)
    assert all(runaway.response.headers["Access-Control-Allow-Origin"] == "*" for runaway in capped)


FAIRNESS = {
    "CLUSTERLOD_TRUSTED_PROXIES": "1",
    "CLUSTERLOD_QUERY_WORKERS": "2",
    "CLUSTERLOD_QUERY_TIMEOUT": "2",
    "CLUSTERLOD_QUEUE_TIMEOUT": "0.5",
}


def test_a_client_with_runaway_queries_does_not_starve_another(tmp_path: Path) -> None:
    env = FAIRNESS | {"CLUSTERLOD_CLIENT_QUERIES": "1", "CLUSTERLOD_RUN_DIR": str(tmp_path / "run")}
    with minimal_site(tmp_path, env) as (url, _):
        runaways, asked = runaway_and_ask(url, 4)
    assert asked and {r.status_code for r in asked} == {200}
    assert all(r.json()["boolean"] is True for r in asked)
    one_after_another(runaways, 2)


def test_quick_queries_sent_at_once_are_answered_in_turn(tmp_path: Path) -> None:
    """They wait for each other's slot, being young (queue_timeout is generous for a busy machine)."""
    env = {
        "CLUSTERLOD_TRUSTED_PROXIES": "1",
        "CLUSTERLOD_CLIENT_QUERIES": "1",
        "CLUSTERLOD_QUEUE_TIMEOUT": "5",
        "CLUSTERLOD_RUN_DIR": str(tmp_path / "run"),
    }
    with minimal_site(tmp_path, env) as (url, _), ThreadPoolExecutor(max_workers=8) as pool:
        ask = partial(requests.get, url + "sparql", params={"query": ASK}, timeout=60)
        quick = list(pool.map(lambda _: ask(headers=as_client("10.2.1.1")), range(8)))
    assert [r.status_code for r in quick] == [200] * 8
    assert all(r.json()["boolean"] is True for r in quick)


def test_without_the_cap_the_same_runaways_starve_the_other_client(tmp_path: Path) -> None:
    """The contrast that shows what the cap does: the defect as it was (issue 12)."""
    env = FAIRNESS | {"CLUSTERLOD_CLIENT_QUERIES": "0"}
    with minimal_site(tmp_path, env) as (url, _):
        runaways, asked = runaway_and_ask(url, 4)
    refused = [r for r in asked if r.status_code == 503]
    assert refused, ([r.status_code for r in asked], [runaway.message for runaway in runaways])
    assert all("busy" in r.json()["error"]["message"] for r in refused)


def test_the_cap_holds_across_gunicorn_workers(tmp_path: Path, data_dir: Path) -> None:
    """Six runaways spread over three processes: a cap counted per process would let several run at once."""
    settings = Settings(data_dir=data_dir, releases_dir=tmp_path / "releases")
    run_pipeline(settings, release=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERLOD_")}
    env |= FAIRNESS | {
        "CLUSTERLOD_RELEASES_DIR": str(settings.releases_dir),
        "CLUSTERLOD_CLIENT_QUERIES": "1",
        "CLUSTERLOD_RUN_DIR": str(tmp_path / "run"),
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "-c", "python:publisher.web.gunicorn_conf", "--workers", "3", "--threads", "4"]
    process = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}", "publisher.web.wsgi:create_app_from_environment()"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url + "sparql", process)
        runaways, asked = runaway_and_ask(url, 6)
    finally:
        stop(process)
    one_after_another(runaways, 2)
    assert asked and {r.status_code for r in asked} == {200}


def test_a_slot_is_free_again_when_its_holder_is_killed(tmp_path: Path) -> None:
    slots = ClientSlots(tmp_path, per_client=1)
    held = slots.take("10.3.0.1", patience=60, wait=0)
    assert held is not None
    assert slots.take("10.3.0.1", patience=60, wait=0.1) is None, "the client's one slot is taken"
    slots.give_back(held)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from publisher.web.limits.slots import ClientSlots; "
            "assert ClientSlots(Path(sys.argv[1]), 1).take('10.3.0.1', 60, 0) is not None; "
            "print('held', flush=True); time.sleep(60)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline() == b"held\n"
    assert slots.take("10.3.0.1", patience=60, wait=0.1) is None, "another process holds it"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=10)
    holder.stdout.close()
    again = slots.take("10.3.0.1", patience=60, wait=2)
    assert again is not None, "the kernel dropped the killed holder's lock"
    slots.give_back(again)


def test_a_query_waits_for_a_young_slot_and_not_for_an_old_one(tmp_path: Path) -> None:
    slots = ClientSlots(tmp_path, per_client=1)
    held = slots.take("10.3.1.1", patience=1, wait=0)
    assert held is not None
    release = threading.Timer(0.3, slots.give_back, args=(held,))
    release.start()
    waited = slots.take("10.3.1.1", patience=1, wait=30)
    release.join()
    assert waited is not None, "the holder was young, so the query waited for it and took its slot"
    slot_file = next(tmp_path.iterdir())
    os.utime(slot_file, (time.time() - 5, time.time() - 5))  # as if taken 5 s ago
    assert slots.take("10.3.1.1", patience=1, wait=30) is None, "refused: the holder is older than patience"
    slots.give_back(waited)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("READ_RATE_LIMIT", "lots", "read_rate_limit 'lots' is not a rate limit"),
        ("QUERY_RATE_LIMIT", "10 per fortnight", "query_rate_limit '10 per fortnight' is not a rate limit"),
        ("RATE_LIMIT_STORAGE", "localhost:6379", "is not a storage URI"),
        ("TRUSTED_PROXIES", "-1", "trusted_proxies must be 0 or more"),
        ("CLIENT_QUERIES", "-2", "client_queries must be 0 or more"),
    ],
)
def test_bad_limit_settings_are_named(name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        load_settings(environ={f"CLUSTERLOD_{name}": value})


def test_a_storage_the_server_cannot_use_stops_it_at_start(tmp_path: Path, data_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERLOD_")}
    env |= {"CLUSTERLOD_DATA_DIR": str(data_dir), "CLUSTERLOD_RELEASES_DIR": str(tmp_path / "releases")}
    env |= {"CLUSTERLOD_RATE_LIMIT_STORAGE": "nosuch://host"}
    command = [sys.executable, "-m", "publisher", "serve", "--port", str(free_port())]
    finished = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert finished.returncode != 0
    assert "rate_limit_storage 'nosuch://host'" in finished.stderr


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """Debian's redis-server (`make test` installs it) on a free port of 127.0.0.1, nothing kept on disk."""
    port = free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        ping = ["redis-cli", "-p", str(port), "ping"]
        while subprocess.run(ping, capture_output=True, text=True, check=False).stdout != "PONG\n":
            assert process.poll() is None and time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}"
    finally:
        stop(process)


def test_a_shared_storage_counts_one_budget_across_servers(tmp_path: Path) -> None:
    """Two server processes (as gunicorn workers or two machines) counting in one Redis: a client's budget is
    spent wherever its requests land."""
    shutil.copytree(MINIMAL, tmp_path / "data")
    with redis_server(tmp_path) as storage:
        env = {
            "CLUSTERLOD_READ_RATE_LIMIT": "4/day",
            "CLUSTERLOD_TRUSTED_PROXIES": "1",
            "CLUSTERLOD_RATE_LIMIT_STORAGE": storage,
        }
        serve = partial(running_server, tmp_path / "releases", tmp_path / "data", env)
        with serve() as one, serve() as other:
            assert spend(one, "10.5.0.1", 2) == [200, 200]
            assert spend(other, "10.5.0.1", 3) == [200, 200, 429]
            assert spend(one, "10.5.0.1", 1) == [429]
            assert spend(other, "10.5.0.2", 1) == [200]


def test_while_the_shared_storage_is_unreachable_each_server_counts_in_memory(tmp_path: Path) -> None:
    """A Redis storage nothing listens at (the real client library, a closed port): requests are still
    answered and counted, the log says why."""
    log = tmp_path / "server.log"
    env = {
        "CLUSTERLOD_READ_RATE_LIMIT": "3/day",
        "CLUSTERLOD_TRUSTED_PROXIES": "1",
        "CLUSTERLOD_RATE_LIMIT_STORAGE": f"redis://127.0.0.1:{free_port()}",
    }
    shutil.copytree(MINIMAL, tmp_path / "data")
    with running_server(tmp_path / "releases", tmp_path / "data", env, log=log) as url:
        assert spend(url, "10.4.0.1", 4) == [200, 200, 200, 429]
        assert spend(url, "10.4.0.2", 1) == [200]
    assert log.read_text().count("Rate limit storage unreachable") == 1


def test_the_run_folder_is_made_on_first_use_and_must_be_private(tmp_path: Path) -> None:
    folder = tmp_path / "run"
    settings = Settings(releases_dir=tmp_path / "releases", run_dir=str(folder))
    slots = ClientSlots(run_folder(settings), per_client=1)
    assert not folder.exists(), "nothing is made before the first query"
    held = slots.take("10.3.2.1", patience=60, wait=0)
    assert held is not None
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    slots.give_back(held)
    folder.chmod(0o777)
    with pytest.raises(SettingsError, match="writable by no one else"):
        run_folder(settings)
