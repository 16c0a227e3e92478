"""Time every stage of a build at several sizes against two baselines measured in the same run.

    python bench/run.py [--sizes 10000 100000 1000000] [--out bench/out] [--repeat 1] [--timeout 900]

For each size N this
1. generates synthetic source tables of about N triples (bench/generate.py);
2. builds a release from them in a fresh subprocess with publisher.build.run_pipeline, recording its seconds
   per stage (read, map, validate, release), the wall time of the whole build and the peak resident memory
   of the process (ru_maxrss of that one child, from os.wait4);
3. in another fresh subprocess, reads and maps the same tables (not timed), writes the mapped graph as
   N-Triples (not timed) and times the baselines:
   - Oxigraph's own bulk load of those N-Triples into a fresh store folder;
   - pyshacl validating the mapped graph against the project's shapes with inference "none";
4. reports build total / (Oxigraph load + pyshacl validation); the goal is at most 1.5 at 1M triples.

With --repeat R each size is built and measured R times (build and baselines alternately, each in a fresh
process); the table shows the median of each figure, the largest peak memory, and the ratio of the median
build total to the median baseline with its range over the runs. Results go to OUT/results.json and
OUT/results.md; the Markdown table is also printed. Each subprocess is killed after --timeout seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from generate import generate

HERE = Path(__file__).resolve().parent
GOAL = 1.5
GOAL_SIZE = 1_000_000
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
LIBRARIES = ("clusterlod", "rdflib", "pyshacl", "pyoxigraph", "owlrl")


# -- workers: each runs in its own fresh interpreter ------------------------------------------------------


def work_build(data: Path, work: Path) -> dict[str, Any]:
    """Build a release of ``data`` exactly as ``clusterlod build`` does; time it."""
    from publisher.build import run_pipeline
    from publisher.settings import Settings

    settings = Settings(data_dir=data, releases_dir=work / "releases")
    started = time.perf_counter()
    result = run_pipeline(settings, release=True)
    total = time.perf_counter() - started
    assert result.release is not None  # noqa: S101 - run_pipeline(release=True) always releases
    return {
        "rows": result.rows,
        "triples": result.triples,
        "seconds": result.seconds,
        "total": round(total, 3),
        "release_bytes": sum(p.stat().st_size for p in result.release.folder.rglob("*") if p.is_file()),
    }


def work_baselines(data: Path, work: Path) -> dict[str, Any]:
    """Oxigraph's bulk load of the mapped graph's N-Triples, and pyshacl on the mapped graph."""
    import pyoxigraph as ox
    import pyshacl

    from publisher.map import map_sources
    from publisher.read import read_sources
    from publisher.settings import Settings
    from publisher.uris import UriScheme
    from publisher.validate import load_shapes

    uris = UriScheme(Settings().base)
    graph = map_sources(read_sources(data), uris).graph
    ntriples = work / "mapped.nt"
    graph.serialize(ntriples, format="nt", encoding="utf-8")

    store_folder = work / "oxigraph-store"
    started = time.perf_counter()
    store = ox.Store(str(store_folder))
    store.bulk_load(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES)
    oxigraph_load = time.perf_counter() - started
    loaded = len(store)
    del store

    shapes = load_shapes(uris)
    started = time.perf_counter()
    conforms, _, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    pyshacl_validate = time.perf_counter() - started
    return {
        "triples": len(graph),
        "oxigraph_loaded": loaded,
        "ntriples_bytes": ntriples.stat().st_size,
        "oxigraph_load": round(oxigraph_load, 3),
        "pyshacl_validate": round(pyshacl_validate, 3),
        "pyshacl_conforms": bool(conforms),
    }


WORKERS = {"build": work_build, "baselines": work_baselines}


def run_worker(kind: str, data: Path, work: Path, timeout: float) -> dict[str, Any]:
    """Run a worker in a fresh subprocess; return its result with its wall time and peak RSS (MiB)."""
    work.mkdir(parents=True, exist_ok=True)
    result_file = work / f"{kind}.json"
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", kind]
    command += ["--data", str(data), "--work", str(work), "--result", str(result_file)]
    started = time.perf_counter()
    process = subprocess.Popen(command, start_new_session=True)
    deadline = started + timeout
    try:
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                raise TimeoutError
            time.sleep(0.05)
    except BaseException as error:  # a timeout or Ctrl-C: the worker has its own session, so stop it here
        os.killpg(process.pid, signal.SIGKILL)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if isinstance(error, TimeoutError):
            return {"error": f"timed out after {timeout:g} s"}
        raise
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if process.returncode != 0 or not result_file.exists():
        return {"error": f"exit code {process.returncode}"}
    result: dict[str, Any] = json.loads(result_file.read_text())
    result["process_seconds"] = round(elapsed, 3)
    result["peak_rss_mib"] = round(usage.ru_maxrss / 1024, 1)  # Linux reports KiB
    return result


# -- the benchmark ---------------------------------------------------------------------------------------


def bench_size(size: int, seed: int, timeout: float, repeat: int, scratch: Path) -> dict[str, Any]:
    """Generate once; then, ``repeat`` times, build and measure the baselines (alternately)."""
    folder = scratch / f"n{size}"
    shutil.rmtree(folder, ignore_errors=True)
    data = folder / "data"
    load_before = os.getloadavg()  # other work on the machine skews the figures: keep a note of it
    started = time.perf_counter()
    rows = generate(size, data, seed)
    generated = time.perf_counter() - started
    _say(f"{size}: generated {sum(rows.values())} rows in {generated:.1f} s")
    runs = []
    for number in range(1, repeat + 1):
        shutil.rmtree(folder / "build", ignore_errors=True)
        shutil.rmtree(folder / "baselines", ignore_errors=True)
        build = run_worker("build", data, folder / "build", timeout)
        _say(f"{size} #{number}: build {build.get('total', build.get('error'))} s {build.get('seconds', '')}")
        baselines = run_worker("baselines", data, folder / "baselines", timeout)
        run: dict[str, Any] = {"build": build, "baselines": baselines}
        if "error" not in build and "error" not in baselines:
            run["baseline_total"] = round(baselines["oxigraph_load"] + baselines["pyshacl_validate"], 3)
            run["ratio"] = round(build["total"] / run["baseline_total"], 3)
        _say(f"{size} #{number}: baselines {baselines}; ratio {run.get('ratio')}")
        runs.append(run)
    entry: dict[str, Any] = {
        "size": size,
        "seed": seed,
        "rows": rows,
        "generate_seconds": round(generated, 3),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "runs": runs,
    }
    complete = [run for run in runs if "ratio" in run]
    if complete:
        entry.update(_medians(complete))
    else:
        entry["error"] = runs[-1]["build"].get("error") or runs[-1]["baselines"].get("error")
    return entry


def _medians(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median of each figure over the runs (peak memory: the largest); the ratio of the medians."""

    def median(values: list[float]) -> float:
        return round(statistics.median(values), 3)

    builds = [run["build"] for run in runs]
    bases = [run["baselines"] for run in runs]
    build = {
        "triples": builds[0]["triples"],
        "seconds": {stage: median([b["seconds"][stage] for b in builds]) for stage in builds[0]["seconds"]},
        "total": median([b["total"] for b in builds]),
        "peak_rss_mib": max(b["peak_rss_mib"] for b in builds),
    }
    baselines = {
        "oxigraph_load": median([b["oxigraph_load"] for b in bases]),
        "pyshacl_validate": median([b["pyshacl_validate"] for b in bases]),
        "peak_rss_mib": max(b["peak_rss_mib"] for b in bases),
    }
    baseline_total = median([run["baseline_total"] for run in runs])
    ratios = [run["ratio"] for run in runs]
    return {
        "build": build,
        "baselines": baselines,
        "baseline_total": baseline_total,
        "ratio": round(build["total"] / baseline_total, 3),
        "ratio_range": [min(ratios), max(ratios)],
    }


def revision() -> dict[str, Any]:
    """The commit measured, and whether the code the build runs differs from it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=HERE.parent, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return {
        "commit": git("rev-parse", "HEAD") or None,
        "changed": git("status", "--porcelain", "--", "publisher", "shapes", "ontology").splitlines(),
    }


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": _cpu_model(),
        "ram_gib": _ram_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
    }
    for name in LIBRARIES:
        try:
            info[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            info[name] = None
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


def markdown(results: list[dict[str, Any]]) -> str:
    """One row per size: medians over the runs; the ratio's range when there were several runs."""
    header = (
        "| triples | rows | runs | read s | map s | validate s | release s | build total s | peak RSS MiB "
        "| Oxigraph load s | pyshacl s | baseline s | ratio | goal ≤ 1.5 |"
    )
    lines = [header, "|" + "---:|" * 13 + ":---:|"]
    for entry in results:
        runs = len(entry["runs"])
        if "error" in entry:
            cells = [f"{entry['size']:,}", f"{sum(entry['rows'].values()):,}", str(runs), entry["error"]]
            lines.append("| " + " | ".join(cells) + " |" + " |" * 10)
            continue
        build, base, ratio = entry["build"], entry["baselines"], entry["ratio"]
        low, high = entry["ratio_range"]
        goal = "-"
        if entry["size"] >= GOAL_SIZE:
            goal = "met" if ratio <= GOAL else "missed"
            if low <= GOAL < high:
                goal += " (not in every run)"
        cells = [
            f"{build['triples']:,}",
            f"{sum(entry['rows'].values()):,}",
            str(runs),
            *(f"{build['seconds'].get(name, 0):.2f}" for name in ("read", "map", "validate", "release")),
            f"{build['total']:.2f}",
            f"{build['peak_rss_mib']:,.0f}",
            f"{base['oxigraph_load']:.2f}",
            f"{base['pyshacl_validate']:.2f}",
            f"{entry['baseline_total']:.2f}",
            f"{ratio:.2f}" + (f" ({low:.2f} to {high:.2f})" if runs > 1 else ""),
            goal,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="triples per run")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="folder for results (bench/out)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per subprocess (default 900)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generator (default 1)")
    parser.add_argument("--repeat", type=int, default=1, help="builds and baselines per size (medians)")
    parser.add_argument("--keep", action="store_true", help="keep generated tables and releases in OUT/work")
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        result = WORKERS[args.worker](args.data, args.work)
        args.result.write_text(json.dumps(result, indent=2) + "\n")
        return

    args.out.mkdir(parents=True, exist_ok=True)
    scratch = args.out / "work" if args.keep else Path(tempfile.mkdtemp(prefix="clusterlod-bench-"))
    context = {
        "started": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "machine": machine(),
        "revision": revision(),
        "goal": f"build total <= {GOAL} x (Oxigraph bulk load + pyshacl validate) at {GOAL_SIZE:,} triples",
    }
    results = []
    try:
        for size in args.sizes:
            results.append(bench_size(size, args.seed, args.timeout, args.repeat, scratch))
            _write(args.out, context, results)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    print(markdown(results))


def _write(out: Path, context: dict[str, Any], results: list[dict[str, Any]]) -> None:
    report = {**context, "results": results}
    (out / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    (out / "results.md").write_text(markdown(results) + "\n")


if __name__ == "__main__":
    main()
