"""Memory of a running server over time: the resident memory of a process and all its descendants (gunicorn's
master, its workers and their query workers), sampled while a load runs (e.g. bench/load.py --url ...).

    python bench/soak_memory.py --pid GUNICORN_MASTER_PID --seconds 600 [--every 15]

Prints one line a sample: seconds since the start, processes, total RSS and the largest process's RSS, then
the growth from the first sample in which every process had started (query workers start on first use).
Reads /proc through psutil; changes nothing.
"""

from __future__ import annotations

import argparse
import time

import psutil

MIB = 1024 * 1024


def _sample(root: psutil.Process) -> tuple[int, int, int]:
    processes = [root, *root.children(recursive=True)]
    sizes = []
    for process in processes:
        try:
            sizes.append(process.memory_info().rss)
        except psutil.NoSuchProcess:  # a query worker replaced between listing and reading
            continue
    return len(sizes), sum(sizes), max(sizes, default=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--every", type=float, default=15)
    args = parser.parse_args()
    root = psutil.Process(args.pid)
    started = time.monotonic()
    samples: list[tuple[int, int]] = []  # (processes, total RSS)
    while time.monotonic() - started <= args.seconds:
        count, total, largest = _sample(root)
        samples.append((count, total))
        elapsed = time.monotonic() - started
        print(
            f"{elapsed:6.0f} s  {count:3d} processes  {total / MIB:8.1f} MiB"
            f"  largest {largest / MIB:7.1f} MiB"
        )
        time.sleep(args.every)
    most = max(count for count, _ in samples)
    settled = next(total for count, total in samples if count == most)  # once every worker had started
    last = samples[-1][1]
    print(
        f"from the first sample with all {most} processes: {settled / MIB:.1f} MiB, "
        f"last {last / MIB:.1f} MiB, difference {(last - settled) / MIB:+.1f} MiB ({len(samples)} samples)"
    )


if __name__ == "__main__":
    main()
