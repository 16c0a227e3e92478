"""Time reconciliation batches of 10 queries against the bundled release and a synthetic one.

    python bench/reconcile_bench.py [--triples 100000] [--repeat 20]

Builds both releases in a temporary folder, serves each with `clusterlod serve` and POSTs batches of ten
queries as OpenRefine does (form-encoded ``queries=``, typed as cluster organisations, half with a city).
Reports the first batch (which builds the release's index) and the median and largest of the repeats, as a
Markdown table.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

from publisher.build import run_pipeline  # noqa: E402
from publisher.settings import Settings  # noqa: E402
from tests.server import free_port  # noqa: E402

ORGANISATION = "http://localhost:8080/def/cluster#ClusterOrganisation"


def bundled_batch() -> dict[str, Any]:
    with (ROOT / "tests" / "fixtures" / "reconciliation" / "names.csv").open(encoding="utf-8") as table:
        rows = list(csv.DictReader(table))[:10]
    return _batch([(row["name"], row["city"]) for row in rows])


def synthetic_batch(initiatives: int) -> dict[str, Any]:
    """Names as the generator writes them ("Synthetische Initiative 17"), spelt as people would."""
    step = max(1, initiatives // 10)
    names = []
    for number, key in enumerate(range(1, initiatives + 1, step)):
        name = f"Synthetische Initiative {key}"
        names.append(
            ([name.lower(), name.replace("sch", "s"), f"Initiative {key} Synthetische"][number % 3], "")
        )
    return _batch(names[:10])


def _batch(names: list[tuple[str, str]]) -> dict[str, Any]:
    batch: dict[str, Any] = {}
    for number, (name, city) in enumerate(names):
        query: dict[str, Any] = {"query": name, "type": ORGANISATION}
        if city:
            query["properties"] = [{"pid": "location", "v": city}]
        batch[f"q{number}"] = query
    return batch


@contextmanager
def serving(releases: Path) -> Iterator[str]:
    """`clusterlod serve` on a free port, up once it answers a static file."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERLOD_")}
    command = [sys.executable, "-m", "publisher", "serve", "--port", str(port), "--releases", str(releases)]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(600):
            try:
                requests.get(f"{url}static/style.css", timeout=30)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def time_batches(url: str, batch: dict[str, Any], repeat: int) -> dict[str, float]:
    def once() -> float:
        started = time.perf_counter()
        response = requests.post(f"{url}reconcile", data={"queries": json.dumps(batch)}, timeout=120)
        elapsed = time.perf_counter() - started
        response.raise_for_status()
        return elapsed

    first = once()
    times = [once() for _ in range(repeat)]
    return {"first": first, "median": statistics.median(times), "max": max(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        counts = generate(args.triples, work / "synthetic")
        for label, data, batch in [
            ("bundled data", ROOT / "data", bundled_batch()),
            (
                f"synthetic, {args.triples:,} triples",
                work / "synthetic",
                synthetic_batch(counts["initiatives"]),
            ),
        ]:
            releases = work / label.split(",")[0].replace(" ", "-") / "releases"
            result = run_pipeline(Settings(data_dir=data, releases_dir=releases), release=True)
            with serving(releases) as url:
                timing = time_batches(url, batch, args.repeat)
            rows.append((label, result.triples, timing))
    print("| release | triples | first batch (builds the index) | median batch of 10 | slowest |")
    print("|---|---:|---:|---:|---:|")
    for label, triples, t in rows:
        print(f"| {label} | {triples:,} | {t['first']:.3f} s | {t['median']:.3f} s | {t['max']:.3f} s |")


if __name__ == "__main__":
    main()
