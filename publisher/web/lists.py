"""List pages, one per type at ``{base}doc/{type}/``: paged, with filters (initiatives by field with the
fields below it, by place with the places inside it, and by region; events by the days they run on), as HTML
or as RDF (the things with their labels)."""

from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, render_template, request
from rdflib import RDFS, Graph, Literal, URIRef
from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.wrappers import Response

from publisher.releases import Release
from publisher.store import sparql_iri, sparql_string
from publisher.store.queries import Queries
from publisher.tables import SLUG_PATTERN, TABLES
from publisher.uris import UriScheme
from publisher.vocab import XHV
from publisher.web import current, respond
from publisher.web.facets import facets_of
from publisher.web.kept import kept
from publisher.web.params import MAX_PAGE, whole_number
from publisher.web.release import store_of
from publisher.web.urls import Urls

PAGE_SIZE = 50
_KEY = re.compile(SLUG_PATTERN)
# The pattern that finds the members of a list, per type word (publisher.store.queries names the prefixes).
LIST_CLASSES = {
    "initiative": "VALUES ?class { ORGANISATION_CLASSES } ?thing a ?class .",
    "organisation": "?thing a org:FormalOrganization .",
    "person": "?thing a schema:Person .",
    "post": "?thing a org:Post .",
    "place": "?thing a ?class . VALUES ?class { schema:Country schema:State cluster:GovernmentRegion "
    "cluster:Municipality }",
    "event": "{ ?thing a schema:Event } UNION { ?thing a schema:EventSeries } "
    "?thing schema:startDate ?start .",
    "field": "?thing a skos:Concept .",
    "document": "?thing a foaf:Document .",
    "observation": "?thing a schema:Observation .",
    "award": "?thing a cluster:LabelAward .",
    "status": "?thing a cluster:StatusReport .",
    "name": "?thing a cluster:DatedName .",
    "role": "?thing a cluster:AgentRole .",
}
TITLES = {
    "initiative": (
        "Cluster-Initiativen, Netzwerke und Agenturen",
        "Cluster initiatives, networks and agencies",
    ),
    "organisation": ("Organisationen", "Organisations"),
    "person": ("Personen", "People"),
    "post": ("Ämter", "Posts"),
    "place": ("Orte", "Places"),
    "event": ("Veranstaltungen", "Events"),
    "field": ("Politik- und Technologiefelder", "Policy and technology fields"),
    "document": ("Quellen", "Sources"),
    "observation": ("Zahlen", "Figures"),
    "award": ("Qualitätslabels", "Quality labels"),
    "status": ("Statusmeldungen", "Status reports"),
    "name": ("Namen mit Zeitraum", "Dated names"),
    "role": ("Rollen mit Zeitraum", "Dated roles"),
}
assert set(LIST_CLASSES) == {t.type_word for t in TABLES}  # noqa: S101 - every table has a list page


bp = Blueprint("lists", __name__)


@bp.get("/doc/<type_word>/")
def list_page(type_word: str) -> Response:
    if type_word not in LIST_CLASSES:
        raise NotFound(f"There is no list of {type_word!r}.")
    page = whole_number("page", 1, maximum=MAX_PAGE)
    filters = _filters(type_word)
    release, urls = current.release(), current.urls()
    if filters:
        rows = current.store().select(_query(urls.base, release, type_word, filters, page))
    else:  # a slice of the whole list, which is made once per release
        rows = listing_of(release, urls.base, type_word)[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1]
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    links = [f'<{urls.listing(type_word, _with_page(page + 1))}>; rel="next"'] if more else []
    if page > 1:
        links.append(f'<{urls.listing(type_word, _with_page(page - 1))}>; rel="prev"')
    here = request.args.to_dict()
    return respond.represent(
        page=lambda: _html(urls, release, type_word, rows, page, more, filters),
        graph=lambda: _rdf(urls, type_word, rows, page, more),
        links=links,
        alternates=[  # this page in each form, by ?format= (a list has no suffix form)
            (urls.listing(type_word, {**here, "format": fmt.suffix}), fmt, "") for fmt in respond.PAGE_FORMATS
        ],
    )


def _with_page(page: int) -> dict[str, str]:
    """This request's query (filters, language, form) with ``page``."""
    return {**request.args.to_dict(), "page": str(page)}


def _page_of(page: int) -> dict[str, str]:
    """The query naming the page itself (filters, language), whatever form was asked: what the graph says."""
    return {name: value for name, value in _with_page(page).items() if name != "format"}


def _html(
    urls: Urls,
    release: Release,
    type_word: str,
    rows: list[dict[str, str]],
    page: int,
    more: bool,
    filters: dict[str, str],
) -> str:
    language = respond.language()
    return render_template(
        "list.html",
        lang=language,
        type_word=type_word,
        title=TITLES[type_word][0 if language == "de" else 1],
        rows=[{**row, "href": urls.local(row["thing"])} for row in rows],
        page=page,
        more=more,
        filters=filters,
        # the initiatives' fields and places (counted with the fields below and places inside them)
        options=facets_of(release, urls.base).options if type_word == "initiative" else {},
        query_string=request.args.to_dict(),
    )


def _filters(type_word: str) -> dict[str, str]:
    found: dict[str, str] = {}
    if type_word == "initiative":
        for name in ("field", "place"):
            value = request.args.get(name, "")
            if value and not _KEY.fullmatch(value):
                raise BadRequest(f"{name}={value!r} is not the key of a {name}.")
            if value:
                found[name] = value
        region = request.args.get("region", "")
        if len(region) > 200:
            raise BadRequest("region= is longer than any region in the data.")
        if region:
            found["region"] = region
    if type_word == "event":
        for name in ("from", "to"):
            value = request.args.get(name, "")
            if value:
                try:  # Python also reads 20170420 and 2017-W16-4: the query gets YYYY-MM-DD
                    found[name] = dt.date.fromisoformat(value).isoformat()
                except ValueError:
                    raise BadRequest(f"{name}={value!r} is not a date (YYYY-MM-DD).") from None
    return found


def listing_of(release: Release, base: str, type_word: str) -> list[dict[str, str]]:
    """Every thing of a type in list order, made once per release: unfiltered list pages are slices of it
    (each page's ORDER BY ... OFFSET query took up to 1.6 s at 300,000 triples)."""
    query = _query(base, release, type_word, {}, None)
    return kept(
        f"list-{type_word}",
        release,
        lambda: _in_list_order(type_word, store_of(release).select(query)),
        scope=base,
    )


def _in_list_order(type_word: str, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """``rows`` sorted as the query's ORDER BY sorts them: Virtuoso 7.2 answers the whole list (no LIMIT) in
    runs that are each sorted but not in order, so the order is made here the same for every engine."""
    if type_word == "event":  # dates as YYYY-MM-DD sort as their text does
        return sorted(rows, key=lambda row: (row.get("start", ""), row["label"], row["thing"]))
    return sorted(rows, key=lambda row: (row["label"].lower(), row["thing"]))


def _query(base: str, release: Release, type_word: str, filters: dict[str, str], page: int | None) -> str:
    """The list's query; one page of it (one row more, to tell whether another page follows), or all of it
    for ``page=None``."""
    uris = UriScheme(base)
    facets = facets_of(release, base)
    organisations = " ".join(sparql_iri(c) for c in facets.organisation_classes)
    patterns = [LIST_CLASSES[type_word].replace("ORGANISATION_CLASSES", organisations)]
    if type_word == "event":  # an event in the range, or running in it: starts by `to`, ends from `from` on
        if "from" in filters:  # its end, or its start when it has none (a one-day event)
            patterns.append("OPTIONAL { ?thing schema:endDate ?end }")
            patterns.append(f'FILTER(COALESCE(?end, ?start) >= "{filters["from"]}"^^xsd:date)')
        if "to" in filters:  # not `?start <= date`, which Virtuoso 7.2 answers with no rows at all
            patterns.append(f'FILTER(!(?start > "{filters["to"]}"^^xsd:date))')
    if "field" in filters:
        fields = " ".join(sparql_iri(f) for f in facets.within(str(uris.thing("field", filters["field"]))))
        patterns.append(f"VALUES ?field {{ {fields} }} ?thing cluster:technologyField ?field .")
    if "place" in filters:  # the place and every place inside it
        places = " ".join(sparql_iri(p) for p in facets.inside(str(uris.thing("place", filters["place"]))))
        patterns.append(f"VALUES ?place {{ {places} }} ?thing schema:location ?place .")
    if "region" in filters:  # the region as the sources word it, written as SPARQL writes a string
        patterns.append(f"?thing cluster:regionText {sparql_string(filters['region'])} .")
    # by the label's text: SPARQL leaves the order of language-tagged literals to the engine (Virtuoso sorts
    # by language tag first), but defines it for plain strings
    order = "?start STR(?label) ?thing" if type_word == "event" else "LCASE(STR(?label)) ?thing"
    limit = "" if page is None else f"LIMIT {PAGE_SIZE + 1} OFFSET {(page - 1) * PAGE_SIZE}"
    return Queries.of(base).listing(patterns, order, limit)


def _rdf(urls: Urls, type_word: str, rows: list[dict[str, str]], page: int, more: bool) -> Graph:
    """One page of the list: its members with their labels, and the next and previous pages as a document's
    inbound links name theirs (``xhv:next``, ``xhv:prev``), for a client that reads only the graph."""
    graph = Graph()
    graph.bind("xhv", XHV)
    listed = URIRef(urls.iri(f"doc/{type_word}/"))
    if more:
        graph.add((listed, XHV.next, URIRef(urls.absolute(urls.listing(type_word, _page_of(page + 1))))))
    if page > 1:
        graph.add((listed, XHV.prev, URIRef(urls.absolute(urls.listing(type_word, _page_of(page - 1))))))
    for row in rows:
        thing = URIRef(row["thing"])
        graph.add((listed, RDFS.member, thing))
        graph.add((thing, RDFS.label, Literal(row["label"])))
    return graph
