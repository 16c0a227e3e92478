"""The reconciliation service over HTTP, against the Reconciliation API 0.2 schemas and the bundled data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import requests

from tests.conftest import PROJECT
from tests.reconcile_schemas import errors
from tests.server import running_server

BASE = "http://localhost:8080/"
CLUSTER = f"{BASE}def/cluster#"
ORGANISATION = f"{CLUSTER}ClusterOrganisation"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("reconcile-bundled")
    with running_server(root / "releases", PROJECT / "data") as served:
        yield served


def served(url: str, address: str) -> str:
    """Where the server under test answers an address the service hands out (always under the base)."""
    assert address.startswith(BASE), address
    return url + address.removeprefix(BASE)


def post_queries(url: str, batch: dict[str, Any]) -> dict[str, Any]:
    """Send a batch as OpenRefine does: a form POST with the batch as JSON in ``queries``."""
    response = requests.post(f"{url}reconcile", data={"queries": json.dumps(batch)}, timeout=30)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    assert errors("reconciliation-result-batch", answer) == []
    return answer


def test_the_manifest_validates_against_the_schema(url: str) -> None:
    response = requests.get(f"{url}reconcile", timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    manifest = response.json()
    assert errors("manifest", manifest) == []
    assert "0.2" in manifest["versions"]
    assert manifest["identifierSpace"] == f"{BASE}id/"
    assert requests.get(served(url, manifest["documentation"]), timeout=30).status_code == 200
    assert manifest["schemaSpace"] == CLUSTER
    assert {t["id"] for t in manifest["defaultTypes"]} == {
        ORGANISATION,
        "http://www.w3.org/ns/org#FormalOrganization",
    }


def test_the_manifest_urls_lead_to_the_services(url: str) -> None:
    manifest = requests.get(f"{url}reconcile", timeout=30).json()
    view = manifest["view"]["url"].replace("{{id}}", quote("initiative/biolago", safe=""))
    response = requests.get(
        served(url, view), headers={"Accept": "text/turtle"}, timeout=30, allow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/doc/initiative/biolago.ttl")
    preview = manifest["preview"]["url"].replace("{{id}}", quote("initiative/biolago", safe=""))
    assert "BioLAGO e.V." in requests.get(served(url, preview), timeout=30).text
    for kind, schema in [("entity", "suggest-entities-response"), ("type", "suggest-types-response"),
                         ("property", "suggest-properties-response")]:  # fmt: skip
        service = manifest["suggest"][kind]
        found = requests.get(
            served(url, service["service_url"] + service["service_path"]), params={"prefix": "b"}, timeout=30
        )
        assert found.status_code == 200
        assert errors(schema, found.json()) == []
    propose = manifest["extend"]["propose_properties"]
    proposed = requests.get(
        served(url, propose["service_url"] + propose["service_path"]),
        params={"type": ORGANISATION},
        timeout=30,
    )
    assert {p["id"] for p in proposed.json()["properties"]} >= {"location", "homepage", "field"}


@pytest.mark.parametrize("method", ["GET", "POST form", "POST JSON body", "POST JSON queries"])
def test_queries_are_answered_in_every_form(url: str, method: str) -> None:
    batch = {"q0": {"query": "CyberForum", "type": ORGANISATION}, "q1": {"query": "Stuttgart"}}
    assert errors("reconciliation-query-batch", batch) == []
    encoded = json.dumps(batch)
    if method == "GET":
        response = requests.get(f"{url}reconcile", params={"queries": encoded}, timeout=30)
    elif method == "POST form":
        response = requests.post(f"{url}reconcile", data={"queries": encoded}, timeout=30)
    elif method == "POST JSON body":
        response = requests.post(f"{url}reconcile", json=batch, timeout=30)
    else:
        response = requests.post(f"{url}reconcile", json={"queries": batch}, timeout=30)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert errors("reconciliation-result-batch", answer) == []
    assert set(answer) == {"q0", "q1"}
    assert answer["q0"]["result"][0]["id"] == "initiative/cyberforum"
    assert answer["q0"]["result"][0]["match"] is True
    assert answer["q1"]["result"][0]["id"] == "place/stuttgart"


def test_a_candidate_carries_name_types_description_score_and_features(url: str) -> None:
    found = post_queries(url, {"q": {"query": "microTEC Südwest", "type": ORGANISATION}})["q"]["result"]
    top = found[0]
    assert top["id"] == "initiative/microtec-suedwest"
    assert top["name"] == "microTEC Südwest"
    assert top["description"] == "Cluster initiative, Freiburg im Breisgau"
    assert [t["id"] for t in top["type"]] == [f"{CLUSTER}ClusterInitiative", ORGANISATION]
    assert top["score"] == 100
    assert top["features"] == [{"id": "name", "value": 100}]
    assert [c["score"] for c in found] == sorted((c["score"] for c in found), reverse=True)
    assert all(0 <= c["score"] <= 100 for c in found)
    assert [c["match"] for c in found] == [True] + [False] * (len(found) - 1)


def test_namesakes_of_other_types_are_no_match_without_a_type(url: str) -> None:
    """The initiative BioLAGO e.V. and the association BioLAGO e.V. that runs it have the same name."""
    found = post_queries(url, {"q": {"query": "BioLAGO e.V."}})["q"]["result"]
    assert {c["id"] for c in found[:2]} == {"initiative/biolago", "organisation/biolago-ev"}
    assert not any(c["match"] for c in found)
    typed = post_queries(url, {"q": {"query": "BioLAGO e.V.", "type": f"{CLUSTER}ClusterInitiative"}})
    assert typed["q"]["result"][0]["id"] == "initiative/biolago"
    assert typed["q"]["result"][0]["match"] is True


def test_a_city_raises_the_thing_in_it_and_lowers_the_others(url: str) -> None:
    def score(city: str) -> float:
        query = {"query": "Cyberforum", "type": ORGANISATION, "properties": [{"pid": "location", "v": city}]}
        top = post_queries(url, {"q": query})["q"]["result"][0]
        assert top["id"] == "initiative/cyberforum"
        return float(top["score"])

    assert score("Karlsruhe") > score("Konstanz")
    entity = {"query": "Cyberforum", "properties": [{"pid": "location", "v": {"id": "place/karlsruhe"}}]}
    assert post_queries(url, {"q": entity})["q"]["result"][0]["id"] == "initiative/cyberforum"


def test_the_city_decides_between_similar_names(url: str) -> None:
    query = {
        "query": "Mountains",
        "type": ORGANISATION,
        "properties": [{"pid": "location", "v": "Tuttlingen"}],
    }
    assert post_queries(url, {"q": query})["q"]["result"][0]["id"] == "initiative/medicalmountains"


def test_properties_alone_find_things(url: str) -> None:
    query = {
        "type": ORGANISATION,
        "properties": [{"pid": "homepage", "v": "https://www.microtec-suedwest.de/"}],
    }
    found = post_queries(url, {"q": query})["q"]["result"]
    assert found[0]["id"] == "initiative/microtec-suedwest"


def test_an_id_as_query_finds_its_thing(url: str) -> None:
    for query in ("initiative/afbw", f"{BASE}id/initiative/afbw"):
        top = post_queries(url, {"q": {"query": query}})["q"]["result"][0]
        assert (top["id"], top["score"]) == ("initiative/afbw", 100)


def test_nonsense_matches_nothing(url: str) -> None:
    found = post_queries(url, {"q": {"query": "Xylophon Quarkspeise Zwölf", "type": ORGANISATION}})["q"][
        "result"
    ]
    assert not any(c["match"] for c in found)
    assert all(c["score"] < 60 for c in found)


def test_limit_caps_the_candidates(url: str) -> None:
    assert len(post_queries(url, {"q": {"query": "Cluster", "limit": 2}})["q"]["result"]) == 2


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ({"queries": "{not json"}, 400, "queries= is not JSON"),
        ({"queries": "[1, 2]"}, 400, "JSON object"),
        ({"queries": json.dumps({"q": {"query": "x", "type": "http://example.org/T"}})}, 400, "unknown type"),
        ({"queries": json.dumps({"q": {"query": "x", "properties": [{"pid": "colour", "v": "red"}]}})}, 400,
         "unknown property 'colour'"),
        ({"queries": json.dumps({"q": {"query": "x", "limit": 0}})}, 400, "limit"),
        ({"queries": json.dumps({"q": {"type": ORGANISATION}})}, 400, "q: give a query string or properties"),
        ({"queries": json.dumps({f"q{i}": {"query": "x"} for i in range(51)})}, 413, "at most 50"),
        ({"extend": json.dumps({"ids": ["initiative/afbw"], "properties": [{"id": "colour"}]})}, 400,
         "unknown property"),
        ({}, 400, "queries="),
    ],
)  # fmt: skip
def test_bad_requests_say_what_is_wrong(url: str, body: dict[str, str], status: int, says: str) -> None:
    response = requests.post(f"{url}reconcile", data=body, headers={"Accept": "application/json"}, timeout=30)
    assert response.status_code == status
    assert says in response.json()["error"]["message"]


def test_every_problem_of_a_batch_is_reported_at_once(url: str) -> None:
    batch = {"a": {"query": "x", "limit": -1}, "b": {"query": "y", "type": "Nope"}}
    response = requests.get(f"{url}reconcile", params={"queries": json.dumps(batch)}, timeout=30)
    assert response.status_code == 400
    assert "a: limit" in response.text and "b: unknown type 'Nope'" in response.text


def test_data_extension_answers_values_in_the_schema_shape(url: str) -> None:
    query = {
        "ids": ["initiative/microtec-suedwest", "initiative/technologymountains", "initiative/no-such-thing"],
        "properties": [{"id": p} for p in ("location", "homepage", "field", "managedBy", "founded", "type")],
    }
    assert errors("data-extension-query", query) == []
    response = requests.post(f"{url}reconcile", data={"extend": json.dumps(query)}, timeout=30)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert errors("data-extension-response", answer) == []
    assert [m["id"] for m in answer["meta"]] == [p["id"] for p in query["properties"]]
    assert answer["meta"][0]["type"]["id"] == "https://schema.org/AdministrativeArea"
    microtec = answer["rows"]["initiative/microtec-suedwest"]
    assert microtec["location"] == [{"id": "place/freiburg-im-breisgau", "name": "Freiburg im Breisgau"}]
    assert microtec["homepage"] == [{"str": "http://microtec-suedwest.de"}]
    assert {"id": "field/key-technology-microsystems", "name": "Mikrosystemtechnik"} in microtec["field"]
    assert microtec["managedBy"] == [
        {"id": "organisation/microtec-suedwest-ev", "name": "microTEC Südwest e.V."}
    ]
    assert microtec["founded"] == [{"str": "2006"}]
    assert microtec["type"][0] == {"str": "Cluster initiative"}
    assert answer["rows"]["initiative/technologymountains"]["location"] == []
    assert answer["rows"]["initiative/no-such-thing"] == {p["id"]: [] for p in query["properties"]}


def test_data_extension_by_get_and_full_iris(url: str) -> None:
    iri = f"{BASE}id/initiative/photonics-bw"
    query = json.dumps({"ids": [iri], "properties": [{"id": "location"}]})
    answer = requests.get(f"{url}reconcile", params={"extend": query}, timeout=30).json()
    assert answer["rows"][iri]["location"] == [{"id": "place/aalen", "name": "Aalen"}]


def test_property_proposals_depend_on_the_type(url: str) -> None:
    def proposed(type_id: str, **params: str) -> dict[str, Any]:
        response = requests.get(f"{url}reconcile/properties", params={"type": type_id, **params}, timeout=30)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    initiative = proposed(f"{CLUSTER}ClusterInitiative")
    assert initiative["type"] == f"{CLUSTER}ClusterInitiative"
    every = ["location", "homepage", "field", "managedBy", "founded", "type"]
    assert [p["id"] for p in initiative["properties"]] == every
    assert [p["id"] for p in proposed("https://schema.org/Event")["properties"]] == [
        "location",
        "homepage",
        "type",
    ]
    assert [p["id"] for p in proposed("http://www.w3.org/2004/02/skos/core#Concept")["properties"]] == [
        "type"
    ]
    assert proposed(ORGANISATION, limit="2") | {"properties": None} == {
        "type": ORGANISATION, "limit": 2, "properties": None}  # fmt: skip
    assert requests.get(f"{url}reconcile/properties", params={"type": "Nope"}, timeout=30).status_code == 400


def suggest(url: str, kind: str, **params: str) -> list[dict[str, Any]]:
    response = requests.get(f"{url}reconcile/suggest/{kind}", params=params, timeout=30)
    assert response.status_code == 200, response.text
    schema = {"entity": "suggest-entities-response", "type": "suggest-types-response"}.get(
        kind, "suggest-properties-response"
    )
    assert errors(schema, response.json()) == []
    found: list[dict[str, Any]] = response.json()["result"]
    return found


def test_entity_suggestions_complete_beginnings_of_words(url: str) -> None:
    found = suggest(url, "entity", prefix="microtec sued")
    assert [s["id"] for s in found][:2] == [
        "initiative/microtec-suedwest",
        "organisation/microtec-suedwest-ev",
    ]
    assert found[0]["notable"][0] == {"id": f"{CLUSTER}ClusterInitiative", "name": "Cluster initiative"}
    typed = suggest(url, "entity", prefix="microtec", type=f"{CLUSTER}ClusterInitiative")
    assert [s["id"] for s in typed] == ["initiative/microtec-suedwest"]
    assert suggest(url, "entity", prefix="initiative/biorn")[0]["id"] == "initiative/biorn"


def test_entity_suggestions_page_with_cursor(url: str) -> None:
    everything = suggest(url, "entity", prefix="bio", limit="50")
    assert len(everything) > 3
    assert suggest(url, "entity", prefix="bio", limit="2", cursor="2") == everything[2:4]


def test_type_and_property_suggestions(url: str) -> None:
    types = suggest(url, "type", prefix="clus")
    assert [t["id"] for t in types] == [
        ORGANISATION,
        f"{CLUSTER}ClusterInitiative",
        f"{CLUSTER}CrossStateCluster",
    ]
    assert types[1]["broader"][0]["id"] == ORGANISATION
    assert [t["name"] for t in suggest(url, "type", prefix="veranstaltung")] == ["Event", "Event series"]
    assert [p["id"] for p in suggest(url, "property", prefix="ort")] == ["location"]
    assert [p["id"] for p in suggest(url, "property", prefix="home")] == ["homepage"]
    assert len(suggest(url, "property", prefix="")) == 6


def test_the_preview_is_a_small_escaped_page(url: str) -> None:
    response = requests.get(f"{url}reconcile/preview", params={"id": "initiative/afbw"}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Allianz Faserbasierte Werkstoffe Baden-Württemberg e.V." in response.text
    assert f'href="{BASE}doc/initiative/afbw"' in response.text
    assert "State-wide network, Stuttgart" in response.text
    missing = requests.get(f"{url}reconcile/preview", params={"id": "<b>x</b>"}, timeout=30)
    assert missing.status_code == 404
    assert "<b>" not in missing.text


def test_get_answers_are_cacheable(url: str) -> None:
    first = requests.get(f"{url}reconcile", timeout=30)
    again = requests.get(f"{url}reconcile", headers={"If-None-Match": first.headers["ETag"]}, timeout=30)
    assert again.status_code == 304
