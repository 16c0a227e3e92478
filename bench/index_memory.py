"""The memory and build time of the search and reconciliation indexes a serving process keeps per release.

    python bench/generate.py --triples 1000000 --out /tmp/syn1m
    clusterlod build --data /tmp/syn1m --releases /tmp/syn1m-rel
    python bench/index_memory.py --releases /tmp/syn1m-rel [--repeat 1]

Opens the current release of ``--releases`` with the settings ``clusterlod serve`` would read (with
``CLUSTERLOD_RELEASES_DIR`` set to it), reads the store once (the facets, so that the store's own memory is
counted before), then builds the search names index (``publisher.web.names.index_of``) and the
reconciliation index (``publisher.web.reconcile.index_of``) one after the other, as ``publisher.web.warm``
does. Each figure is the growth of the process's unique memory (USS, from psutil) from before to after the
build, each after ``gc.collect()``, and the wall-clock seconds of the build, the store's SELECTs included.
The second index may reuse memory the first one's build freed, so the sum of both is the figure to compare.
``--repeat`` runs it again in a fresh process that many times and reports each run. Reads only.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIB = 2**20


def measure(releases: Path) -> dict[str, tuple[float, float]]:
    """Per index: the growth of the process's USS in MiB and the seconds its build took."""
    from flask import Flask

    from publisher.releases import current_id, load_release
    from publisher.settings import load_settings
    from publisher.web import names, reconcile
    from publisher.web.facets import facets_of

    process = psutil.Process()
    settings = load_settings(environ={"CLUSTERLOD_RELEASES_DIR": str(releases)})
    app = Flask(__name__)  # the store and the kept values need only the settings in an app context
    app.config["SETTINGS"] = settings
    release_id = current_id(releases)
    if release_id is None:
        raise SystemExit(f"{releases} has no current release")
    figures: dict[str, tuple[float, float]] = {}

    def step(name: str, build: Callable[[], object]) -> None:
        gc.collect()
        before, started = process.memory_full_info().uss, time.perf_counter()
        build()
        seconds = time.perf_counter() - started
        gc.collect()
        figures[name] = ((process.memory_full_info().uss - before) / MIB, seconds)

    with app.app_context():
        release = load_release(releases, release_id)
        base = settings.base
        facets_of(release, base)  # opens the store and reads it once
        step("search names index", lambda: names.index_of(release, base))
        step("reconciliation index", lambda: reconcile.index_of(release, base))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--releases", type=Path, required=True, help="a releases folder with a current release"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs, each in a fresh process")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # one run, for the parent
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.releases)))
        return
    runs = []
    for _ in range(args.repeat):
        command = [sys.executable, __file__, "--releases", str(args.releases), "--json"]
        runs.append(json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout))
    print("| index | run | memory (MiB) | build (s) |\n|---|---:|---:|---:|")
    for number, run in enumerate(runs, 1):
        for name, (mib, seconds) in run.items():
            print(f"| {name} | {number} | {mib:.0f} | {seconds:.1f} |")


if __name__ == "__main__":
    main()
