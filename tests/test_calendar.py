"""iCalendar feeds of the events: all events, per initiative and per field; read back with icalendar."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from icalendar import Calendar

from tests.conftest import MINIMAL, PROJECT
from tests.server import running_server

BASE = "http://localhost:8080/"
WEEK = f"{BASE}id/event/week"
OPENING = f"{BASE}id/event/opening"


@pytest.fixture(scope="module")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("calendar-minimal")
    shutil.copytree(MINIMAL, root / "data")
    with running_server(root / "releases", root / "data") as url:
        yield url, root / "releases"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("calendar-bundled")
    with running_server(root / "releases", PROJECT / "data") as url:
        yield url


def fetch(url: str) -> requests.Response:
    response = requests.get(url, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return response


def events(url: str) -> dict[str, Any]:
    """The feed's VEVENTs by UID."""
    calendar = Calendar.from_ical(fetch(url).content)
    found = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    assert len(found) == len(calendar.walk("VEVENT")), "UIDs are unique"
    return found


def day(event: Any, name: str) -> dt.date:
    value = event[name].dt
    assert type(value) is dt.date, f"{name} is an all-day date"
    return value


def test_all_events_with_the_series_as_an_event(minimal: tuple[str, Path]) -> None:
    url, _ = minimal
    found = events(f"{url}calendar/events.ics")
    assert set(found) == {WEEK, OPENING}
    opening, week = found[OPENING], found[WEEK]
    assert str(opening["SUMMARY"]) == "Eröffnung"  # the German label
    assert str(week["SUMMARY"]) == "Testwoche"
    assert str(opening["LOCATION"]) == "Teststadt"
    assert str(week["LOCATION"]) == "Testland"
    assert str(opening["URL"]) == f"{BASE}doc/event/opening"  # under the base, whatever Host was asked
    assert str(week["URL"]) == f"{BASE}doc/event/week"
    assert "Eine synthetische Testwoche." in str(week["DESCRIPTION"])
    assert "Testhaus" in str(opening["DESCRIPTION"])  # the venue
    assert "Testcluster" in str(opening["DESCRIPTION"])  # the organiser
    assert "Testwoche" in str(opening["DESCRIPTION"])  # the series


def test_dates_are_all_day_and_the_end_is_exclusive(minimal: tuple[str, Path]) -> None:
    url, _ = minimal
    found = events(f"{url}calendar/events.ics")
    assert day(found[OPENING], "DTSTART") == dt.date(2017, 4, 20)
    assert day(found[OPENING], "DTEND") == dt.date(2017, 4, 21)  # one day, 20 April
    assert day(found[WEEK], "DTSTART") == dt.date(2017, 4, 20)
    assert day(found[WEEK], "DTEND") == dt.date(2017, 4, 29)  # 20 to 28 April inclusive
    assert "DTSTART;VALUE=DATE:20170420" in fetch(f"{url}calendar/events.ics").text


def test_the_stamp_is_the_release_build_time(minimal: tuple[str, Path]) -> None:
    url, releases = minimal
    manifest = json.loads((releases / "current" / "manifest.json").read_text())
    built = dt.datetime.fromisoformat(manifest["built"].replace("Z", "+00:00"))
    for event in events(f"{url}calendar/events.ics").values():
        stamp = event["DTSTAMP"].dt
        assert stamp.utcoffset() == dt.timedelta(0)
        assert stamp == built.replace(microsecond=0)


def test_the_calendar_is_valid_icalendar(minimal: tuple[str, Path]) -> None:
    url, _ = minimal
    text = fetch(f"{url}calendar/events.ics").text
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    calendar = Calendar.from_ical(text)
    assert str(calendar["VERSION"]) == "2.0"
    assert "PRODID" in calendar
    for event in calendar.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert required in event
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))  # folded lines


def test_per_initiative(minimal: tuple[str, Path]) -> None:
    url, _ = minimal
    found = events(f"{url}calendar/initiative/ini-one.ics")
    assert set(found) == {OPENING}
    calendar = Calendar.from_ical(fetch(f"{url}calendar/initiative/ini-one.ics").content)
    assert "Testcluster" in str(calendar["X-WR-CALNAME"])


@pytest.mark.parametrize("field", ["field-x", "field-top"])
def test_per_field_includes_narrower_fields(minimal: tuple[str, Path], field: str) -> None:
    url, _ = minimal
    assert set(events(f"{url}calendar/field/{field}.ics")) == {OPENING}


@pytest.mark.parametrize(
    "path",
    [
        "calendar/initiative/nope.ics",
        "calendar/initiative/org-ministry.ics",  # an organisation, not an initiative
        "calendar/initiative/Bad_Key.ics",
        "calendar/field/nope.ics",
        "calendar/field/ini-one.ics",
        "calendar/initiative/ini-one",
        "calendar/nope.ics",
    ],
)
def test_unknown_things_are_404(minimal: tuple[str, Path], path: str) -> None:
    url, _ = minimal
    response = requests.get(f"{url}{path}", headers={"Accept": "application/json"}, timeout=30)
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_etag_and_cache_control(minimal: tuple[str, Path]) -> None:
    url, _ = minimal
    first = fetch(f"{url}calendar/events.ics")
    etag = first.headers["ETag"]
    assert "max-age" in first.headers["Cache-Control"]
    assert "Last-Modified" in first.headers
    again = requests.get(f"{url}calendar/events.ics", headers={"If-None-Match": etag}, timeout=30)
    assert again.status_code == 304
    assert fetch(f"{url}calendar/initiative/ini-one.ics").headers["ETag"] != etag


def test_bundled_all_events(bundled: str) -> None:
    found = events(f"{bundled}calendar/events.ics")
    assert f"{BASE}id/event/clusterwoche-2017" in found  # the series
    assert len(found) == 5
    series = found[f"{BASE}id/event/clusterwoche-2017"]
    assert str(series["SUMMARY"]) == "Bundesweite Clusterwoche 2017"
    assert (day(series, "DTSTART"), day(series, "DTEND")) == (dt.date(2017, 4, 20), dt.date(2017, 4, 29))


def test_a_missing_end_is_one_day(bundled: str) -> None:
    opening = events(f"{bundled}calendar/events.ics")[f"{BASE}id/event/clusterwoche-2017-opening"]
    assert day(opening, "DTSTART") == dt.date(2017, 4, 20)
    assert day(opening, "DTEND") == dt.date(2017, 4, 21)
    assert str(opening["LOCATION"]) == "Berlin"


def test_an_event_without_a_place_has_no_location(bundled: str) -> None:
    lab = events(f"{bundled}calendar/events.ics")[f"{BASE}id/event/innovation-lab-lasertechnik-2017-04-26"]
    assert "LOCATION" not in lab


PHOTONICS_EVENTS = {
    f"{BASE}id/event/women-in-photonics-2017-04-25",
    f"{BASE}id/event/innovation-lab-lasertechnik-2017-04-26",
}


def test_bundled_per_initiative(bundled: str) -> None:
    assert set(events(f"{bundled}calendar/initiative/photonics-bw.ics")) == PHOTONICS_EVENTS
    assert events(f"{bundled}calendar/initiative/biopro.ics") == {}  # known, organises nothing: empty


PHOTONICS_FIELDS = [
    "key-technology-photonics",
    "key-technologies",  # broader
    "atlas-photonics",
    "atlas-2016-technology-fields",  # broader
]


@pytest.mark.parametrize("field", PHOTONICS_FIELDS)
def test_bundled_per_field(bundled: str, field: str) -> None:
    assert set(events(f"{bundled}calendar/field/{field}.ics")) == PHOTONICS_EVENTS


def test_bundled_field_without_events(bundled: str) -> None:
    assert events(f"{bundled}calendar/field/growth-fields.ics") == {}


def test_calendar_under_a_base_with_a_path(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "data")
    base = "http://localhost:8080/lod/"
    with running_server(tmp_path / "releases", tmp_path / "data", {"CLUSTERLOD_BASE": base}) as url:
        found = events(f"{url}lod/calendar/events.ics")
        assert set(found) == {f"{base}id/event/week", f"{base}id/event/opening"}
        assert str(found[f"{base}id/event/opening"]["URL"]) == f"{base}doc/event/opening"
        assert set(events(f"{url}lod/calendar/field/field-top.ics")) == {f"{base}id/event/opening"}
