"""What Memento and the change feed cost: five releases of synthetic data with changes, removals and a return.

    python bench/history_bench.py --triples 1000000 [--out /tmp/history-bench] [--requests 200]

Measures, and prints as Markdown:

- the feed's and timeline's build time in each release (``publisher.history.record``'s own count, taken
  from its log record) against the release stage's seconds (``BuildResult.seconds["release"]``);
- the median latency of a current document (Turtle), its TimeGate's answer (the 302, not followed) and a
  memento of the first release (Turtle), each for ``--requests`` different initiatives (so no answer
  comes from the document cache), against the real server (``python -m publisher serve``) on 127.0.0.1;
- the feed's size on disk (its page files, each counted once, as the releases share them) against the five
  releases' full N-Triples dumps, gzipped and not.

Changes between releases: release 2 relabels 1 % of the initiatives and removes 1 % of the observations,
release 3 relabels another 1 % and removes another 1 %, release 4 brings back the observations release 2
removed, release 5 relabels a third 1 %.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import logging
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests
from werkzeug.http import http_date

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from publisher.build import run_pipeline  # noqa: E402
from publisher.integrity import read_manifest  # noqa: E402
from publisher.settings import Settings  # noqa: E402
from tests.server import free_port, running_server  # noqa: E402


class HistorySeconds(logging.Handler):
    """Keeps the seconds publisher.history.record logs for each release."""

    def __init__(self) -> None:
        super().__init__()
        self.seconds: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("history:") and isinstance(record.args, tuple):
            self.seconds.append(float(record.args[-1]))


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(rows)


def edition(data: Path, originals: dict[str, tuple[list[str], list[dict[str, str]]]], n: int) -> None:
    """The tables of release ``n`` (1 to 5), made from the generated ones."""
    fields, initiatives = originals["initiatives"]
    relabelled = {2: 1, 3: 2, 4: 2, 5: 3}.get(n, 0)  # how many 1 % buckets are relabelled by now
    changed = [
        {**row, "label_de": row["label_de"] + f" (Fassung {1 + (i % 100 < relabelled)})"}
        if i % 100 < relabelled
        else row
        for i, row in enumerate(initiatives)
    ]
    _write(data / "initiatives.csv", fields, changed)
    fields, observations = originals["observations"]
    gone = {2: {0}, 3: {0, 1}, 4: {1}, 5: {1}}.get(n, set())
    _write(data / "observations.csv", fields, [r for i, r in enumerate(observations) if i % 100 not in gone])


def build_five(triples: int, out: Path) -> tuple[Settings, list[dict[str, float]]]:
    data = out / "data"
    subprocess_generate(triples, data)
    originals = {name: _rows(data / f"{name}.csv") for name in ("initiatives", "observations")}
    port = free_port()
    settings = Settings(base=f"http://127.0.0.1:{port}/", data_dir=data, releases_dir=out / "releases")
    handler = HistorySeconds()
    logging.getLogger("publisher.history.record").addHandler(handler)
    logging.getLogger("publisher.history.record").setLevel(logging.INFO)
    builds = []
    for n in range(1, 6):
        edition(data, originals, n)
        started = time.monotonic()
        result = run_pipeline(settings, release=True)
        if result.release is None:
            raise RuntimeError("the build released nothing")
        builds.append(
            {
                "release": result.seconds["release"],
                "history": handler.seconds[-1],
                "total": time.monotonic() - started,
                "changes": result.release.manifest["changes"],
            }
        )
        print(f"release {n}: {builds[-1]}", file=sys.stderr)
        time.sleep(1.1)  # HTTP dates count seconds: each release its own second
    return settings, builds


def _built(folder: Path) -> dt.datetime:
    return dt.datetime.fromisoformat(str(read_manifest(folder)["built"]).replace("Z", "+00:00"))


def subprocess_generate(triples: int, data: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--triples", str(triples), "--out", str(data)],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


ACCEPT_DATETIME = "Accept-Datetime"


def latencies(settings: Settings, count: int) -> dict[str, float]:
    releases = sorted(p for p in settings.releases_dir.iterdir() if p.is_dir() and not p.is_symlink())
    first = releases[0].name
    _, initiatives = _rows(settings.data_dir / "initiatives.csv")
    keys = [row["id"] for row in initiatives]
    port = int(settings.base.rsplit(":", 1)[1].rstrip("/"))
    env = {"CLUSTERLOD_BASE": settings.base}
    timings: dict[str, list[float]] = {"current": [], "timegate": [], "memento": []}
    with running_server(settings.releases_dir, env=env, port=port) as url, requests.Session() as session:
        when = http_date(_built(releases[1]) + dt.timedelta(seconds=1))  # release 2 was current
        session.get(f"{url}releases/{first}/doc/initiative/{keys[-1]}.ttl", timeout=120)  # opens its store
        for n in range(count):
            for kind, path, headers in (
                ("current", f"doc/initiative/{keys[n]}.ttl", {}),
                # a document's TimeGate is apart (publisher.web.versions.own_timegate)
                ("timegate", f"timegate/{url}doc/initiative/{keys[count + n]}.ttl", {ACCEPT_DATETIME: when}),
                ("memento", f"releases/{first}/doc/initiative/{keys[2 * count + n]}.ttl", {}),
            ):
                started = time.perf_counter()
                answer = session.get(url + path, headers=headers, timeout=60, allow_redirects=False)
                timings[kind].append(time.perf_counter() - started)
                if answer.status_code not in (200, 302):
                    raise RuntimeError(f"{path}: {answer.status_code}")
    return {kind: statistics.median(values) * 1000 for kind, values in timings.items()}


def sizes(settings: Settings) -> dict[str, int]:
    current = settings.releases_dir / "current"
    feed = sum(p.stat().st_size for p in (current / "feed").glob("*.nt"))
    packed = sum(len(gzip.compress(p.read_bytes(), 6)) for p in (current / "feed").glob("*.nt"))
    releases = [p for p in settings.releases_dir.iterdir() if p.is_dir() and not p.is_symlink()]
    dumps_gz = sum((p / "dumps" / "data.nt.gz").stat().st_size for p in releases)
    dumps = 0
    for release in releases:
        with gzip.open(release / "dumps" / "data.nt.gz", "rb") as handle:
            while chunk := handle.read(1 << 20):
                dumps += len(chunk)
    history = sum(p.stat().st_size for p in (current / "history").iterdir())
    return {"feed": feed, "feed_gzip": packed, "dumps": dumps, "dumps_gzip": dumps_gz, "history": history}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "history")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    settings, builds = build_five(args.triples, args.out)
    timing = latencies(settings, args.requests)
    size = sizes(settings)
    print(f"\n### {args.triples:,} triples, five releases\n")
    print("| release | changes (added / changed / removed) | release stage s | history + feed s | share |")
    print("|---|---|---|---|---|")
    for n, build in enumerate(builds, 1):
        c = build["changes"]
        share = build["history"] / build["release"]
        print(
            f"| {n} | {c['added']} / {c['changed']} / {c['removed']} | {build['release']:.1f} | "
            f"{build['history']:.2f} | {share:.1%} |"
        )
    print("\n| answer | median ms | against a current document |\n|---|---|---|")
    for kind in ("current", "timegate", "memento"):
        print(f"| {kind} | {timing[kind]:.1f} | {timing[kind] / timing['current']:.2f} |")
    mib = 1 << 20
    print(
        f"\nfeed on disk: {size['feed'] / mib:.1f} MiB ({size['feed_gzip'] / mib:.1f} MiB gzipped); "
        f"five N-Triples dumps: {size['dumps'] / mib:.1f} MiB ({size['dumps_gzip'] / mib:.1f} MiB gzipped); "
        f"history index: {size['history'] / mib:.1f} MiB"
    )


if __name__ == "__main__":
    main()
