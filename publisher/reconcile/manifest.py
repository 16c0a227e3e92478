"""The service manifest and the JSON shapes of candidates and suggestions (Reconciliation API 0.2)."""

from __future__ import annotations

from typing import Any

from publisher.reconcile.index import Entity, Index
from publisher.reconcile.match import Candidate
from publisher.reconcile.vocabulary import Type, Vocabulary

__all__ = ["BATCH_SIZE", "candidate_json", "describe", "manifest", "suggestion_json", "type_json"]

BATCH_SIZE = 50
PREVIEW_WIDTH, PREVIEW_HEIGHT = 400, 120


def manifest(vocabulary: Vocabulary, base: str, release: str, name: str) -> dict[str, Any]:
    """The manifest of the service at ``{base}reconcile``, named after the publication (``name``, its short
    title): every URL in it is under the base, never taken from a request (whose ``Host`` a client
    chooses)."""
    service, root = f"{base}reconcile", base.rstrip("/")
    return {
        "versions": ["0.1", "0.2"],
        "name": f"{name} (clusterlod)",
        "identifierSpace": f"{base}id/",
        "schemaSpace": f"{base}def/cluster#",
        "serviceVersion": release,
        "documentation": f"{root}/linking",
        "view": {"url": f"{root}/id/{{{{id}}}}"},
        "preview": {
            "url": f"{service}/preview?id={{{{id}}}}",
            "width": PREVIEW_WIDTH,
            "height": PREVIEW_HEIGHT,
        },
        "defaultTypes": [type_json(t, vocabulary, broader=False) for t in vocabulary.default_types],
        "suggest": {
            kind: {"service_url": root, "service_path": f"/reconcile/suggest/{kind}"}
            for kind in ("entity", "type", "property")
        },
        "extend": {
            "propose_properties": {"service_url": root, "service_path": "/reconcile/properties"},
            "property_settings": [],
        },
        "batchSize": BATCH_SIZE,
    }


def type_json(kind: Type, vocabulary: Vocabulary, broader: bool = True) -> dict[str, Any]:
    found: dict[str, Any] = {"id": kind.id, "name": kind.name}
    if broader:
        found["description"] = kind.description
        if kind.broader:
            found["broader"] = [type_json(vocabulary.type_by_id[b], vocabulary) for b in kind.broader]
    return found


def describe(index: Index, entity: Entity) -> str:
    """A line telling namesakes apart: the most specific type and the place ("Cluster initiative, Ulm")."""
    parts = [entity.types[0].name] if entity.types else []
    for place in entity.values.get("location", [])[:1]:
        found = index.by_iri.get(place)
        parts.append(found.label() if found else place)
    return ", ".join(parts)


def candidate_json(index: Index, candidate: Candidate) -> dict[str, Any]:
    entity = candidate.entity
    return {
        "id": entity.id,
        "name": candidate.name,
        "description": describe(index, entity),
        "type": [{"id": t.id, "name": t.name} for t in entity.types],
        "score": candidate.score,
        "match": candidate.match,
        "features": candidate.features,
    }


def suggestion_json(index: Index, entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.label(),
        "description": describe(index, entity),
        "notable": [{"id": t.id, "name": t.name} for t in entity.types],
    }
