"""Stage 2, map (continued): dated statements (labels, statuses, names, roles) become nodes of their own.

Each row of labels.csv, statuses.csv, names.csv and roles.csv is one statement of one source with its dates,
so two sources that disagree stand side by side. The thing the statement is about links to it, and the
statement's label says what it states together with its dates, so a page lists the fact with its "as of" date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rdflib import Graph, Literal, URIRef

from publisher.cells import PartialDate
from publisher.read import Record, SourceData
from publisher.vocab import RDFS, SDO, SKOS, ClusterTerms

QUALITY_LABELS = {
    "state-cluster-excellence": "StateClusterExcellence",
    "esca-bronze": "ClusterManagementExcellenceBronze",
    "esca-silver": "ClusterManagementExcellenceSilver",
    "esca-gold": "ClusterManagementExcellenceGold",
}
STATUSES = {
    "dissolution-decided": "DissolutionDecided",
    "in-dissolution": "InDissolution",
    "dissolved": "Dissolved",
    "merged": "Merged",
}
ROLES = {"operator": "Operator", "initiator": "Initiator"}
WORDS = {
    "de": {"awarded": "verliehen", "valid_until": "gültig bis", "attested": "Stand", "since": "seit",
           "reported": "Stand", "start": "ab", "end": "bis"},
    "en": {"awarded": "awarded", "valid_until": "valid until", "attested": "as of", "since": "since",
           "reported": "as of", "start": "from", "end": "until"},
}  # fmt: skip


class DatedMapper:
    """The mapping of the dated tables; mixed into publisher.map's mapper, whose helpers it uses."""

    data: SourceData
    graph: Graph
    terms: ClusterTerms
    ontology: Graph
    entity: Callable[..., URIRef]
    iri: Callable[[str], URIRef]
    add: Callable[..., None]

    def map_label_award(self, record: Record) -> None:
        subject = self.entity(record, self.terms.LabelAward)
        label = self.terms[QUALITY_LABELS[str(record.get("label"))]]
        self.graph.add((self.iri(str(record.get("holder"))), self.terms.holdsLabel, subject))
        self.graph.add((subject, self.terms.qualityLabel, label))
        self.add(subject, self.terms.awardedOn, record.get("awarded"))
        self.add(subject, self.terms.validUntil, record.get("valid_until"))
        self.add(subject, self.terms.attestedOn, record.get("attested"))
        self.add(subject, self.terms.statedAs, record.text("wording"))
        self.label(subject, label, "", record, ("awarded", "valid_until", "attested"))

    def map_status_report(self, record: Record) -> None:
        subject = self.entity(record, self.terms.StatusReport)
        status = self.terms[STATUSES[str(record.get("status"))]]
        self.graph.add((self.iri(str(record.get("about"))), self.terms.statusReport, subject))
        self.graph.add((subject, self.terms.reportedStatus, status))
        self.add(subject, SDO.startDate, record.get("since"))
        self.add(subject, self.terms.reportedOn, record.get("reported"))
        for key in record.refs("successor"):
            self.graph.add((subject, self.terms.successor, self.iri(key)))
        self.add(subject, self.terms.statedAs, record.text("wording"))
        self.label(subject, status, "", record, ("since", "reported"))

    def map_dated_name(self, record: Record) -> None:
        subject = self.entity(record, self.terms.DatedName)
        name = Literal(str(record.get("name")), lang=str(record.get("lang")))
        self.graph.add((self.iri(str(record.get("about"))), self.terms.hadName, subject))
        self.graph.add((subject, SDO.name, name))
        owner = self.data.by_id[str(record.get("about"))]
        if str(name) != owner.text(f"label_{name.language}"):  # a name it no longer bears, or one beside it
            self.graph.add((self.iri(owner.id), SKOS.altLabel, name))
        self.add(subject, SDO.startDate, record.get("start"))
        self.add(subject, SDO.endDate, record.get("end"))
        for attested in record.refs("attested"):
            self.add(subject, self.terms.attestedOn, attested)
        self.label(subject, None, str(name), record, ("start", "end", "attested"))

    def map_agent_role(self, record: Record) -> None:
        subject = self.entity(record, self.terms.AgentRole)
        role = self.terms[ROLES[str(record.get("role"))]]
        self.graph.add((self.iri(str(record.get("in"))), self.terms.hasRole, subject))
        self.graph.add((subject, self.terms.roleType, role))
        for key in record.refs("agents"):
            self.graph.add((subject, self.terms.roleAgent, self.iri(key)))
        self.add(subject, self.terms.agentText, record.text("agents_text"))
        self.add(subject, SDO.startDate, record.get("start"))
        self.add(subject, SDO.endDate, record.get("end"))
        for attested in record.refs("attested"):
            self.add(subject, self.terms.attestedOn, attested)
        self.add(subject, self.terms.statedAs, record.text("wording"))
        agents = [self._label_of(key) for key in record.refs("agents")]
        wording = record.text("agents_text")
        who = "; ".join([*agents, *([wording] if wording else [])])
        self.label(subject, role, who, record, ("start", "end", "attested"))

    def label(
        self, subject: URIRef, term: URIRef | None, text: str, record: Record, dates: Iterable[str]
    ) -> None:
        """Label the statement in German and English: what it states, then its dates."""
        for language in ("de", "en"):
            what = self._term_label(term, language) if term is not None else ""
            head = ": ".join(part for part in (what, text) if part)
            self.graph.add(
                (subject, RDFS.label, Literal(dated(head, record, dates, language), lang=language))
            )

    def _term_label(self, term: URIRef, language: str) -> str:
        for value in self.ontology.objects(term, RDFS.label):
            if isinstance(value, Literal) and value.language == language:
                return str(value)
        return str(term)

    def _label_of(self, key: str) -> str:
        return self.data.by_id[key].text("label_de") or key


def dated(head: str, record: Record, dates: Iterable[str], language: str) -> str:
    """``head`` and then the record's dates in ``language``: „Wirtschaftsministerin (ab 2016-05-12)“."""
    when = "; ".join(
        f"{WORDS[language][column]} {', '.join(_text(v) for v in _values(record, column))}"
        for column in dates
        if _values(record, column)
    )
    return f"{head} ({when})" if when else head


def _values(record: Record, column: str) -> tuple[object, ...]:
    value = record.get(column)
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


def _text(value: object) -> str:
    return value.text if isinstance(value, PartialDate) else str(value)
