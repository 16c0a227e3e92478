"""The SPARQL endpoint's protocol layer: checking queries, running them in stoppable workers, limiting them.

Pure of Flask and of the engine (the store seam, ``publisher.store``, runs queries and writes answers):
``guard`` inspects a query before anything runs, ``pool`` runs it in a worker process that can be killed at
its time limit, ``worker`` is that process (confined, calling ``publisher.store.query_run``), ``remote``
limits the queries forwarded to an external SPARQL server (``publisher.store.forward``).
"""
