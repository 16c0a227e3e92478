"""The pipeline, stage after stage: read -> map -> validate -> release, with the seconds each stage took."""

from __future__ import annotations

import gc
import hashlib
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from rdflib import Graph

from publisher import __version__
from publisher.catalog import Publication, coverage_of_sources, publication_of
from publisher.errors import ReleaseError, ValidationError
from publisher.links import LinkReport, links_in_graph, links_in_store
from publisher.map import Mapping, map_sources
from publisher.publication import describe
from publisher.read import SourceData, read_sources
from publisher.release import ReleaseContent, ensure_writable, write_release
from publisher.releases import Release, current_release
from publisher.settings import Settings
from publisher.store import EmbeddedStore
from publisher.store.graphstore import server_of
from publisher.uris import UriScheme
from publisher.validate import SHAPES_FILE, ValidationReport, load_shapes, validate_mapping
from publisher.vocab import ONTOLOGY_FILE, PREFIXES, RDF, load_ontology

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass
class BuildResult:
    """What a build or check did: rows read, triples, entities per class, seconds per stage."""

    rows: dict[str, int]
    triples: int
    classes: dict[str, int]
    seconds: dict[str, float] = field(default_factory=dict)
    release: Release | None = None
    publication: Publication | None = (
        None  # what the release says about itself (settings over publication.csv)
    )


def run_pipeline(settings: Settings, *, release: bool, progress: Progress | None = None) -> BuildResult:
    """Read, map and validate the data folder; then write a release when ``release`` is true.

    Raises SourceDataError for invalid tables and ValidationError for SHACL violations; either way nothing
    is released and the current release stays as it was. ReleaseError when the releases folder cannot be
    written (checked first, before minutes of work) or writing the release fails (a full disk).
    """
    seconds: dict[str, float] = {}
    say = progress or (lambda _message: None)
    uris = UriScheme(settings.base)
    if release:
        ensure_writable(settings.releases_dir)

    with _collector_paused():  # millions of small, long-lived objects: cycle collection only costs time here
        with _stage("read", seconds, say):
            data = read_sources(settings.data_dir)
            publication = publication_of(settings, describe(data))
        with _stage("map", seconds, say):
            mapping = map_sources(data, uris)
    with _stage("validate", seconds, say):
        report = validate_mapping(mapping, uris)
    if not report.conforms:
        raise ValidationError(report.violations)

    result = _result(data, mapping, seconds, uris)
    result.publication = publication
    if release:
        with _stage("release", seconds, say):
            content = _content(settings, uris, data, mapping, report, result, publication)
            result.release = write_release(
                content, settings.releases_dir, keep=settings.keep_releases, remote=server_of(settings)
            )
    return result


@contextmanager
def _collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def _stage(name: str, seconds: dict[str, float], say: Progress) -> Iterator[None]:
    say(f"{name} ...")
    started = time.perf_counter()
    yield
    seconds[name] = round(time.perf_counter() - started, 3)
    log.info("stage %s took %.2f s", name, seconds[name])


def _result(data: SourceData, mapping: Mapping, seconds: dict[str, float], uris: UriScheme) -> BuildResult:
    return BuildResult(
        rows={name: len(records) for name, records in data.records.items()},
        triples=len(mapping.graph),
        classes=count_entities(mapping.graph, uris),
        seconds=seconds,
    )


def count_entities(graph: Graph, uris: UriScheme) -> dict[str, int]:
    """Entities per class (as a prefixed name), counting only things minted under ``{base}id/``."""
    things = f"{uris.base}id/"
    prefixes = {**PREFIXES, "cluster": uris.ontology_namespace}
    classes: Counter[str] = Counter()
    for subject, cls in graph.subject_objects(RDF.type):
        if str(subject).startswith(things):
            classes[_prefixed(str(cls), prefixes)] += 1
    return dict(sorted(classes.items()))


def _prefixed(iri: str, prefixes: dict[str, str]) -> str:
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _content(
    settings: Settings,
    uris: UriScheme,
    data: SourceData,
    mapping: Mapping,
    report: ValidationReport,
    result: BuildResult,
    publication: Publication,
) -> ReleaseContent:
    return ReleaseContent(
        graph=mapping.graph,
        ontology=load_ontology(str(uris.ontology)),
        shapes=load_shapes(uris),
        report=report.graph,
        base=settings.base,
        rows_read=result.rows,
        classes=result.classes,
        inputs_digest=inputs_digest(settings),
        replacements=mapping.replacements,
        publication=publication,
        coverage=coverage_of_sources(data),
    )


def inputs_digest(settings: Settings) -> str:
    """SHA-256 over everything a release is made from: tables, ontology, shapes, base and version."""
    digest = hashlib.sha256(f"{__version__}\n{settings.base}\n".encode())
    for path in [*sorted(settings.data_dir.glob("*.csv")), ONTOLOGY_FILE, SHAPES_FILE]:
        digest.update(path.name.encode() + b"\n")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def link_report(settings: Settings, *, fresh: bool) -> LinkReport:
    """The links out of the current release, or (``fresh``) of a new mapping of the data folder.

    A fresh check reads and maps the tables without SHACL validation and releases nothing; a malformed
    identifier in a table is already a SourceDataError naming file, row and column.
    """
    if fresh:
        mapping = map_sources(read_sources(settings.data_dir), UriScheme(settings.base))
        return links_in_graph(mapping.graph, settings.base)
    release = current_release(settings.releases_dir)
    if release is None:
        raise ReleaseError(f"no current release in {settings.releases_dir}: run `clusterlod build` first")
    store = EmbeddedStore.open_read_only(release.folder / "store")
    return links_in_store(store.select, settings.base)
