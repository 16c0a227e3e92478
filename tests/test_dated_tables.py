"""The tables of dated statements (labels, statuses, names, roles) and the new initiative kinds, both ways:
good rows read, map and validate; bad rows are refused with their location or fail the expected shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from publisher.errors import SourceDataError
from publisher.map import map_sources
from publisher.read import read_sources
from publisher.uris import UriScheme
from publisher.validate import validate_mapping
from publisher.vocab import RDFS, SKOS, ClusterTerms
from tests.conftest import BASE

URIS = UriScheme(BASE)
TERMS = ClusterTerms(URIS.ontology_namespace)
ID = f"{BASE}id/"


def thing(path: str) -> URIRef:
    """A thing's IRI under the test base."""
    return URIRef(ID + path)


GOOD = {
    "labels.csv": "id,holder,label,awarded,valid_until,attested,wording,source\n"
    "award-a,ini-one,esca-gold,2013-02,2015,,„Gold“,doc-a\n"
    "award-b,ini-one,esca-gold,2012,,2016-01-20,,doc-b\n",
    "statuses.csv": "id,about,status,since,reported,successor,wording,source\n"
    "status-a,ini-one,dissolved,2022-12-31,2022,,,doc-a\n"
    "status-b,ini-one,in-dissolution,,2023-03-15,,,doc-b\n"
    "status-c,ini-one,merged,2020,,org-ministry,,doc-a\n",
    "names.csv": "id,about,name,lang,start,end,attested,source\n"
    "name-old,org-ministry,Altes Testministerium,de,,,2017-12-13 ; 2018,doc-a\n",
    "roles.csv": "id,role,in,agents,agents_text,start,end,attested,wording,source\n"
    "role-a,operator,ini-one,org-ministry,,2014-11-01,2018,,,doc-a\n"
    "role-b,initiator,week,,gemeinsam mit den Ländern,,,2017-04-04,,doc-b\n",
}


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_dated_tables_are_optional(data_dir: Path) -> None:
    data = read_sources(data_dir)
    assert all(data.table(name) == [] for name in ("labels", "statuses", "names", "roles"))


def test_good_dated_rows_map_and_conform(data_dir: Path) -> None:
    _write(data_dir, GOOD)
    mapping = map_sources(read_sources(data_dir), URIS)
    report = validate_mapping(mapping, URIS)
    assert report.conforms, [str(v) for v in report.violations]
    graph = mapping.graph
    award = thing("award/award-a")
    assert (thing("initiative/ini-one"), TERMS.holdsLabel, award) in graph
    assert (award, TERMS.qualityLabel, TERMS.ClusterManagementExcellenceGold) in graph
    labels = {str(o) for o in graph.objects(award, RDFS.label)}
    assert "Cluster Management Excellence Label Gold (awarded 2013-02; valid until 2015)" in labels
    assert "Cluster Management Excellence Label Gold (verliehen 2013-02; gültig bis 2015)" in labels
    # an old name stays findable as an alternative label; the row's own label stays the current name
    ministry = thing("organisation/org-ministry")
    assert "Altes Testministerium" in {str(o) for o in graph.objects(ministry, SKOS.altLabel)}
    role = thing("role/role-b")
    assert "Initiator: gemeinsam mit den Ländern (Stand 2017-04-04)" in {
        str(o) for o in graph.objects(role, RDFS.label)
    }


def test_a_new_kind_and_managed_from_are_read(data_dir: Path) -> None:
    _replace(data_dir / "initiatives.csv", "ini-one,cluster-initiative", "ini-one,cross-state-cluster")
    _replace(data_dir / "initiatives.csv", "place,region", "place,managed_from,region")
    _replace(data_dir / "initiatives.csv", "place-town,Testregion", "place-town,place-state,Testregion")
    mapping = map_sources(read_sources(data_dir), URIS)
    assert (thing("initiative/ini-one"), TERMS.managedFrom, thing("place/place-state")) in mapping.graph
    assert validate_mapping(mapping, URIS).conforms


BAD_ROWS = [
    ("labels.csv", "esca-gold,2013-02", "esca-platinum,2013-02", 2, "label", "is not allowed"),
    ("labels.csv", "award-a,ini-one", "award-a,org-ministry", 2, "holder", "not an id in initiatives.csv"),
    ("statuses.csv", "2022-12-31,2022", "31.12.2022,2022", 2, "since", "is not a date"),
    ("names.csv", ",de,", ",fr,", 2, "lang", "is not allowed"),
    ("roles.csv", "role-a,operator", "role-a,sponsor", 2, "role", "is not allowed"),
    ("roles.csv", "ini-one,org-ministry", "ini-one,ini-one", 2, "agents", "not an id in organisations.csv"),
]


@pytest.mark.parametrize(("file", "old", "new", "row", "column", "words"), BAD_ROWS)
def test_a_bad_dated_row_is_refused_with_its_location(
    data_dir: Path, file: str, old: str, new: str, row: int, column: str, words: str
) -> None:
    _write(data_dir, GOOD)
    _replace(data_dir / file, old, new)
    with pytest.raises(SourceDataError) as raised:
        read_sources(data_dir)
    located = [p for p in raised.value.problems if (p.file, p.row, p.column) == (file, row, column)]
    assert located and any(words in p.message for p in located), [str(p) for p in raised.value.problems]


def test_managed_from_must_name_a_place(data_dir: Path) -> None:
    _replace(data_dir / "initiatives.csv", "place,region", "place,managed_from,region")
    _replace(data_dir / "initiatives.csv", "place-town,Testregion", "place-town,org-ministry,Testregion")
    with pytest.raises(SourceDataError) as raised:
        read_sources(data_dir)
    assert ("initiatives.csv", 2, "managed_from") in {
        (p.file, p.row, p.column) for p in raised.value.problems
    }


BAD_SHAPES = [
    (
        "an award without a date",
        ("labels.csv", "award-b,ini-one,esca-gold,2012,,2016-01-20", "award-b,ini-one,esca-gold,,,"),
        "award/award-b",
        "OrConstraintComponent",
    ),
    (
        "a merger without a successor",
        ("statuses.csv", "merged,2020,,org-ministry", "merged,2020,,"),
        "status/status-c",
        "AndConstraintComponent",
    ),
    (
        "a name without any date",
        ("names.csv", ",,2017-12-13 ; 2018,", ",,,"),
        "name/name-old",
        "OrConstraintComponent",
    ),
    (
        "a role without anyone in it",
        ("roles.csv", ",gemeinsam mit den Ländern,", ",,"),
        "role/role-b",
        "OrConstraintComponent",
    ),
]


@pytest.mark.parametrize(
    ("change", "focus", "constraint"), [c[1:] for c in BAD_SHAPES], ids=[c[0] for c in BAD_SHAPES]
)
def test_a_bad_dated_statement_fails_its_shape(
    data_dir: Path, change: tuple[str, str, str], focus: str, constraint: str
) -> None:
    _write(data_dir, GOOD)
    _replace(data_dir / change[0], change[1], change[2])
    report = validate_mapping(map_sources(read_sources(data_dir), URIS), URIS)
    assert not report.conforms
    found = {(v.focus, v.constraint) for v in report.violations}
    assert (ID + focus, constraint) in found, found


def test_a_field_not_marked_as_ours_fails(data_dir: Path) -> None:
    mapping = map_sources(read_sources(data_dir), URIS)
    mapping.graph.remove((thing("initiative/ini-one"), TERMS.classifiedBy, None))
    report = validate_mapping(mapping, URIS)
    found = {(v.focus, v.constraint) for v in report.violations}
    assert (ID + "initiative/ini-one", "HasValueConstraintComponent") in found, found
