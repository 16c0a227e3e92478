"""Generate synthetic source tables in the data/ format, sized to map to about N triples.

    python bench/generate.py --triples 100000 --out /tmp/synthetic-100k [--seed 1]

The output is deterministic for a given (triples, seed). Every row is synthetic and says so: labels read
"Synthetische Initiative 12", documents are published by "clusterlod benchmark generator (synthetic)" at
https://example.org/synthetic/..., place codes use the unassigned NUTS country ZZ and AGS state 99, and no
row links to Wikidata. All references resolve, ids are unique across the tables, and start <= end, so the
tables pass ``clusterlod validate`` with no violations.

Sizing: each table gets a share of the triples; its row count is its share divided by the triples one of its
rows maps to on average (``TRIPLES_PER_ROW``, measured with publisher.map.map_sources). Most triples come
from initiatives, events and observations; documents grow with the square root of N (a few hundred at 1M).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
from collections.abc import Callable, Sequence
from pathlib import Path

from publisher.settings import Settings
from publisher.tables import MEASURES, TABLES
from publisher.uris import UriScheme
from publisher.vocab import load_ontology

PUBLISHER = "clusterlod benchmark generator (synthetic)"
URL_BASE = "https://example.org/synthetic/"
SCHEME_TRIPLES = 14  # the fields' concept scheme: type, labels, sources, hasTopConcept

# Average triples one row maps to, measured on generated data (see the module docstring).
TRIPLES_PER_ROW = {
    "documents": 7.85,
    "fields": 8.0,
    "places": 6.0,
    "organisations": 6.4,
    "initiatives": 12.1,
    "people": 8.0,
    "posts": 7.6,
    "events": 10.3,
    "observations": 9.0,
}
# Share of the triples of the entity tables (documents, fields and places are sized on their own).
SHARES = {
    "organisations": 0.06,
    "people": 0.03,
    "posts": 0.03,
    "initiatives": 0.26,
    "events": 0.30,
    "observations": 0.32,
}
REGIONS = 4
REQUIRED = tuple(t for t in TABLES if not t.optional)  # the optional tables of dated statements stay empty
FIRST_DAY = dt.date(2000, 1, 1)
DAYS = 25 * 365

Row = dict[str, str]


def ontology_triples() -> int:
    """The ontology travels with the mapped graph (about 300 triples)."""
    return len(load_ontology(str(UriScheme(Settings().base).ontology)))


def row_counts(triples: int) -> dict[str, int]:
    """Rows per table for a graph of about ``triples`` triples."""
    root = math.sqrt(triples)
    documents = min(400, max(20, round(0.4 * root)))
    fields = min(250, max(8, round(root / 4)))
    places = 2 + REGIONS + min(1100, max(10, triples // 1000))  # country, state, regions, municipalities
    fixed = {"documents": documents, "fields": fields, "places": places}
    rest = triples - ontology_triples() - SCHEME_TRIPLES
    rest -= sum(rows * TRIPLES_PER_ROW[name] for name, rows in fixed.items())
    rest = max(rest, 0)
    counts = dict(fixed)
    for name, share in SHARES.items():
        counts[name] = max(2, round(rest * share / TRIPLES_PER_ROW[name]))
    return {table.name: counts[table.name] for table in REQUIRED}


class _Generator:
    def __init__(self, triples: int, seed: int) -> None:
        self.rng = random.Random(f"clusterlod-bench:{seed}:{triples}")
        self.counts = row_counts(triples)
        self.ids = {
            "documents": [f"doc-{i}" for i in range(1, self.counts["documents"] + 1)],
            "fields": [f"field-{i}" for i in range(1, self.counts["fields"] + 1)],
            "places": [f"place-{i}" for i in range(1, self.counts["places"] + 1)],
            "organisations": [f"org-{i}" for i in range(1, self.counts["organisations"] + 1)],
            "initiatives": [f"ini-{i}" for i in range(1, self.counts["initiatives"] + 1)],
            "people": [f"person-{i}" for i in range(1, self.counts["people"] + 1)],
            "posts": [f"post-{i}" for i in range(1, self.counts["posts"] + 1)],
            "events": [f"event-{i}" for i in range(1, self.counts["events"] + 1)],
            "observations": [f"obs-{i}" for i in range(1, self.counts["observations"] + 1)],
        }
        self.municipalities = self.ids["places"][2 + REGIONS :]
        series = max(1, self.counts["events"] // 20)
        self.series = self.ids["events"][:series]
        self.actors = self.ids["initiatives"] + self.ids["organisations"]

    # -- small helpers ---------------------------------------------------------------------------------

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def some(self, ids: Sequence[str], low: int, high: int) -> str:
        """Between ``low`` and ``high`` distinct ids, as a list cell."""
        k = min(len(ids), self.rng.randint(low, high))
        return ";".join(self.rng.sample(ids, k)) if k else ""

    def sources(self) -> str:
        return self.some(self.ids["documents"], 1, 2)

    def date(self, start: dt.date = FIRST_DAY, days: int = DAYS) -> dt.date:
        return start + dt.timedelta(days=self.rng.randrange(days))

    def yearish(self) -> str:
        day = self.date()
        return self.rng.choice((day.isoformat()[:4], day.isoformat()[:7], day.isoformat()))

    def maybe(self, probability: float, make: Callable[[], str]) -> str:
        return make() if self.chance(probability) else ""

    # -- one method per table --------------------------------------------------------------------------

    def documents(self) -> list[Row]:
        rows = []
        for number, key in enumerate(self.ids["documents"], start=1):
            german = self.chance(0.7)
            rows.append(
                {
                    "id": key,
                    "title": f"Synthetische Quelle {number}" if german else f"Synthetic source {number}",
                    "title_lang": "de" if german else "en",
                    "publisher": PUBLISHER,
                    "issued": self.maybe(0.85, lambda: self.date().isoformat()),
                    "url": f"{URL_BASE}{key}",
                    "source": key,
                }
            )
        return rows

    def fields(self) -> list[Row]:
        rows = []
        keys = self.ids["fields"]
        for number, key in enumerate(keys, start=1):
            top = number <= 4
            rows.append(
                {
                    "id": key,
                    "label_de": f"Synthetisches Feld {number}",
                    "label_en": self.maybe(0.8, lambda n=number: f"Synthetic field {n}"),
                    "broader": "" if top else self.rng.choice(keys[: number - 1]),
                    "source": self.sources(),
                }
            )
        return rows

    def places(self) -> list[Row]:
        keys = self.ids["places"]
        country, state, regions = keys[0], keys[1], keys[2 : 2 + REGIONS]
        rows = [
            self.place(country, "country", "Synthetisches Land", "ZZ", ""),
            self.place(state, "state", "Synthetisches Bundesland", "ZZ1", country),
        ]
        for number, key in enumerate(regions, start=1):
            rows.append(
                self.place(key, "government-region", f"Synthetischer Bezirk {number}", f"ZZ1{number}", state)
            )
        for number, key in enumerate(self.municipalities, start=1):
            row = self.place(key, "municipality", f"Synthetische Gemeinde {number}", "", "")
            row["within"] = self.rng.choice(regions)
            row["ags"] = f"99{number:06d}"
            rows.append(row)
        return rows

    def place(self, key: str, kind: str, label: str, nuts: str, within: str) -> Row:
        english = label.replace("Synthetisches Land", "Synthetic country")
        english = english.replace("Synthetisches Bundesland", "Synthetic state")
        english = english.replace("Synthetischer Bezirk", "Synthetic region")
        english = english.replace("Synthetische Gemeinde", "Synthetic municipality")
        return {
            "id": key,
            "kind": kind,
            "label_de": label,
            "label_en": english if kind != "municipality" or self.chance(0.3) else "",
            "nuts": nuts,
            "within": within,
            "source": self.sources(),
        }

    def organisations(self) -> list[Row]:
        kinds = ("ministry", "company", "association", "research-institute", "public-body", "other")
        weights = (1, 60, 15, 12, 5, 7)
        rows = []
        for number, key in enumerate(self.ids["organisations"], start=1):
            rows.append(
                {
                    "id": key,
                    "kind": self.rng.choices(kinds, weights)[0],
                    "label_de": f"Synthetische Organisation {number}",
                    "label_en": self.maybe(0.5, lambda n=number: f"Synthetic organisation {n}"),
                    "homepage": self.maybe(0.6, lambda k=key: f"{URL_BASE}{k}"),
                    "place": self.maybe(0.8, lambda: self.rng.choice(self.municipalities)),
                    "source": self.sources(),
                }
            )
        return rows

    def initiatives(self) -> list[Row]:
        kinds = ("cluster-initiative", "state-network", "state-agency", "research-campus", "support-agency")
        weights = (80, 10, 3, 3, 4)
        rows = []
        for number, key in enumerate(self.ids["initiatives"], start=1):
            alt = [f"SI{number}", f"Synth-Initiative {number}"][: self.rng.randint(0, 2)]
            rows.append(
                {
                    "id": key,
                    "kind": self.rng.choices(kinds, weights)[0],
                    "label_de": f"Synthetische Initiative {number}",
                    "label_en": self.maybe(0.6, lambda n=number: f"Synthetic initiative {n}"),
                    "alt_labels": ";".join(alt),
                    "place": self.maybe(0.9, lambda: self.rng.choice(self.municipalities)),
                    "region": self.maybe(0.7, lambda: f"Synthetische Region {self.rng.randint(1, 40)}"),
                    "field_text": self.maybe(
                        0.7, lambda: f"Synthetisches Technologiefeld {self.rng.randint(1, 60)}"
                    ),
                    "fields": self.some(self.ids["fields"], 0, 3),
                    "founded": self.maybe(0.8, self.yearish),
                    "founded_note": self.maybe(0.2, lambda: "synthetische Angabe"),
                    "managing_orgs": self.some(self.ids["organisations"], 0, 2),
                    "homepage": self.maybe(0.7, lambda k=key: f"{URL_BASE}{k}"),
                    "status": self.maybe(0.3, lambda: f"Synthetisches Label {self.rng.randint(1, 5)}"),
                    "note": self.maybe(0.2, lambda: "Synthetischer Datensatz für Benchmarks"),
                    "source": self.sources(),
                }
            )
        return rows

    def people(self) -> list[Row]:
        rows = []
        for number, key in enumerate(self.ids["people"], start=1):
            prefix = self.rng.choice(("", "", "Dr.", "Prof. Dr."))
            name = f"Synthetische Person {number}"
            rows.append(
                {
                    "id": key,
                    "name": f"{prefix} {name}".strip(),
                    "honorific_prefix": prefix,
                    "given_name": "Synthetische",
                    "family_name": f"Person {number}",
                    "source": self.sources(),
                }
            )
        return rows

    def posts(self) -> list[Row]:
        rows = []
        for key in self.ids["posts"]:
            role = self.rng.randint(1, 30)
            start = self.date() if self.chance(0.6) else None
            end = self.date(start, 3000) if start and self.chance(0.5) else None
            rows.append(
                {
                    "id": key,
                    "holder": self.rng.choice(self.ids["people"]),
                    "organisation": self.rng.choice(self.ids["organisations"]),
                    "role_de": f"Synthetische Rolle {role}",
                    "role_en": self.maybe(0.5, lambda r=role: f"Synthetic role {r}"),
                    "start": start.isoformat() if start else "",
                    "end": end.isoformat() if end else "",
                    "attested": self.maybe(0.7, lambda: self.date().isoformat()),
                    "source": self.sources(),
                }
            )
        return rows

    def events(self) -> list[Row]:
        rows = []
        series = set(self.series)
        for number, key in enumerate(self.ids["events"], start=1):
            is_series = key in series
            start = self.date()
            end = self.date(start, 365 if is_series else 4) if is_series or self.chance(0.8) else None
            noun, english = (
                ("Veranstaltungsreihe", "event series") if is_series else ("Veranstaltung", "event")
            )
            rows.append(
                {
                    "id": key,
                    "kind": "series" if is_series else "event",
                    "label_de": f"Synthetische {noun} {number}",
                    "label_en": self.maybe(0.5, lambda n=number, e=english: f"Synthetic {e} {n}"),
                    "start": start.isoformat(),
                    "end": end.isoformat() if end else "",
                    "place": self.maybe(0.8, lambda: self.rng.choice(self.ids["places"])),
                    "venue": self.maybe(0.4, lambda: f"Synthetisches Haus {self.rng.randint(1, 200)}"),
                    "series": "" if is_series or self.chance(0.5) else self.rng.choice(self.series),
                    "organisers": self.some(self.actors, 0, 3),
                    "patrons": self.maybe(0.2, lambda: self.rng.choice(self.ids["people"])),
                    "initiated_by": self.maybe(0.2, lambda: self.rng.choice(self.ids["organisations"])),
                    "homepage": self.maybe(0.4, lambda k=key: f"{URL_BASE}{k}"),
                    "description_de": self.maybe(
                        0.5, lambda n=number: f"Synthetische Beschreibung der Veranstaltung {n}."
                    ),
                    "source": self.sources(),
                }
            )
        return rows

    def observations(self) -> list[Row]:
        about_tables = ("initiatives", "events", "organisations", "places", "fields", "people", "documents")
        weights = (50, 30, 10, 5, 2, 2, 1)
        qualifiers = ("", "exact", "approximately", "more-than")
        rows = []
        for key in self.ids["observations"]:
            measure = self.rng.choice(MEASURES)
            value = self.rng.randint(0, 5000)
            rows.append(
                {
                    "id": key,
                    "about": self.rng.choice(self.ids[self.rng.choices(about_tables, weights)[0]]),
                    "measure": measure,
                    "value": str(value),
                    "qualifier": self.rng.choices(qualifiers, (60, 10, 20, 10))[0],
                    "ref_date": self.yearish(),
                    "label_de": f"{value} synthetische Angaben ({measure})",
                    "label_en": self.maybe(0.5, lambda v=value, m=measure: f"{v} synthetic figures ({m})"),
                    "source": self.sources(),
                }
            )
        return rows


def generate(triples: int, out: Path, seed: int = 1) -> dict[str, int]:
    """Write the nine tables for about ``triples`` triples into ``out``; return the rows per table."""
    generator = _Generator(triples, seed)
    out.mkdir(parents=True, exist_ok=True)
    rows_written = {}
    for table in REQUIRED:
        rows = getattr(generator, table.name)()
        with (out / table.file_name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=[c.name for c in table.columns], restval="")
            writer.writeheader()
            writer.writerows(rows)
        rows_written[table.name] = len(rows)
    return rows_written


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--triples", type=int, required=True, help="about how many triples to map to")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the CSV tables to")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    if args.triples < 1000:
        parser.error("--triples must be at least 1000")
    rows = generate(args.triples, args.out, args.seed)
    print(f"wrote {sum(rows.values())} rows for about {args.triples} triples to {args.out}")
    for name, count in rows.items():
        print(f"  {name:<14} {count:>8}")


if __name__ == "__main__":
    main()
