"""The dataset described for data portals: a DCAT-AP.de catalog with the dataset, its dumps and the SPARQL
service, in either of the two profiles GovData validates (DCAT-AP.de 3.0, and 2.0 with its conventions).

Pure: the description is made from a release (:class:`publisher.releases.Release`: its id, build times and
the sizes and SHA-256 of its dumps), the dates the data covers and what the publication says about itself
(:class:`Publication`: the data folder's description, with the deployment's settings over it). The web layer
serves it at ``{base}dataset``; every release keeps a copy of each profile.

The two profiles cannot share one graph: 2.0 wants ``dcat:byteSize`` typed xsd:decimal and checksum algorithms
from the DCAT-AP.de hash list, 3.0 wants xsd:nonNegativeInteger and SPDX algorithms and deprecates
``owl:versionInfo`` and ``dcatde:politicalGeocodingURI`` (see docs/decisions/20261128-catalog-profiles.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from publisher.catalog.graph import catalog_graph
from publisher.catalog.profiles import (
    DEFAULT_PROFILE,
    DUMP_KINDS,
    PROFILES,
    DumpKind,
    Profile,
    catalog_file,
)
from publisher.catalog.publication import (
    Coverage,
    Publication,
    coverage_of,
    coverage_of_sources,
    coverage_query,
    harvest_warnings,
    publication_of,
)

# publisher.releases imports the store, which a pure stage must not bring at run time
if TYPE_CHECKING:
    from publisher.releases import Release

__all__ = [
    "DEFAULT_PROFILE",
    "DUMP_KINDS",
    "PROFILES",
    "Coverage",
    "DumpKind",
    "Profile",
    "Publication",
    "catalog_file",
    "catalog_graph",
    "coverage_of",
    "coverage_of_sources",
    "coverage_query",
    "harvest_warnings",
    "publication_of",
    "write_copies",
]


def write_copies(release: Release, publication: Publication, coverage: Coverage) -> dict[str, Path]:
    """Write the description in every profile into the release's folder; return the files by profile key."""
    written = {}
    for profile in PROFILES.values():
        path = release.folder / catalog_file(profile)
        catalog_graph(publication, release, coverage, profile).serialize(path, format="turtle")
        written[profile.key] = path
    return written
