"""The JSON-LD context that documents, list pages and other RDF answers are compacted against, published at
``{base}context.jsonld`` (publisher.web.ontology serves it): the site's prefixes, and a short term for every
property and class the release uses (``label`` for rdfs:label, ``ClusterInitiative``). Made once per release,
so it changes only when the data starts or stops using a term; a JSON-LD processor fetches it from us and
from nowhere else."""

from __future__ import annotations

from publisher.jsonld import Context
from publisher.releases import Release
from publisher.settings import Settings
from publisher.store.queries import Queries
from publisher.uris import UriScheme
from publisher.vocab import prefixes_for
from publisher.web.kept import kept
from publisher.web.release import store_of

# whose term a shared local name becomes: ours, then schema.org's, then the others' in PREFIXES order
FIRST = ("cluster", "schema")


def context_of(settings: Settings, release: Release) -> Context:
    """The release's context, made once per release."""

    def build() -> Context:
        prefixes = prefixes_for(settings.base)
        ordered = {name: prefixes[name] for name in (*FIRST, *prefixes)}
        used = [row["term"] for row in store_of(release).select(Queries.of(settings.base).terms)]
        return Context.for_terms(str(UriScheme(settings.base).context), ordered, used)

    return kept("jsonld-context", release, build, scope=settings)
