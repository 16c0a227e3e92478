"""Regression: a query worker that fails to start must not use up its slot in the pool for good."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.build import run_pipeline
from publisher.settings import Settings
from publisher.sparql import pool as pool_module
from publisher.sparql.pool import QueryPool
from publisher.sparql.worker import Confinement
from publisher.store import Job


def test_a_failed_worker_start_leaves_the_slot_usable(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = run_pipeline(settings, release=True).release
    assert release is not None
    job = Job(str(Path(release.folder) / "store"), "ASK { ?s ?p ?o }", settings.base + "sparql", "json", 10)
    pool = QueryPool(size=1, queue_timeout=0.5, confinement=Confinement(network=False, memory_bytes=2**30))
    real_worker = pool_module._Worker

    def failing(confinement: Confinement) -> pool_module._Worker:
        raise OSError("cannot start a process")

    monkeypatch.setattr(pool_module, "_Worker", failing)
    for _ in range(2):
        with pytest.raises(OSError):
            pool.run(job, timeout=10)
    monkeypatch.setattr(pool_module, "_Worker", real_worker)
    try:
        outcome = pool.run(job, timeout=30)
        assert outcome.kind == "ok"
        assert b'"boolean":true' in outcome.body
    finally:
        pool.close()
