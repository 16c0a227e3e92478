"""Profile each stage of a build with cProfile, and time the garbage collector in each stage.

    python bench/profile_build.py --triples 1000000 [--out bench/out/profile] [--top 25]

Runs the stages as publisher.build.run_pipeline does (read, map, validate, release), each under its own
profiler, writes one ``{stage}.prof`` per stage (open with ``python -m pstats`` or snakeviz) and prints the
functions with the most own time and the most cumulative time per stage. cProfile slows pure-Python code
down by roughly 1.5-2x, so read the shares, not the absolute seconds.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from generate import generate

from publisher.build import count_entities, inputs_digest
from publisher.map import map_sources
from publisher.read import read_sources
from publisher.release import ReleaseContent, write_release
from publisher.settings import Settings
from publisher.uris import UriScheme
from publisher.validate import load_shapes, validate_mapping
from publisher.vocab import load_ontology

HERE = Path(__file__).resolve().parent
T = TypeVar("T")


class GcTimer:
    """Seconds spent in the cyclic garbage collector, via gc.callbacks."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = 0
        self._started = 0.0

    def __call__(self, phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.collections += 1


def profiled(name: str, out: Path, top: int, action: Callable[[], T]) -> T:
    timer = GcTimer()
    gc.callbacks.append(timer)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    try:
        result = profiler.runcall(action)
    finally:
        gc.callbacks.remove(timer)
    wall = time.perf_counter() - started
    profiler.dump_stats(out / f"{name}.prof")
    gc_note = f"gc {timer.seconds:.1f} s in {timer.collections} runs"
    print(f"\n=== {name}: {wall:.1f} s under the profiler; {gc_note}")
    for order in ("tottime", "cumulative"):
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats(order).print_stats(top)
        body = text.getvalue()
        print(f"--- {name}, by {order}")
        print(body[body.find("   ncalls") :].rstrip())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--triples", type=int, default=1_000_000, help="size to generate (default 1M)")
    parser.add_argument("--data", type=Path, help="profile these tables instead of generating")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "profile", help="folder for .prof files")
    parser.add_argument("--top", type=int, default=25, help="functions listed per stage and order")
    args = parser.parse_args()

    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    data_dir = args.data or args.out / "data"
    if not args.data:
        generate(args.triples, data_dir)
    settings = Settings(data_dir=data_dir, releases_dir=args.out / "releases")
    uris = UriScheme(settings.base)

    data = profiled("read", args.out, args.top, lambda: read_sources(data_dir))
    mapping = profiled("map", args.out, args.top, lambda: map_sources(data, uris))
    report = profiled("validate", args.out, args.top, lambda: validate_mapping(mapping, uris))
    classes = profiled("result", args.out, args.top, lambda: count_entities(mapping.graph, uris))

    def release() -> None:
        content = ReleaseContent(
            graph=mapping.graph,
            ontology=load_ontology(str(uris.ontology)),
            shapes=load_shapes(uris),
            report=report.graph,
            base=settings.base,
            rows_read={name: len(records) for name, records in data.records.items()},
            classes=classes,
            inputs_digest=inputs_digest(settings),
        )
        write_release(content, settings.releases_dir)

    profiled("release", args.out, args.top, release)


if __name__ == "__main__":
    main()
