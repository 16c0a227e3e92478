"""Data extension: the values of a few properties for reconciled things, and which properties a type has."""

from __future__ import annotations

from typing import Any

from publisher.reconcile.index import Entity, Index
from publisher.reconcile.match import QueryError
from publisher.reconcile.vocabulary import Property, Vocabulary

__all__ = ["extend", "propose_properties"]

MAX_IDS = 1000


def extend(index: Index, raw: object) -> dict[str, Any]:
    """Answer a data extension query ``{"ids": [...], "properties": [{"id": ...}, ...]}``."""
    ids, properties = _parse(raw, index.vocabulary)
    meta = [_meta(prop, index.vocabulary) for prop in properties]
    rows: dict[str, dict[str, list[dict[str, str]]]] = {}
    for identifier in ids:
        entity = index.entity(identifier)
        rows[identifier] = {p.id: _values(index, entity, p) if entity else [] for p in properties}
    return {"meta": meta, "rows": rows}


def propose_properties(vocabulary: Vocabulary, type_id: str | None, limit: int | None) -> dict[str, Any]:
    """The properties data extension offers for things of a type."""
    if type_id is not None and type_id not in vocabulary.type_by_id:
        raise QueryError([f"unknown type {type_id!r} (see the manifest or suggest/type)"])
    found = vocabulary.properties_for(type_id)[:limit]
    answer: dict[str, Any] = {"properties": [{"id": p.id, "name": p.name} for p in found]}
    if type_id is not None:
        answer["type"] = type_id
    if limit is not None:
        answer["limit"] = limit
    return answer


def _parse(raw: object, vocabulary: Vocabulary) -> tuple[list[str], list[Property]]:
    if not isinstance(raw, dict):
        raise QueryError(['an extension query is a JSON object {"ids": [...], "properties": [{"id": ...}]}'])
    problems: list[str] = []
    ids = raw.get("ids")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        problems.append("ids is a list of entity ids")
        ids = []
    elif len(ids) > MAX_IDS:
        problems.append(f"at most {MAX_IDS} ids per query, this one has {len(ids)}")
    properties: list[Property] = []
    asked = raw.get("properties")
    if not isinstance(asked, list):
        problems.append('properties is a list of {"id": ...}')
        asked = []
    for item in asked:
        pid = item.get("id") if isinstance(item, dict) else None
        if not isinstance(pid, str) or pid not in vocabulary.property_by_id:
            problems.append(f"unknown property {pid!r} (see suggest/property)")
        else:
            properties.append(vocabulary.property_by_id[pid])
    if problems:
        raise QueryError(problems)
    return ids, properties


def _meta(prop: Property, vocabulary: Vocabulary) -> dict[str, Any]:
    meta: dict[str, Any] = {"id": prop.id, "name": prop.name}
    if prop.kind == "entity":
        meta["type"] = {"id": prop.range, "name": vocabulary.type_by_id[prop.range].name}
    return meta


def _values(index: Index, entity: Entity, prop: Property) -> list[dict[str, str]]:
    if prop.kind == "type":
        return [{"str": t.name} for t in entity.types]
    values: list[dict[str, str]] = []
    for value in entity.values.get(prop.id, []):
        thing = index.by_iri.get(value) if prop.kind == "entity" else None
        values.append({"id": thing.id, "name": thing.label()} if thing else {"str": value})
    return values
