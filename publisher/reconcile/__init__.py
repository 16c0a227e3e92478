"""Reconciliation: match names from other tables to the things of a release (no Flask, no store here).

``vocabulary`` (the types and properties offered), ``names`` (the forms names are compared in),
``index`` (the things of a release, found by trigrams), ``match`` (queries, scores, the match decision),
``extend`` (data extension) and ``manifest`` (the JSON shapes of the Reconciliation API 0.2). The web
layer (``publisher.web.reconcile``) reads requests and answers with these.
"""
