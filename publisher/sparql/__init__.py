"""The SPARQL endpoint's engine room: checking queries, running them in stoppable workers, writing results.

Pure of Flask: ``guard`` inspects a query before anything runs, ``pool`` runs it in a worker process that can
be killed at its time limit, ``worker`` is that process, ``results`` writes solutions and graphs with a cap.
"""
