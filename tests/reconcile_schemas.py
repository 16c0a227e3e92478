"""Validate answers of the reconciliation service against the JSON Schemas of the Reconciliation API 0.2.

The schemas are vendored in tests/fixtures/reconciliation/schemas-0.2 (see the README there); nothing is
fetched. Their ``$schema`` is the unversioned "http://json-schema.org/schema#", so they are read as draft 7.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from tests.conftest import FIXTURES

SCHEMAS = FIXTURES / "reconciliation" / "schemas-0.2"


@cache
def _registry() -> tuple[Registry, dict[str, dict[str, Any]]]:
    by_file = {path.stem: json.loads(path.read_text()) for path in sorted(SCHEMAS.glob("*.json"))}
    resources = [
        (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT7))
        for schema in by_file.values()
    ]
    return Registry().with_resources(resources), by_file


def errors(schema: str, instance: object) -> list[str]:
    """Every way ``instance`` breaks the named schema (file name without .json); empty when it is valid."""
    registry, by_file = _registry()
    validator = Draft7Validator(by_file[schema], registry=registry)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]
