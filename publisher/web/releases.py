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

from flask import Blueprint, abort, render_template
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD
from werkzeug.wrappers import Response

from publisher.catalog.graph import add_versions
from publisher.changes import CHANGES, Changes, read_changes
from publisher.errors import ReleaseError
from publisher.releases import MANIFEST, RELEASE_ID, ChangeCounts, Release, load_release
from publisher.uris import UriScheme
from publisher.vocab import DCAT3, VOID, expand
from publisher.web import current, respond
from publisher.web.urls import Urls

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
        return self.release.entities

    @property
    def changes(self) -> ChangeCounts | None:
        return self.release.changes


bp = Blueprint("releases", __name__)


@bp.get("/releases")
@bp.get("/releases.<suffix>")
def history(suffix: str = "") -> Response:
    settings, served = current.settings(), current.release()
    entries = [Entry(r, r.id == served.id) for r in reversed(_releases(settings.releases_dir))]

    def graph() -> Graph:
        described = _graph()
        for entry in entries:
            _describe(described, entry)
        add_versions(described, settings.base, served.versions)  # DCAT 3, the whole line, pruned ones too
        return described

    return respond.represent(
        page=lambda: render_template("releases.html", lang=respond.language(), entries=entries),
        graph=graph,
        suffix=suffix,
        local=current.urls().path("releases"),
    )


@bp.get("/releases/<name>")
def one_release(name: str) -> Response:
    settings, urls = current.settings(), current.urls()
    match = RELEASE_ID.match(name)
    rest = name[match.end() :] if match else ""
    if match is None or (rest and not rest.startswith(".")):
        abort(
            404, description=f"There is no release {name!r} (an id looks like 20261128T133000.123Z-1a2b3c4d)."
        )
    release_id = match.group(0)
    try:
        release = _load(settings.releases_dir, release_id)
    except ReleaseError:
        abort(404, description=f"There is no release {release_id!r} on this server (pruned or never built).")
    entry = Entry(release, release.id == current.release().id)
    changes = changes_of(release.folder)

    def page() -> str:
        lists = (
            {
                kind: [_link(urls, iri, kind) for iri in getattr(changes, kind)[:SHOWN_PER_LIST]]
                for kind in CHANGE_KINDS
            }
            if changes
            else {}
        )
        return render_template(
            "release.html", lang=respond.language(), entry=entry, lists=lists, shown=SHOWN_PER_LIST
        )

    def graph() -> Graph:
        described = _graph()
        _describe(described, entry, changes)
        return described

    return respond.represent(page=page, graph=graph, suffix=rest[1:], local=urls.release(release_id))


def _link(urls: Urls, iri: str, kind: str) -> dict[str, str]:
    """An entity of a changelog: removed ones link to their IRI (which answers 410), others to the page."""
    if urls.key_of(iri) is None:
        return {"iri": iri, "href": iri}
    local = urls.local(iri, "id" if kind == "removed" else "doc")
    return {"iri": iri, "href": local, "name": iri[len(urls.scheme.things) :]}


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


def _describe(graph: Graph, entry: Entry, changes: Changes | None = None) -> None:
    """A release as a VoID dataset and PROV entity: a version of ``{base}dataset``."""
    release = entry.release
    uris = UriScheme(current.settings().base)
    node = uris.release(release.id)
    dataset = uris.dataset
    graph.add((node, RDF.type, VOID.Dataset))
    graph.add((node, RDF.type, PROV.Entity))
    graph.add((node, DCTERMS.identifier, Literal(release.id)))
    graph.add((node, DCTERMS.issued, Literal(release.built.replace("Z", "+00:00"), datatype=XSD.dateTime)))
    graph.add((node, DCTERMS.isVersionOf, dataset))
    graph.add((dataset, DCTERMS.hasVersion, node))
    if entry.current:
        graph.add((dataset, DCAT3.hasCurrentVersion, node))
    graph.add((node, VOID.triples, Literal(release.triples, datatype=XSD.integer)))
    if entry.entities is not None:
        graph.add((node, VOID.entities, Literal(entry.entities, datatype=XSD.integer)))
    graph.add((node, VOID.dataDump, uris.dump(release.id, "data.nt.gz")))
    for name, count in release.classes.items():
        # a blank node label RDF/XML can write (an NCName: a letter first, no ":" or ".")
        partition = BNode(_NOT_IN_LABEL.sub("-", f"partition-{release.id}-{name}"))
        graph.add((node, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(expand(name, uris.base))))
        graph.add((partition, VOID.entities, Literal(count, datatype=XSD.integer)))
    counts = entry.changes
    if counts is None:
        return
    if counts.previous:
        graph.add((node, PROV.wasRevisionOf, uris.release(counts.previous)))
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


def _summaries(counts: ChangeCounts) -> dict[str, str]:
    since = counts.previous
    if since is None:
        return {"en": "The first release.", "de": "Der erste Datenstand."}
    added, changed, removed = counts.added, counts.changed, counts.removed
    return {
        "en": f"Since release {since}: {added} entities added, {changed} changed, {removed} removed.",
        "de": f"Seit Datenstand {since}: {added} Entitäten neu, {changed} geändert, {removed} entfernt.",
    }


def _graph() -> Graph:
    """An empty graph with the prefixes a release description uses."""
    graph = Graph()
    for prefix, namespace in {"void": str(VOID), "dcat": str(DCAT3)}.items():
        graph.bind(prefix, namespace)
    return graph
