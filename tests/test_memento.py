"""Memento (RFC 7089) over three releases with a change, a removal and a return: memento-client against the
real server, then the protocol's corner cases (TimeMaps, 400, 404, 410, pruned releases, the HTML note)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from memento_client import MementoClient
from memento_client.memento_client import MementoClientException
from rdflib import Graph, Literal, URIRef
from werkzeug.http import http_date

from publisher.release import prune_releases
from tests.history import History, three_releases

PERSON = "id/person/person-a"
OBSERVATION = "id/observation/obs-events"
SECOND = dt.timedelta(seconds=1)
NAME = URIRef("https://schema.org/name")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    return three_releases(tmp_path_factory.mktemp("memento"))


@pytest.fixture(scope="module")
def server(history: History) -> Iterator[str]:
    with history.serve() as url:
        yield url


# a TimeGate that answers nothing: memento-client falls back to it only when its native discovery fails
NO_TIMEGATE = "http://127.0.0.1:9/timegate/"


def _client() -> MementoClient:
    """memento-client with its native TimeGate discovery: it must find our TimeGate from our headers alone."""
    return MementoClient(timegate_uri=NO_TIMEGATE, check_native_timegate=True)


def _document_timegate(server: str, path: str) -> str:
    return f"{server}timegate/{server}{path}"


def _get(url: str, **options: Any) -> requests.Response:
    return requests.get(url, timeout=30, **options)


def _memento_uri(history: History, n: int, path: str) -> str:
    return f"{history.base}releases/{history.releases[n].id}/{path}"


def test_memento_client_finds_the_version_published_between_releases(history: History, server: str) -> None:
    between = history.built(0) + (history.built(1) - history.built(0)) / 2
    info = _client().get_memento_info(f"{server}{PERSON}", between.replace(tzinfo=None))
    # from the thing's URI it follows the 303 to the document, which names its TimeGate
    assert info["timegate_uri"] == _document_timegate(server, "doc/person/person-a")
    closest = info["mementos"]["closest"]
    assert closest["uri"] == [_memento_uri(history, 0, "doc/person/person-a")]
    assert closest["datetime"] == history.built(0).replace(microsecond=0, tzinfo=None)
    assert closest["http_status_code"] == 200
    graph = Graph().parse(data=_get(closest["uri"][0], headers={"Accept": "text/turtle"}).text)
    assert (URIRef(f"{server}{PERSON}"), NAME, Literal("Prof. Dr. Erika Muster")) in graph


def test_memento_client_after_the_last_release_and_in_the_future_gets_the_current_one(
    history: History, server: str
) -> None:
    for when in (history.built(2) + SECOND, dt.datetime.now(dt.UTC) + dt.timedelta(days=400)):
        info = _client().get_memento_info(f"{server}{PERSON}", when.replace(tzinfo=None))
        assert info["mementos"]["closest"]["uri"] == [_memento_uri(history, 2, "doc/person/person-a")]
        # memento-client takes the original from where {base}id/... leads: the document about the thing
        assert info["original_uri"] == f"{server}doc/person/person-a"
        assert info["mementos"]["first"]["uri"] == [_memento_uri(history, 0, "doc/person/person-a")]
        assert info["mementos"]["last"]["uri"] == [_memento_uri(history, 2, "doc/person/person-a")]


def test_memento_client_before_the_first_release_finds_no_memento(history: History, server: str) -> None:
    info = _client().get_memento_info(f"{server}{PERSON}", dt.datetime(2001, 1, 1))
    assert "mementos" not in info
    answer = _get(f"{server}{PERSON}", headers={"Accept-Datetime": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert answer.status_code == 404
    assert "before this dataset's first release" in answer.text


def test_memento_client_in_the_time_a_thing_was_gone_meets_that_times_410(
    history: History, server: str
) -> None:
    between = history.built(1) + (history.built(2) - history.built(1)) / 2
    with pytest.raises(MementoClientException) as raised:
        _client().get_memento_info(f"{server}{OBSERVATION}", between.replace(tzinfo=None))
    assert raised.value.data["status_code"] == "410"
    answer = _get(f"{server}{OBSERVATION}", headers={"Accept-Datetime": http_date(between)})
    assert answer.status_code == 410
    assert f"last in release {history.releases[0].id}" in answer.text
    back = _get(f"{server}{OBSERVATION}", headers={"Accept-Datetime": http_date(history.built(2))})
    assert back.url == _memento_uri(history, 2, "doc/observation/obs-events")


def test_a_things_uri_is_its_own_timegate_as_memento_client_checks_it(history: History, server: str) -> None:
    assert MementoClient.is_timegate(f"{server}{PERSON}", http_date(history.built(1)))
    current = _get(f"{server}{PERSON}", allow_redirects=False)
    assert "accept-datetime" in current.headers["Vary"].lower()
    links = MementoClient.parse_link_header(current.headers["Link"])
    assert links[f"{server}{PERSON}"]["rel"] == ["original", "timegate"]
    assert links[f"{server}timemap/{PERSON}"]["rel"] == ["timemap"]
    cited = _get(f"{server}{PERSON}", headers={"Accept-Datetime": http_date(history.built(0))})
    assert cited.url == _memento_uri(history, 0, "doc/person/person-a")  # a citation at a date, plain HTTP


def test_a_document_names_its_timegate_and_memento_client_discovers_it(history: History, server: str) -> None:
    client = _client()
    for path in ("doc/person/person-a", "doc/person/person-a.ttl"):
        gate = _document_timegate(server, path)
        found = client.get_native_timegate_uri(f"{server}{path}", history.built(1).replace(tzinfo=None))
        assert found == gate
        assert MementoClient.is_timegate(gate, http_date(history.built(1)))
        current = _get(f"{server}{path}", headers={"Accept-Datetime": http_date(history.built(0))})
        assert current.url == f"{server}{path}"  # the document is not a TimeGate: it answers as now
        assert "accept-datetime" not in current.headers.get("Vary", "").lower()
        links = MementoClient.parse_link_header(current.headers["Link"])
        assert links[f"{server}{path}"]["rel"] == ["original"]
        assert links[gate]["rel"] == ["timegate"]
        assert links[f"{server}timemap/{path}"]["rel"] == ["timemap"]


def test_a_memento_says_when_it_is_from_and_is_cached_for_a_year(history: History, server: str) -> None:
    uri = _memento_uri(history, 1, "doc/person/person-a.ttl")
    answer = _get(uri)
    assert answer.status_code == 200
    assert MementoClient.is_memento(uri, response=answer)
    assert answer.headers["Memento-Datetime"] == http_date(history.built(1))
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    links = MementoClient.parse_link_header(answer.headers["Link"])
    assert links[f"{server}doc/person/person-a.ttl"]["rel"] == ["original"]
    assert links[_document_timegate(server, "doc/person/person-a.ttl")]["rel"] == ["timegate"]
    graph = Graph().parse(data=answer.text, format="turtle")
    assert (URIRef(f"{server}{PERSON}"), NAME, Literal("Prof. Dr. Erika Mustermann")) in graph


def test_the_timemap_lists_every_release_the_thing_was_in(history: History, server: str) -> None:
    answer = _get(f"{server}timemap/{OBSERVATION}")
    assert answer.headers["Content-Type"].startswith("application/link-format")
    links = MementoClient.parse_link_header(answer.text.replace("\n", ""))
    mementos = {uri: link for uri, link in links.items() if "memento" in link["rel"]}
    assert list(mementos) == [_memento_uri(history, n, OBSERVATION) for n in (0, 2)]  # not in release 2
    assert mementos[_memento_uri(history, 0, OBSERVATION)]["datetime"] == [http_date(history.built(0))]
    assert links[f"{server}{OBSERVATION}"]["rel"] == ["original", "timegate"]
    listed = _get(f"{server}timemap/{PERSON}", headers={"Accept": "application/json"}).json()
    assert [m["release"] for m in listed["mementos"]["list"]] == [r.id for r in history.releases]
    assert all(m["available"] for m in listed["mementos"]["list"])


def test_an_unreadable_accept_datetime_is_a_400(server: str) -> None:
    answer = _get(f"{server}{PERSON}", headers={"Accept-Datetime": "last Tuesday"})
    assert answer.status_code == 400
    assert "not an HTTP date" in answer.text


def test_the_html_memento_says_which_version_it_is_and_links_the_current_one(
    history: History, server: str
) -> None:
    release = history.releases[0]
    english = {"Accept": "text/html", "Accept-Language": "en"}
    answer = _get(_memento_uri(history, 0, "doc/person/person-a"), headers=english)
    assert f"You are looking at the version of release {release.id}" in answer.text
    assert 'href="/doc/person/person-a"' in answer.text
    german = _get(_memento_uri(history, 0, "doc/person/person-a"), params={"lang": "de"})
    assert f"Sie sehen die Fassung aus dem Datenstand {release.id}" in german.text


def test_a_pruned_release_stays_in_the_timemap_as_no_longer_available(tmp_path: Path) -> None:
    history = three_releases(tmp_path)
    pruned = history.releases[0].id
    assert prune_releases(history.settings.releases_dir, keep=2) == [pruned]
    from publisher.web import create_app

    client = create_app(history.settings).test_client()
    timemap = client.get(f"/timemap/{PERSON}").get_data(as_text=True)
    assert f'<{history.base}releases/{pruned}/{PERSON}>; rel="first memento"' in timemap
    assert 'available="false"' in timemap.splitlines()[2]
    assert 'available="false"' not in timemap.splitlines()[3]
    answer = client.get(f"/releases/{pruned}/{PERSON}")
    assert answer.status_code == 410
    assert "pruned" in answer.get_data(as_text=True)
    gate = client.get(f"/{PERSON}", headers={"Accept-Datetime": http_date(history.built(0))})
    assert gate.status_code == 302  # the release current then, whose memento says it is gone from here
    assert gate.headers["Location"] == f"/releases/{pruned}/{PERSON}"


def test_a_memento_names_the_licence_its_release_was_published_under(tmp_path: Path) -> None:
    from publisher.web import create_app

    history = three_releases(tmp_path)
    first, later = (
        "https://creativecommons.org/licenses/by/4.0/",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    )
    publication = history.settings.data_dir / "publication.csv"
    publication.write_text(f"id,value,value_en\nlicence,{first},\n", encoding="utf-8")
    history.build()
    history.edit("publication", first, later)
    history.build()
    client = create_app(history.settings).test_client()
    licence = URIRef("http://purl.org/dc/terms/license")

    def licence_of(path: str) -> set[object]:
        graph = Graph().parse(data=client.get(path).get_data(as_text=True), format="turtle")
        return set(graph.objects(None, licence))

    assert licence_of(f"/releases/{history.releases[3].id}/doc/person/person-a.ttl") == {URIRef(first)}
    assert licence_of("/doc/person/person-a.ttl") == {URIRef(later)}
