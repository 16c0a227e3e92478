"""The one URL builder of the site (Datasette's ``Urls`` is the model): every link a page, a header or a graph
names is made here, on top of the URI scheme (publisher.uris), with the base applied in one place.

Two kinds of address: IRIs (absolute, under the base: what the data and the RDF answers name) and local
links (the base's path, no host: what pages and ``Link`` headers point to, so a preview on another host, or
behind a proxy, stays there).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from publisher.formats import Format
from publisher.uris import UriScheme


@dataclass(frozen=True)
class Urls:
    scheme: UriScheme
    prefix: str = field(init=False)  # the base's path without its trailing slash: "" or "/lod"

    def __post_init__(self) -> None:
        object.__setattr__(self, "prefix", urlsplit(self.scheme.base).path.rstrip("/"))

    @classmethod
    def of(cls, base: str) -> Urls:
        return cls(UriScheme(base))

    @property
    def base(self) -> str:
        return self.scheme.base

    # IRIs
    def iri(self, path: str = "") -> str:
        """The IRI of a site resource, ``path`` relative to the base (``dataset``, ``sparql``)."""
        return f"{self.base}{path}"

    def thing(self, type_word: str, key: str) -> str:
        return str(self.scheme.thing(type_word, key))

    def document_iri(self, type_word: str, key: str) -> str:
        return str(self.scheme.document(type_word, key))

    def key_of(self, iri: str) -> tuple[str, str] | None:
        return self.scheme.key_of(iri)

    # Memento (RFC 7089): ``kind`` is "id" (a thing) or "doc" (a document); ``key`` may carry a suffix
    def original(self, kind: str, type_word: str, key: str) -> str:
        """The URI whose versions are asked for."""
        return self.iri(f"{kind}/{type_word}/{key}")

    def memento(self, release_id: str, kind: str, type_word: str, key: str) -> str:
        """The version of ``{base}{kind}/{type}/{key}`` in a release."""
        return self.iri(f"releases/{release_id}/{kind}/{type_word}/{key}")

    def timemap(self, kind: str, type_word: str, key: str) -> str:
        return self.iri(f"timemap/{kind}/{type_word}/{key}")

    def timegate(self, original: str) -> str:
        """The TimeGate apart from the original, for any URI of the dataset."""
        return self.iri(f"timegate/{original}")

    # local links
    def path(self, path: str = "", fmt: Format | None = None, query: Mapping[str, str] | None = None) -> str:
        """The local link of a site resource: ``path`` relative to the base, in ``fmt`` by its suffix, with
        ``query``."""
        link = f"{self.prefix}/{path}"
        if fmt is not None:
            link += f".{fmt.suffix}"
        if query:
            link += f"?{urlencode(query)}"
        return link

    def document(
        self, type_word: str, key: str, fmt: Format | None = None, query: Mapping[str, str] | None = None
    ) -> str:
        """The document about a thing, in ``fmt`` when given (its suffix form)."""
        return self.path(f"doc/{type_word}/{key}", fmt, query)

    def listing(self, type_word: str, query: Mapping[str, str] | None = None) -> str:
        """The list page of a type."""
        return self.path(f"doc/{type_word}/", query=query)

    def release(self, release_id: str, fmt: Format | None = None) -> str:
        return self.path(f"releases/{release_id}", fmt)

    def dump(self, release_id: str, name: str) -> str:
        return self.path(f"dumps/{release_id}/{name}")

    def calendar(self, type_word: str, key: str) -> str:
        return self.path(f"calendar/{type_word}/{key}.ics")

    def local(self, iri: str, kind: str = "doc") -> str:
        """A local link for an IRI under the base: a thing's document (or the thing itself, ``kind="id"``),
        any other resource by its path; an IRI elsewhere stays as it is."""
        things = f"{self.base}id/"
        if iri.startswith(things):
            return self.path(f"{kind}/{iri[len(things) :]}")
        if iri.startswith(self.base):
            return self.path(iri[len(self.base) :])
        return iri

    def absolute(self, local: str) -> str:
        """The IRI of a local link made here."""
        return self.iri(local[len(self.prefix) + 1 :])

    def suffixed(self, local: str, formats: tuple[Format, ...]) -> list[tuple[str, Format, str]]:
        """The forms of the answer at ``local`` living at ``local.{suffix}``, as (href, format, profile)."""
        return [(f"{local}.{fmt.suffix}", fmt, "") for fmt in formats]
