"""Stage 4, release: write an immutable release folder, then make it current with one atomic switch.

Layout of the releases folder::

    releases/
      current -> 20261128T133000.123Z-1a2b3c4d     (symlink, replaced atomically)
      20261128T133000.123Z-1a2b3c4d/
        store/                    the embedded Oxigraph store
        dumps/data.ttl  data.ttl.gz  data.nt.gz  data.jsonld  data.jsonld.gz
        ontology.ttl  shapes.ttl  the ontology and shapes, resolved against the base
        validation-report.ttl
        catalog.ttl  catalog-dcat-ap-de-2.0.ttl   the DCAT-AP.de description (3.0, 2.0) of this release
        entities.tsv              every entity IRI with a digest of its statements
        changes.json              entities added, changed, removed since the release current before
        history/                  the line of releases and every entity's versions (publisher.history)
        feed/                     the change feed's pages (LDES), earlier ones hard-linked from the last
        gone.json                 every IRI ever removed and not back: last release, date, replacement
        remote.json               with an external SPARQL server: its endpoints and the release's graph
        manifest.json             release id, build time, counts, changes, the publication's description
                                  (publication.csv resolved), SHA-256 of every file

A build writes into a hidden ``.building-*`` folder and renames it only when complete and every file reads
back with the SHA-256 its manifest records (publisher.integrity), so a failed or killed build never touches
``current``, and a server reading ``current`` keeps serving the release it has open.
After the switch, the oldest releases beyond ``keep`` are removed (never the current one, the one current
before, or one newer than current); ``gone.json`` carries the history forward, so none is lost with them.
With an external SPARQL server, the release is loaded into its own graph there before the switch (a failure
fails the build), and pruning a release drops its graph.

``write`` writes the folder (store, dumps, catalog copies, manifest) and runs the steps in order,
``previous`` carries on the history of the release current before, and ``switch`` makes a release current,
rolls back and prunes.
"""

from __future__ import annotations

from publisher.release.switch import activate, prune_releases, release_lock
from publisher.release.write import ReleaseContent, ensure_writable, write_release

__all__ = ["ReleaseContent", "activate", "ensure_writable", "prune_releases", "release_lock", "write_release"]
