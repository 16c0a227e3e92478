"""Median latency of documents, pages and portal queries: embedded store vs an external Oxigraph server.

    python bench/remote_bench.py [--data DIR] [--rounds 30]

Builds the data into a fresh Oxigraph server (the `oxigraph` command in the venv) on 127.0.0.1, serves the
same release twice with `clusterlod serve` (remote mode and embedded mode, `document_cache = 0` so every
document is made anew), and times sequential requests from one client. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publisher.build import run_pipeline  # noqa: E402
from publisher.settings import Settings  # noqa: E402
from tests.remote import oxigraph_server  # noqa: E402
from tests.server import running_server  # noqa: E402

EXAMPLES = ROOT / "publisher" / "web" / "examples"


def median_ms(url: str, accept: str, rounds: int, params: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        answer = requests.get(url, params=params, headers={"Accept": accept}, timeout=60)
        times.append(time.perf_counter() - started)
        if answer.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {answer.status_code}")
    return statistics.median(times) * 1000


def cases(base: str) -> list[tuple[str, str, str, dict[str, str] | None]]:
    """(name, path, Accept, params) of what is timed."""
    found: list[tuple[str, str, str, dict[str, str] | None]] = [
        ("document, Turtle (initiative)", "doc/initiative/photonics-bw", "text/turtle", None),
        ("document, HTML (initiative)", "doc/initiative/photonics-bw", "text/html", None),
        ("document, Turtle (field)", "doc/field/key-technology-microsystems", "text/turtle", None),
        ("home page", "", "text/html", None),
        ("list of initiatives", "doc/initiative/", "text/html", None),
        ("search", "search", "text/html", {"q": "photonik"}),
    ]  # fmt: skip
    for example in sorted(EXAMPLES.glob("*.rq")):
        query = example.read_text(encoding="utf-8").replace("http://localhost:8080/", base)
        found.append(
            (f"SPARQL {example.stem}", "sparql", "application/sparql-results+json", {"query": query})
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, oxigraph_server(Path(scratch) / "oxigraph") as oxigraph:
        settings = Settings(
            data_dir=args.data,
            releases_dir=Path(scratch) / "releases",
            remote_query_url=oxigraph.query_url,
            remote_store_url=oxigraph.store_url,
        )
        release = run_pipeline(settings, release=True).release
        assert release is not None  # noqa: S101
        env = {"CLUSTERLOD_DOCUMENT_CACHE": "0"}
        with (
            running_server(settings.releases_dir, env=env) as embedded,
            running_server(settings.releases_dir, env=env | oxigraph.env()) as remote,
        ):
            print(f"{release.triples} triples, {args.rounds} sequential requests each, median ms\n")
            print("| request | embedded | remote (Oxigraph server) | ratio |")
            print("|---|---:|---:|---:|")
            for name, path, accept, params in cases(settings.base):
                for url in (embedded, remote):  # warm both (memoised lookups, opened stores)
                    median_ms(url + path, accept, 2, params)
                local = median_ms(embedded + path, accept, args.rounds, params)
                far = median_ms(remote + path, accept, args.rounds, params)
                print(f"| {name} | {local:.1f} | {far:.1f} | {far / local:.1f} |")


if __name__ == "__main__":
    main()
