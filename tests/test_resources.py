"""Dereferenceable URIs: 303 from things to documents, negotiation by Accept, suffix and ?format=, crawl."""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterator

import pytest
import requests
from rdflib import Graph, URIRef

from publisher.read import read_sources
from publisher.settings import Settings
from tests.conftest import MINIMAL, PROJECT
from tests.server import minimal_site, running_server

BASE = "http://localhost:8080/"
FORMATS = [
    ("text/turtle", "ttl", "turtle", "turtle"),
    ("application/ld+json", "jsonld", "jsonld", "json-ld"),
    ("application/rdf+xml", "rdf", "rdfxml", "xml"),
    ("application/n-triples", "nt", "ntriples", "nt"),
]
THINGS = [
    "initiative/ini-one",
    "event/week",
    "event/opening",
    "organisation/org-ministry",
    "person/person-a",
    "post/post-a",
    "place/place-town",
    "field/field-x",
    "document/doc-a",
    "observation/obs-events",
    "scheme/fields",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    with minimal_site(tmp_path_factory.mktemp("resources")) as served:
        yield served


def get(url: str, accept: str = "", **params: str) -> requests.Response:
    headers = {"Accept": accept} if accept else {}
    return requests.get(url, headers=headers, params=params, allow_redirects=False, timeout=30)


@pytest.mark.parametrize("thing", THINGS)
@pytest.mark.parametrize(("accept", "suffix"), [("text/html", ""), *[(f[0], "." + f[1]) for f in FORMATS]])
def test_a_thing_answers_303_to_its_document_in_the_preferred_format(
    site: tuple[str, Settings], thing: str, accept: str, suffix: str
) -> None:
    url, _ = site
    response = get(f"{url}id/{thing}", accept)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/doc/{thing}{suffix}"
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("thing", THINGS)
@pytest.mark.parametrize(("media_type", "suffix", "name", "rdflib_format"), FORMATS)
@pytest.mark.parametrize("way", ["accept", "suffix", "format"])
def test_every_document_answers_in_every_format_every_way(
    site: tuple[str, Settings],
    thing: str,
    media_type: str,
    suffix: str,
    name: str,
    rdflib_format: str,
    way: str,
) -> None:
    url, _ = site
    if way == "accept":
        response = get(f"{url}doc/{thing}", media_type)
    elif way == "suffix":
        response = get(f"{url}doc/{thing}.{suffix}")
    else:
        response = get(f"{url}doc/{thing}", "text/html", format=name)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert response.headers["Content-Location"] == f"/doc/{thing}.{suffix}"
    # a document names a TimeGate apart, so it does not vary on Accept-Datetime (publisher.web.versions)
    assert response.headers["Vary"] == "Accept, Accept-Language"
    alternates = response.headers.get("Link", "")
    for _, other_suffix, _, _ in FORMATS:
        if other_suffix != suffix:  # JSON-LD names none: pyld fails on several (tests/test_clients_rdf.py)
            named = f'</doc/{thing}.{other_suffix}>; rel="alternate"' in alternates
            assert named == (suffix != "jsonld")
    graph = Graph().parse(data=response.content, format=rdflib_format)
    subject = URIRef(f"{BASE}id/{thing}")
    assert (subject, None, None) in graph, "the document holds the thing's own triples"
    assert (URIRef(f"{BASE}doc/{thing}"), URIRef("http://xmlns.com/foaf/0.1/primaryTopic"), subject) in graph


def test_a_document_holds_labels_of_what_it_links_to_and_its_backlinks(site: tuple[str, Settings]) -> None:
    url, _ = site
    graph = Graph().parse(data=get(f"{url}doc/initiative/ini-one.ttl").text, format="turtle")
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    assert graph.value(URIRef(f"{BASE}id/organisation/org-ministry"), label) is not None
    assert graph.value(URIRef(f"{BASE}id/place/place-town"), label) is not None
    opening = URIRef(f"{BASE}id/event/opening")
    assert (opening, URIRef("https://schema.org/organizer"), URIRef(f"{BASE}id/initiative/ini-one")) in graph
    title = URIRef("http://purl.org/dc/terms/title")
    assert graph.value(URIRef(f"{BASE}id/document/doc-b"), title) is not None, (
        "sources come with their titles"
    )


def test_a_document_names_its_release_and_licence(site: tuple[str, Settings]) -> None:
    url, _ = site
    graph = Graph().parse(data=get(f"{url}doc/event/week.ttl").text, format="turtle")
    doc = URIRef(f"{BASE}doc/event/week")
    assert graph.value(doc, URIRef("http://purl.org/dc/terms/license")) == URIRef(
        "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    )
    assert graph.value(doc, URIRef("http://purl.org/dc/terms/hasVersion")) is not None


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("id/initiative/no-such-thing", 404),
        ("doc/initiative/no-such-thing", 404),
        ("id/unicorn/ini-one", 404),
        ("doc/initiative/ini-one.pdf", 406),
        ("doc/initiative/ini-one?format=pdf", 406),
        ("doc/initiative/ini-one?page=zero", 400),
    ],
)
def test_unknown_things_and_formats(site: tuple[str, Settings], path: str, status: int) -> None:
    url, _ = site
    assert get(url + path, "text/turtle").status_code == status


def test_unacceptable_accept_is_406(site: tuple[str, Settings]) -> None:
    url, _ = site
    assert get(f"{url}doc/initiative/ini-one", "image/png").status_code == 406


def test_documents_answer_conditional_gets(site: tuple[str, Settings]) -> None:
    url, _ = site
    first = get(f"{url}doc/event/week.ttl")
    assert first.headers["Last-Modified"]
    again = requests.get(
        f"{url}doc/event/week.ttl", headers={"If-None-Match": first.headers["ETag"]}, timeout=30
    )
    assert again.status_code == 304


def test_html_follows_the_language_of_the_reader(site: tuple[str, Settings]) -> None:
    url, _ = site
    german = requests.get(f"{url}doc/event/week", headers={"Accept-Language": "de"}, timeout=30)
    english = requests.get(f"{url}doc/event/week", headers={"Accept-Language": "en-GB,en;q=0.9"}, timeout=30)
    forced = requests.get(f"{url}doc/event/week?lang=en", headers={"Accept-Language": "de"}, timeout=30)
    assert '<html lang="de">' in german.text and "<h1>Testwoche</h1>" in german.text
    assert '<html lang="en">' in english.text and "<h1>Test week</h1>" in english.text
    assert "<h1>Test week</h1>" in forced.text


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    root = tmp_path_factory.mktemp("bundled")
    settings = Settings(data_dir=PROJECT / "data", releases_dir=root / "releases")
    with running_server(settings.releases_dir, settings.data_dir) as url:
        yield url, settings


@pytest.mark.parametrize("which", ["minimal", "bundled"])
def test_every_subject_of_the_release_dereferences(request: pytest.FixtureRequest, which: str) -> None:
    url, settings = request.getfixturevalue("site" if which == "minimal" else "bundled")
    dump = settings.releases_dir / "current" / "dumps" / "data.nt.gz"
    graph = Graph().parse(data=gzip.decompress(dump.read_bytes()), format="nt")
    things = sorted({str(s) for s in graph.subjects() if str(s).startswith(f"{BASE}id/")})
    assert len(things) == read_sources(settings.data_dir).rows_read + 1  # each row is a thing, and the scheme
    with requests.Session() as session:
        for thing in things:
            path = thing[len(BASE) :]
            seen = session.get(
                url + path, headers={"Accept": "text/turtle"}, allow_redirects=False, timeout=30
            )
            assert seen.status_code == 303, thing
            document = session.get(url.rstrip("/") + seen.headers["Location"], timeout=30)
            assert document.status_code == 200, thing
            assert (URIRef(thing), None, None) in Graph().parse(data=document.text, format="turtle")
            page = session.get(url + "doc/" + path[len("id/") :], headers={"Accept": "text/html"}, timeout=30)
            assert page.status_code == 200, thing


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The minimal data plus 250 figures about the test week: a resource with many inbound links."""
    root = tmp_path_factory.mktemp("crowded")
    shutil.copytree(MINIMAL, root / "data")
    with (root / "data" / "observations.csv").open("a", encoding="utf-8") as handle:
        for n in range(250):
            handle.write(f"obs-many-{n:03d},week,events,{n},,2017-04-19,Synthetische Zahl {n},,doc-a\n")
    with running_server(root / "releases", root / "data") as url:
        yield url


def test_inbound_links_are_paged_with_counts(crowded: str) -> None:
    first = get(f"{crowded}doc/event/week.ttl")
    assert '</doc/event/week?page=2>; rel="next"' in first.headers["Link"]
    graph = Graph().parse(data=first.text, format="turtle")
    week = URIRef(f"{BASE}id/event/week")
    about = URIRef("http://schema.org/observationAbout".replace("http:", "https:"))
    assert len(set(graph.subjects(about, week))) == 100, "one page holds 100 inbound links"
    void = "http://rdfs.org/ns/void#"
    counts = {
        str(graph.value(linkset, URIRef(void + "linkPredicate"))): int(
            graph.value(linkset, URIRef(void + "triples"))
        )
        for linkset in graph.subjects(URIRef(void + "objectsTarget"), week)
    }
    assert counts[str(about)] == 251
    seen: set[tuple[object, object]] = set()
    for page in ("1", "2", "3"):
        answer = get(f"{crowded}doc/event/week.ttl", page=page)
        part = Graph().parse(data=answer.text, format="turtle")
        seen |= {(s, p) for s, p in part.subject_predicates(week) if str(s).startswith(f"{BASE}id/")}
    assert len(seen) == 252, "251 figures and the opening's superEvent, each on exactly one page"
    assert 'rel="next"' not in answer.headers["Link"]
    html = get(f"{crowded}doc/event/week", "text/html")
    assert 'rel="next" href="/doc/event/week?page=2"' in html.text


@pytest.mark.parametrize(
    "path", ["", "doc/initiative/", "doc/event/?from=2017-04-20", "def/cluster", "def/cluster/shapes"]
)
def test_pages_answer_conditional_gets(site: tuple[str, Settings], path: str) -> None:
    url, _ = site
    first = requests.get(url + path, headers={"Accept": "text/html"}, timeout=30)
    assert first.status_code == 200
    assert first.headers["Last-Modified"]
    again = requests.get(
        url + path, headers={"Accept": "text/html", "If-None-Match": first.headers["ETag"]}, timeout=30
    )
    assert again.status_code == 304
