"""The URI scheme, in one place: mint IRIs for things, their documents, the ontology and the service paths.

Patterns (shared/DESIGN.md): ``{base}id/{type}/{key}`` for a thing, ``{base}doc/{type}/{key}`` for the
document about it, ``{base}def/cluster#Term`` for the ontology.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from rdflib import URIRef

from publisher.errors import SettingsError


def check_base(base: str) -> str:
    """Return ``base`` if it is an absolute http(s) IRI ending in '/', else raise SettingsError."""
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or not base.endswith("/"):
        raise SettingsError(f"base {base!r} must be an absolute http(s) IRI ending in '/'")
    if parts.query or parts.fragment:
        raise SettingsError(f"base {base!r} must not have a query or fragment")
    return base


@dataclass(frozen=True)
class UriScheme:
    """Mints every IRI the publisher publishes, under one base."""

    base: str

    def __post_init__(self) -> None:
        check_base(self.base)

    def thing(self, type_word: str, key: str) -> URIRef:
        return URIRef(f"{self.base}id/{type_word}/{key}")

    def document(self, type_word: str, key: str) -> URIRef:
        return URIRef(f"{self.base}doc/{type_word}/{key}")

    @property
    def ontology(self) -> URIRef:
        return URIRef(f"{self.base}def/cluster")

    @property
    def ontology_namespace(self) -> str:
        return f"{self.base}def/cluster#"

    @property
    def shapes(self) -> URIRef:
        return URIRef(f"{self.base}def/cluster/shapes")

    @property
    def field_scheme(self) -> URIRef:
        return self.thing("scheme", "fields")
