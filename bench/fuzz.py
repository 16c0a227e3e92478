"""Fuzz a running server with the strategies of tests/test_fuzz.py and count the answers.

    python bench/fuzz.py http://127.0.0.1:8080/ [--requests 10000] [--seed 0] [--show 5]

The requests are shared evenly among the families (paths, parameters, headers, sparql, reconcile); each
probe is checked as the test checks it (tests/fuzz.py ``problems``: a 5xx other than a 503 with a message,
an answer that is not well-formed). Prints the answers by status per family, the problems found (the first
``--show`` of each kind with the probe that caused them) and the seconds taken. Start the server without
rate limits (``CLUSTERLOD_READ_RATE_LIMIT= CLUSTERLOD_QUERY_RATE_LIMIT= CLUSTERLOD_CLIENT_QUERIES=0``),
or most answers are 429.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import requests
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.strategies import SearchStrategy

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzz import FAMILIES, Probe, problems, send  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the server's root URL, ending in /")
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=5, help="problems shown per kind")
    args = parser.parse_args()
    per_family = max(1, args.requests // len(FAMILIES))
    statuses: dict[str, Counter[int]] = defaultdict(Counter)
    found: dict[str, list[tuple[str, Probe]]] = defaultdict(list)
    started = time.monotonic()
    with requests.Session() as session:
        for family, strategy in FAMILIES.items():
            run_family(session, args.url, family, strategy, per_family, args.seed, statuses[family], found)
    seconds = time.monotonic() - started
    total = sum(sum(c.values()) for c in statuses.values())
    every = sorted({s for c in statuses.values() for s in c})
    print(f"{total} requests in {seconds:.0f} s against {args.url}")
    print("| family | requests | " + " | ".join(str(s) for s in every) + " |")
    print("|---|---:|" + "---:|" * len(every))
    for family, counts in statuses.items():
        cells = " | ".join(str(counts.get(s, 0)) for s in every)
        print(f"| {family} | {sum(counts.values())} | {cells} |")
    overall = Counter[int]()
    for counts in statuses.values():
        overall.update(counts)
    print(f"| all | {total} | " + " | ".join(str(overall.get(s, 0)) for s in every) + " |")
    print(f"\n5xx: {sum(n for s, n in overall.items() if s >= 500)}, of which 500: {overall.get(500, 0)}")
    print(f"problems: {sum(len(v) for v in found.values())}")
    for kind, cases in sorted(found.items(), key=lambda item: -len(item[1])):
        print(f"\n{len(cases)} x {kind}")
        for problem, probe in cases[: args.show]:
            print(f"  {problem[:200]}\n    {probe}")


def run_family(
    session: requests.Session,
    url: str,
    family: str,
    strategy: SearchStrategy[Probe],
    examples: int,
    chosen_seed: int,
    statuses: Counter[int],
    found: dict[str, list[tuple[str, Probe]]],
) -> None:
    """Send ``examples`` probes of one family; count the statuses, collect the problems."""

    @seed(chosen_seed)
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(probe=strategy)
    def probe_once(probe: Probe) -> None:
        try:
            response = send(session, url, probe)
        except requests.RequestException as error:
            statuses[0] += 1
            found[f"no answer: {type(error).__name__}"].append((str(error)[:200], probe))
            return
        statuses[response.status_code] += 1
        for problem in problems(probe, response):
            found[problem.split(":")[0][:60]].append((problem, probe))

    probe_once()


if __name__ == "__main__":
    main()
