"""Links out to authorities: which authorities we link to, how their identifiers look, and the check.

One table (``AUTHORITIES``) names every authority with its IRI namespace, the pattern of its identifiers and
the predicates we link to it with. The mapping mints link IRIs from it, VoID counts linksets from it, and
``check_links`` holds every outgoing link of a graph or store against it: a link whose IRI does not match its
authority's pattern, that uses a predicate not declared for it, or that points into a namespace the table
does not know is a problem. Pure: no store, no web.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rdflib import Graph, URIRef

OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SKOS_EXACT = SKOS + "exactMatch"
SKOS_CLOSE = SKOS + "closeMatch"
SKOS_BROAD = SKOS + "broadMatch"
RDFS_SEE_ALSO = "http://www.w3.org/2000/01/rdf-schema#seeAlso"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# Predicates that make a statement a link out (whatever the target); any of them to an IRI outside the base
# must land in a known authority.
LINK_PREDICATES = (
    OWL_SAME_AS,
    SKOS_EXACT,
    SKOS_CLOSE,
    SKOS_BROAD,
    SKOS + "narrowMatch",
    SKOS + "relatedMatch",
    RDFS_SEE_ALSO,
)
# The EU data-theme codes a stored source lists (documents.csv: eu-data-theme-codes).
THEME_CODES = (
    "AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI", "SOCI", "TECH", "TRAN",
)  # fmt: skip
THEME_MATCHES = {"close": SKOS_CLOSE, "broad": SKOS_BROAD}  # fields.csv eu_themes: "broad:TECH"
GND_PATTERN = r"(1[01]?\d{7}[0-9X]|[47]\d{6}-\d|[1-9]\d{0,7}-[0-9X]|3\d{7}[0-9X])"


@dataclass(frozen=True)
class Authority:
    """An authority we link to: IRIs are ``namespace + identifier + suffix``."""

    key: str
    name: str
    namespace: str
    pattern: str  # of the identifier alone
    predicates: tuple[str, ...]
    suffix: str = ""

    def iri(self, identifier: str) -> URIRef:
        return URIRef(f"{self.namespace}{identifier}{self.suffix}")

    def identifier(self, iri: str) -> str | None:
        """The identifier in ``iri`` when the IRI is well-formed for this authority, else None."""
        if not iri.startswith(self.namespace) or not iri.endswith(self.suffix):
            return None
        core = iri[len(self.namespace) : len(iri) - len(self.suffix)]
        return core if re.fullmatch(self.pattern, core) else None


AUTHORITIES: tuple[Authority, ...] = (
    Authority("wikidata", "Wikidata", "http://www.wikidata.org/entity/", r"Q[1-9]\d*", (OWL_SAME_AS,)),
    Authority("gnd", "GND", "https://d-nb.info/gnd/", GND_PATTERN, (OWL_SAME_AS,)),
    Authority("geonames", "GeoNames", "http://sws.geonames.org/", r"[1-9]\d*", (OWL_SAME_AS,), "/"),
    Authority("nuts", "NUTS", "http://data.europa.eu/nuts/code/", r"[A-Z]{2}[A-Z0-9]{0,3}", (SKOS_EXACT,)),
    Authority(
        "state-key",
        "DCAT-AP.de political geocoding: state key",
        "http://dcat-ap.de/def/politicalGeocoding/stateKey/",
        r"\d{2}",
        (SKOS_EXACT,),
    ),
    Authority(
        "municipality-key",
        "DCAT-AP.de political geocoding: municipality key (AGS)",
        "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/",
        r"\d{8}",
        (SKOS_EXACT,),
    ),
    Authority(
        "eu-data-theme",
        "EU data themes",
        "http://publications.europa.eu/resource/authority/data-theme/",
        "(" + "|".join(THEME_CODES) + ")",
        (SKOS_CLOSE, SKOS_BROAD),
    ),
)
AUTHORITIES_BY_KEY = {authority.key: authority for authority in AUTHORITIES}


@dataclass(frozen=True)
class Link:
    """One outgoing link of a thing; ``authority`` is None when the target is in no known namespace."""

    subject: str
    predicate: str
    target: str
    authority: Authority | None

    @property
    def problem(self) -> str:
        """What is wrong with the link, or "" when it is well-formed."""
        if self.authority is None:
            return "points into a namespace that is not a known authority"
        if self.authority.identifier(self.target) is None:
            return f"is not a well-formed {self.authority.name} IRI ({self.authority.namespace}…)"
        if self.predicate not in self.authority.predicates:
            return f"uses a predicate not declared for {self.authority.name}"
        return ""

    def __str__(self) -> str:
        return f"<{self.subject}> <{self.predicate}> <{self.target}>"


@dataclass
class LinkReport:
    """All outgoing links, the classes of their subjects, and what is wrong with any of them."""

    links: list[Link]
    classes: dict[str, list[str]] = field(default_factory=dict)  # subject -> its rdf:types

    @property
    def problems(self) -> list[str]:
        return [f"{link}: {link.problem}" for link in self.links if link.problem]

    def by_authority(self) -> dict[str, int]:
        counts = Counter(link.authority.key for link in self.links if link.authority)
        return {a.key: counts[a.key] for a in AUTHORITIES if counts[a.key]}

    def by_class(self) -> dict[str, dict[str, int]]:
        """Links per class of their subject and authority; a subject of two classes counts in both."""
        counts: dict[str, Counter[str]] = {}
        for link in self.links:
            key = link.authority.key if link.authority else "unknown"
            for cls in self.classes.get(link.subject, ["(untyped)"]):
                counts.setdefault(cls, Counter())[key] += 1
        return {cls: dict(sorted(counts[cls].items())) for cls in sorted(counts)}


def authority_of(iri: str) -> Authority | None:
    """The authority whose namespace holds ``iri``."""
    return next((a for a in AUTHORITIES if iri.startswith(a.namespace)), None)


def check_links(
    triples: Iterable[tuple[str, str, str]], types: Iterable[tuple[str, str]], base: str
) -> LinkReport:
    """Every link out of a thing under ``{base}id/`` among ``triples`` (subject, predicate, IRI object)."""
    things = f"{base}id/"
    links = [
        Link(s, p, o, authority_of(o))
        for s, p, o in triples
        if p in LINK_PREDICATES and s.startswith(things) and not o.startswith(base)
    ]
    linked = {link.subject for link in links}
    classes: dict[str, list[str]] = {}
    for subject, cls in types:
        if subject in linked:
            classes.setdefault(subject, []).append(cls)
    for found in classes.values():
        found.sort()
    return LinkReport(links, classes)


def links_in_graph(graph: Graph, base: str) -> LinkReport:
    """The link report of an rdflib graph (a fresh mapping)."""
    triples = (
        (str(s), str(p), str(o))
        for p in LINK_PREDICATES
        for s, o in graph.subject_objects(URIRef(p))
        if isinstance(o, URIRef)
    )
    types = ((str(s), str(o)) for s, o in graph.subject_objects(URIRef(RDF_TYPE)))
    return check_links(triples, types, base)


LINKS_QUERY = """SELECT ?s ?p ?o ?class WHERE {
  VALUES ?p { PREDICATES }
  ?s ?p ?o FILTER(isIRI(?o) && STRSTARTS(STR(?s), "THINGS"))
  OPTIONAL { ?s a ?class }
}"""


def links_in_store(select: Callable[[str], list[dict[str, str]]], base: str) -> LinkReport:
    """The link report of a store, given its SELECT function (rows of variable -> lexical value)."""
    query = LINKS_QUERY.replace("PREDICATES", " ".join(f"<{p}>" for p in LINK_PREDICATES)).replace(
        "THINGS", f"{base}id/"
    )
    rows = select(query)
    triples = sorted({(r["s"], r["p"], r["o"]) for r in rows})
    types = sorted({(r["s"], r["class"]) for r in rows if "class" in r})
    return check_links(triples, types, base)
