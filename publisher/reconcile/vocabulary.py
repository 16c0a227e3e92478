"""What the reconciliation service offers: the types of things it matches and the properties it knows.

Types are classes of the published data, identified by their IRIs; a type counts the instances of its
narrower types too (a cluster initiative is a cluster organisation). Properties have short ids, the same in
reconciliation queries and in data extension.
"""

from __future__ import annotations

from dataclasses import dataclass

from publisher.vocab import FOAF, ORG, RDF, SDO, SKOS, ClusterTerms

__all__ = ["Property", "Type", "Vocabulary"]


@dataclass(frozen=True)
class Type:
    id: str
    name: str
    description: str  # the German name
    broader: tuple[str, ...] = ()


@dataclass(frozen=True)
class Property:
    id: str
    name: str
    description: str
    predicate: str
    kind: str  # "entity" (values are things of this dataset), "url", "text" or "type"
    domain: tuple[str, ...]  # ids of the types whose things have it (narrower types included)
    range: str = ""  # for entity values: the id of their type


class Vocabulary:
    """The types and properties offered under one base."""

    def __init__(self, base: str) -> None:
        cluster = ClusterTerms(f"{base}def/cluster#")
        organisation = str(cluster.ClusterOrganisation)
        area = str(SDO.AdministrativeArea)
        event = str(SDO.Event)

        def narrower(name: str, en: str, de: str, broader: str) -> Type:
            return Type(str(cluster[name]), en, de, (broader,))

        self.types: tuple[Type, ...] = (
            Type(organisation, "Cluster organisation", "Clusterorganisation"),
            narrower("ClusterInitiative", "Cluster initiative", "Cluster-Initiative", organisation),
            narrower("StateNetwork", "State-wide network", "Landesweites Netzwerk", organisation),
            narrower("StateAgency", "State agency", "Landesagentur", organisation),
            narrower("ResearchCampus", "Research campus", "Forschungscampus", organisation),
            narrower("SupportAgency", "Support agency", "Unterstützungsagentur", organisation),
            narrower("Platform", "Platform", "Plattform", organisation),
            narrower(
                "CrossStateCluster",
                "Cross-state cluster",
                "Länderübergreifender Cluster",
                str(cluster.ClusterInitiative),
            ),
            Type(str(ORG.FormalOrganization), "Organisation", "Organisation"),
            Type(str(FOAF.Person), "Person", "Person"),
            Type(event, "Event", "Veranstaltung"),
            Type(str(SDO.EventSeries), "Event series", "Veranstaltungsreihe", (event,)),
            Type(area, "Place", "Ort"),
            narrower("Municipality", "Municipality", "Gemeinde", area),
            narrower("GovernmentRegion", "Government region", "Regierungsbezirk", area),
            Type(str(SDO.State), "State", "Land", (area,)),
            Type(str(SDO.Country), "Country", "Staat", (area,)),
            Type(str(SKOS.Concept), "Policy or technology field", "Politik- oder Technologiefeld"),
            Type(str(FOAF.Document), "Source document", "Quelle"),
        )
        defaults = {organisation, str(ORG.FormalOrganization)}
        self.default_types = tuple(t for t in self.types if t.id in defaults)
        self.type_by_id = {t.id: t for t in self.types}
        with_events = (organisation, str(ORG.FormalOrganization), event)
        self.properties: tuple[Property, ...] = (
            Property("location", "Place (city or seat)", "Ort (Stadt oder Sitz)", str(SDO.location),
                     "entity", with_events, area),
            Property("homepage", "Homepage", "Website", str(FOAF.homepage), "url", with_events),
            Property("field", "Policy or technology field", "Politik- oder Technologiefeld",
                     str(cluster.technologyField), "entity", (organisation,), str(SKOS.Concept)),
            Property("managedBy", "Managed by", "Geführt von", str(cluster.managedBy), "entity",
                     (organisation,), str(ORG.FormalOrganization)),
            Property("founded", "Founding date", "Gründungsdatum", str(SDO.foundingDate), "text",
                     (organisation,)),
            Property("type", "Type", "Typ", str(RDF.type), "type", tuple(t.id for t in self.types)),
        )  # fmt: skip
        self.property_by_id = {p.id: p for p in self.properties}

    def ancestors(self, type_id: str) -> list[str]:
        """The type and every broader one, nearest first."""
        found = [type_id]
        for current in found:
            for broader in self.type_by_id[current].broader if current in self.type_by_id else ():
                if broader not in found:
                    found.append(broader)
        return found

    def types_of(self, classes: set[str]) -> list[Type]:
        """The offered types of a thing with these ``rdf:type`` values, most specific first."""
        found: list[str] = []
        for cls in sorted(classes, key=lambda c: -len(self.ancestors(c))):
            if cls in self.type_by_id:
                found += [t for t in self.ancestors(cls) if t not in found]
        return [self.type_by_id[t] for t in found]

    def properties_for(self, type_id: str | None) -> list[Property]:
        """The properties things of a type have (all of them for no type)."""
        if type_id is None:
            return list(self.properties)
        ancestors = self.ancestors(type_id)
        return [p for p in self.properties if any(t in p.domain for t in ancestors)]
