"""Reconcile a column of a CSV table with reconciler's ``reconcile`` against a reconciliation service.

Usage: .venv/bin/python reconcile.py ENDPOINT TABLE COLUMN TYPE TOP [PROPERTY=COLUMN ...]
  TOP       how many candidates per name: a number, or "all"
  PROPERTY  a property of the service, matched against the values of COLUMN in the same row

reconciler defaults to Wikidata's service; its ``reconciliation_endpoint`` option names another one.
Prints reconciler's DataFrame as JSON records (one per candidate, or one without an id for a name without
any), in its order.
"""

import sys

import pandas as pd
from reconciler import reconcile


def main(endpoint, table, column, type_id, top, properties):
    rows = pd.read_csv(table, dtype=str, keep_default_na=False)
    mapping = {prop: rows[name] for prop, name in (item.split("=", 1) for item in properties)}
    found = reconcile(
        rows[column],
        type_id=type_id,
        top_res=top if top == "all" else int(top),
        property_mapping=mapping or None,
        reconciliation_endpoint=endpoint,
    )
    sys.stdout.write(found.to_json(orient="records", force_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:6], sys.argv[6:])
