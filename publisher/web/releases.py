"""The release history: ``{base}releases`` lists every release on disk, newest first, with its date, counts
and changelog; ``{base}releases/{id}`` shows one release with the entities added, changed and removed. Both
come as HTML or RDF (by ``Accept``, suffix or ``?format=``), in standard terms (DCTERMS, PROV, VoID).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, abort, current_app, render_template
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD
from werkzeug.wrappers import Response

from publisher.changes import CHANGES, Changes, read_changes
from publisher.errors import ReleaseError
from publisher.formats import HTML, Format, serialize_graph
from publisher.release import MANIFEST, Release, load_release
from publisher.settings import Settings
from publisher.vocab import PREFIXES, prefixes_for
from publisher.web.home import RELEASE_ID
from publisher.web.negotiate import SUFFIXES, by_suffix, page_format, page_language, suffixed_alternates
from publisher.web.release import conditional, current_or_503, prefix_of

VOID = Namespace("http://rdfs.org/ns/void#")
SHOWN_PER_LIST = 500  # entities listed per change on an HTML page; the RDF forms list them all
CHANGE_KINDS = ("added", "changed", "removed")
_NOT_IN_LABEL = re.compile(r"[^A-Za-z0-9_-]")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    """One release as the history shows it."""

    release: Release
    current: bool

    @property
    def entities(self) -> int | None:
        """Distinct entities; None for a release that predates the count."""
        found: int | None = self.release.manifest.get("entities")
        return found

    @property
    def changes(self) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self.release.manifest.get("changes")
        return found


def init_app(app: Flask, settings: Settings) -> None:
    prefix = prefix_of(settings)
    app.add_url_rule(f"{prefix}/releases", "releases", history)
    app.add_url_rule(f"{prefix}/releases.<suffix>", "releases_suffixed", history)
    app.add_url_rule(f"{prefix}/releases/<name>", "release", one_release)


def _settings() -> Settings:
    settings: Settings = current_app.config["SETTINGS"]
    return settings


def history(suffix: str = "") -> Response:
    settings = _settings()
    fmt = _format(suffix)
    current = current_or_503()
    entries = [Entry(r, r.id == current.id) for r in reversed(_releases(settings.releases_dir))]
    if fmt is HTML:
        body = render_template("releases.html", lang=page_language(), entries=entries)
    else:
        graph = Graph()
        for entry in entries:
            _describe(graph, settings, entry)
        body = _serialize(graph, settings, fmt)
    return _answer(body, fmt, f"{prefix_of(settings)}/releases")


def one_release(name: str) -> Response:
    settings = _settings()
    match = RELEASE_ID.match(name)
    rest = name[match.end() :] if match else ""
    if match is None or (rest and not rest.startswith(".")):
        abort(
            404, description=f"There is no release {name!r} (an id looks like 20261128T133000.123Z-1a2b3c4d)."
        )
    release_id = match.group(0)
    fmt = _format(rest[1:])
    try:
        release = _load(settings.releases_dir, release_id)
    except ReleaseError:
        abort(404, description=f"There is no release {release_id!r} on this server (pruned or never built).")
    entry = Entry(release, release.id == current_or_503().id)
    changes = changes_of(release.folder)
    if fmt is HTML:
        lists = (
            {
                kind: [_link(settings, iri, kind) for iri in getattr(changes, kind)[:SHOWN_PER_LIST]]
                for kind in CHANGE_KINDS
            }
            if changes
            else {}
        )
        body = render_template(
            "release.html", lang=page_language(), entry=entry, lists=lists, shown=SHOWN_PER_LIST
        )
    else:
        graph = Graph()
        _describe(graph, settings, entry, changes)
        body = _serialize(graph, settings, fmt)
    return _answer(body, fmt, f"{prefix_of(settings)}/releases/{release_id}")


def _format(suffix: str) -> Format:
    if suffix and by_suffix(suffix) is None:
        abort(404, description=f"There is no .{suffix} form; {SUFFIXES}.")
    return page_format(suffix)


def _answer(body: str, fmt: Format, local: str) -> Response:
    response = Response(body, content_type=fmt.content_type)
    response.headers["Vary"] = "Accept, Accept-Language"
    response.headers["Content-Location"] = f"{local}.{fmt.suffix}"
    links = suffixed_alternates(local, fmt)
    if links:
        response.headers["Link"] = ", ".join(links)
    return conditional(response)


def _link(settings: Settings, iri: str, kind: str) -> dict[str, str]:
    """An entity of a changelog: removed ones link to their IRI (which answers 410), others to the page."""
    things = f"{settings.base}id/"
    if not iri.startswith(things):
        return {"iri": iri, "href": iri}
    local = iri[len(things) :]
    path = "id" if kind == "removed" else "doc"
    return {"iri": iri, "href": f"{prefix_of(settings)}/{path}/{local}", "name": local}


def _releases(folder: Path) -> list[Release]:
    """Every readable release on disk, oldest first; manifests read once per process (releases never
    change). A release whose manifest cannot be read is left out of the history and logged
    (``clusterlod release`` lists what is wrong with it)."""
    names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    found = []
    for name in names:
        if not (RELEASE_ID.fullmatch(name) and (folder / name / MANIFEST).is_file()):
            continue
        try:
            found.append(_load(folder, name))
        except ReleaseError as error:
            log.error("release %s left out of the history: %s", name, error)
    return found


@lru_cache(maxsize=256)
def _load(folder: Path, release_id: str) -> Release:
    return load_release(folder, release_id)


@lru_cache(maxsize=8)
def changes_of(folder: Path) -> Changes | None:
    return read_changes(folder / CHANGES)


def release_iri(settings: Settings, release_id: str) -> URIRef:
    return URIRef(f"{settings.base}releases/{release_id}")


def _describe(graph: Graph, settings: Settings, entry: Entry, changes: Changes | None = None) -> None:
    """A release as a VoID dataset and PROV entity: a version of ``{base}dataset``."""
    release, manifest = entry.release, entry.release.manifest
    node = release_iri(settings, release.id)
    dataset = URIRef(f"{settings.base}dataset")
    graph.add((node, RDF.type, VOID.Dataset))
    graph.add((node, RDF.type, PROV.Entity))
    graph.add((node, DCTERMS.identifier, Literal(release.id)))
    graph.add(
        (node, DCTERMS.issued, Literal(manifest["built"].replace("Z", "+00:00"), datatype=XSD.dateTime))
    )
    graph.add((node, DCTERMS.isVersionOf, dataset))
    graph.add((dataset, DCTERMS.hasVersion, node))
    if entry.current:
        graph.add((dataset, DCAT_HAS_CURRENT_VERSION, node))
    graph.add((node, VOID.triples, Literal(manifest["triples"], datatype=XSD.integer)))
    if entry.entities is not None:
        graph.add((node, VOID.entities, Literal(entry.entities, datatype=XSD.integer)))
    graph.add((node, VOID.dataDump, URIRef(f"{settings.base}dumps/{release.id}/data.nt.gz")))
    for name, count in manifest.get("classes", {}).items():
        # a blank node label RDF/XML can write (an NCName: a letter first, no ":" or ".")
        partition = BNode(_NOT_IN_LABEL.sub("-", f"partition-{release.id}-{name}"))
        graph.add((node, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(_expand(settings, name))))
        graph.add((partition, VOID.entities, Literal(count, datatype=XSD.integer)))
    counts = entry.changes
    if counts is None:
        return
    if counts["previous"]:
        graph.add((node, PROV.wasRevisionOf, release_iri(settings, counts["previous"])))
    for language, text in _summaries(counts).items():
        graph.add((node, RDFS.comment, Literal(text, lang=language)))
    if changes is not None:
        for kind in CHANGE_KINDS:
            collection = URIRef(f"{node}#{kind}")
            graph.add((node, DCTERMS.relation, collection))
            graph.add((collection, RDF.type, PROV.Collection))
            for language, label in CHANGE_LABELS[kind].items():
                graph.add((collection, RDFS.label, Literal(label, lang=language)))
            for iri in getattr(changes, kind):
                graph.add((collection, PROV.hadMember, URIRef(iri)))


# DCAT 3 (W3C Recommendation 2024); rdflib's DCAT namespace predates it and lacks this term.
DCAT_HAS_CURRENT_VERSION = URIRef("http://www.w3.org/ns/dcat#hasCurrentVersion")
CHANGE_LABELS = {
    "added": {"en": "Entities added since the release before", "de": "Seit dem Datenstand davor neu"},
    "changed": {
        "en": "Entities changed since the release before",
        "de": "Seit dem Datenstand davor geändert",
    },
    "removed": {
        "en": "Entities removed since the release before",
        "de": "Seit dem Datenstand davor entfernt",
    },
}


def _summaries(counts: dict[str, Any]) -> dict[str, str]:
    since = counts["previous"]
    if since is None:
        return {"en": "The first release.", "de": "Der erste Datenstand."}
    added, changed, removed = counts["added"], counts["changed"], counts["removed"]
    return {
        "en": f"Since release {since}: {added} entities added, {changed} changed, {removed} removed.",
        "de": f"Seit Datenstand {since}: {added} Entitäten neu, {changed} geändert, {removed} entfernt.",
    }


def _expand(settings: Settings, name: str) -> str:
    prefixes = prefixes_for(settings.base)
    prefix, _, local = name.partition(":")
    return prefixes[prefix] + local if prefix in prefixes and local else name


def _serialize(graph: Graph, settings: Settings, fmt: Format) -> str:
    for prefix, namespace in {**PREFIXES, "void": str(VOID), "dcat": "http://www.w3.org/ns/dcat#"}.items():
        graph.bind(prefix, namespace)
    return serialize_graph(graph, fmt, prefixes_for(settings.base))
