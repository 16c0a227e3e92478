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

    @property
    def things(self) -> str:
        """The namespace every thing's IRI is in (VoID's URI space)."""
        return f"{self.base}id/"

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

    @property
    def dataset(self) -> URIRef:
        """The dataset the catalog describes and VoID counts."""
        return URIRef(f"{self.base}dataset")

    @property
    def sparql(self) -> URIRef:
        return URIRef(f"{self.base}sparql")

    @property
    def context(self) -> URIRef:
        """The JSON-LD context documents are compacted against."""
        return URIRef(f"{self.base}context.jsonld")

    def release(self, release_id: str) -> URIRef:
        return URIRef(f"{self.base}releases/{release_id}")

    def dump(self, release_id: str, name: str) -> URIRef:
        """A dump of a release; ``release_id`` "latest" for the current one's."""
        return URIRef(f"{self.base}dumps/{release_id}/{name}")

    def key_of(self, iri: str) -> tuple[str, str] | None:
        """``(type, key)`` of a thing's IRI ``{base}id/{type}/{key}``; None for any other IRI."""
        if not iri.startswith(self.things):
            return None
        type_word, _, key = iri[len(self.things) :].partition("/")
        if not type_word or not key or "/" in key:
            return None
        return type_word, key
