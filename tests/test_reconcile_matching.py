"""Matching without a server: name forms, similarity, scores with properties and the match decision."""

from __future__ import annotations

import pytest

from publisher.reconcile.index import Entity, Index, Name
from publisher.reconcile.match import QueryError, parse_batch, reconcile
from publisher.reconcile.names import forms, similarity, text_similarity
from publisher.reconcile.vocabulary import Vocabulary

BASE = "http://example.org/"
VOCABULARY = Vocabulary(BASE)
INITIATIVE = f"{BASE}def/cluster#ClusterInitiative"
ORGANISATION = "http://www.w3.org/ns/org#FormalOrganization"
PLACE = f"{BASE}def/cluster#Municipality"


def entity(key: str, label: str, cls: str, *alternatives: str, **values: list[str]) -> Entity:
    names = [Name(label, "de", False, forms(label))] + [Name(a, "de", True, forms(a)) for a in alternatives]
    thing = Entity(f"{BASE}id/{key}", key, {"de": label}, names, {cls}, dict(values))
    thing.types = VOCABULARY.types_of(thing.classes)
    return thing


INDEX = Index(
    BASE,
    VOCABULARY,
    [
        entity("initiative/alpha", "Alpha Süd e.V.", INITIATIVE, "ASV", location=[f"{BASE}id/place/ulm"]),
        entity("organisation/alpha-ev", "Alpha Süd e.V.", ORGANISATION),
        entity("initiative/beta", "Beta Werkstoffe Süd", INITIATIVE, location=[f"{BASE}id/place/bonn"]),
        entity("initiative/beta-nord", "Beta Werkstoffe Nord", INITIATIVE, location=[f"{BASE}id/place/kiel"]),
        entity("place/ulm", "Ulm", PLACE),
        entity("place/bonn", "Bonn", PLACE),
        entity("place/kiel", "Kiel", PLACE),
    ],
)


def best(query: dict[str, object]) -> list[tuple[str, float, bool]]:
    parsed = parse_batch({"q": query}, VOCABULARY, 10)["q"]
    return [(c.entity.id, c.score, c.match) for c in reconcile(INDEX, parsed)]


@pytest.mark.parametrize(
    ("written", "published"),
    [
        ("microtec suedwest", "microTEC Südwest"),
        ("MICROTEC SUDWEST", "microTEC Südwest"),
        ("Südwest microTEC", "microTEC Südwest"),
        ("BioLAGO", "BioLAGO e.V."),
        ("BioLAGO e. V.", "BioLAGO e.V."),
        ("Leichtbau BW", "Leichtbau BW GmbH"),
        ("Leichtbau BW GmbH & Co. KG", "Leichtbau BW gGmbH"),
        ("Medical Mountains", "MedicalMountains AG"),
        ("Strasse", "Straße"),
    ],
)
def test_spellings_of_one_name_are_alike(written: str, published: str) -> None:
    assert max(similarity(a, b) for a in forms(written) for b in forms(published)) >= 0.9


def test_legal_forms_go_from_the_end_only() -> None:
    (form,) = forms("AG Mikrosystemtechnik GmbH")
    assert form.key == "ag mikrosystemtechnik"
    assert form.full == "ag mikrosystemtechnik gmbh"
    assert forms("AG")[0].key == "ag"  # a name is never reduced to nothing


def test_different_names_are_not_alike() -> None:
    assert similarity(forms("Photonics BW")[0], forms("BioRegion STERN")[0]) < 0.5


def test_a_city_fits_a_longer_place_name() -> None:
    assert text_similarity("Freiburg", "Freiburg im Breisgau") == pytest.approx(0.9)
    assert text_similarity("Konstanz", "Freiburg im Breisgau") < 0.5


def test_an_exact_name_alone_of_its_kind_is_a_match() -> None:
    assert best({"query": "alpha sued ev", "type": INITIATIVE})[0] == ("initiative/alpha", 100, True)
    assert best({"query": "ASV"})[0] == ("initiative/alpha", 100, True)


def test_namesakes_are_no_match() -> None:
    found = best({"query": "Alpha Süd e.V."})
    assert {found[0][0], found[1][0]} == {"initiative/alpha", "organisation/alpha-ev"}
    assert not any(match for _, _, match in found)


def test_a_near_name_close_to_another_is_no_match_until_the_city_decides() -> None:
    found = best({"query": "Beta Werkstoffe", "type": INITIATIVE})
    assert found[0][0] == "initiative/beta" and not found[0][2]
    with_city = best({"query": "Beta Werkstoffe", "properties": [{"pid": "location", "v": "Bonn"}]})
    assert with_city[0][0] == "initiative/beta" and with_city[0][2]
    elsewhere = best({"query": "Beta Werkstoffe", "properties": [{"pid": "location", "v": "Kiel"}]})
    assert elsewhere[0][0] == "initiative/beta-nord"


def test_an_unknown_value_neither_raises_nor_drops_much() -> None:
    (plain,) = [s for i, s, _ in best({"query": "Alpha Süd", "type": ORGANISATION})]
    with_city = best(
        {"query": "Alpha Süd", "type": ORGANISATION, "properties": [{"pid": "location", "v": "Ulm"}]}
    )
    assert with_city[0][1] < plain
    assert with_city[0][1] > 0.8 * plain


def test_types_filter_candidates() -> None:
    assert {i for i, _, _ in best({"query": "Ulm", "type": PLACE, "limit": 10})} <= {
        "place/ulm",
        "place/bonn",
        "place/kiel",
    }


def test_every_problem_of_a_batch_is_collected() -> None:
    with pytest.raises(QueryError) as raised:
        parse_batch(
            {
                "a": {"query": 3},
                "b": {"query": "x", "limit": 2.5},
                "c": {"query": "x", "properties": [{"pid": "location"}]},
                "d": "text",
            },
            VOCABULARY,
            10,
        )
    assert raised.value.problems == [
        "a: query is a string",
        "a: give a query string or properties",
        "b: limit is a positive whole number",
        "c: each property is an object with pid and v",
        "d: a query is a JSON object",
    ]


def test_types_know_their_broader_types() -> None:
    assert [t.name for t in VOCABULARY.types_of({INITIATIVE})] == [
        "Cluster initiative",
        "Cluster organisation",
    ]
    assert [t.name for t in VOCABULARY.types_of({"https://schema.org/EventSeries"})] == [
        "Event series",
        "Event",
    ]
    assert VOCABULARY.types_of({"http://www.w3.org/2004/02/skos/core#ConceptScheme"}) == []
