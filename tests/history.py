"""Releases over time for the Memento and feed tests: three builds of the minimal dataset with a change, a
removal and a return, a second apart (HTTP dates count whole seconds), under a base that is a test server's
own address, so clients that follow the URIs they are given (memento-client, ldes-client) reach it."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from publisher.build import run_pipeline
from publisher.releases import Release
from publisher.settings import Settings
from tests.conftest import MINIMAL
from tests.server import free_port, running_server

OBSERVATION = "obs-events,week,events,127,,2017-04-19,127 Veranstaltungen,127 events,doc-a\n"
RENAMED = ("Erika Muster,Prof.", "Erika Mustermann,Prof.")


@dataclass
class History:
    settings: Settings
    port: int
    releases: list[Release]

    @property
    def base(self) -> str:
        return self.settings.base

    def built(self, n: int) -> dt.datetime:
        return dt.datetime.fromisoformat(str(self.releases[n].manifest["built"]).replace("Z", "+00:00"))

    def build(self) -> Release:
        """One more release, over two seconds after the last: a time between two releases, to the second
        (HTTP dates), then falls between them."""
        if self.releases:
            time.sleep(max(0.0, 2.2 - (dt.datetime.now(dt.UTC) - self.built(-1)).total_seconds()))
        release = run_pipeline(self.settings, release=True).release
        assert release is not None
        self.releases.append(release)
        return release

    @contextmanager
    def serve(self) -> Iterator[str]:
        """A real server of these releases under their base, at the address the base names."""
        env = {"CLUSTERLOD_BASE": self.base}
        with running_server(self.settings.releases_dir, env=env, port=self.port) as url:
            assert url == self.base
            yield url

    def edit(self, table: str, old: str, new: str) -> None:
        path = self.settings.data_dir / f"{table}.csv"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def three_releases(folder: Path) -> History:
    """Release 1 as the fixture is; release 2 renames person-a and drops obs-events; release 3 brings
    obs-events back."""
    port = free_port()
    data = folder / "data"
    shutil.copytree(MINIMAL, data)
    settings = Settings(base=f"http://127.0.0.1:{port}/", data_dir=data, releases_dir=folder / "releases")
    history = History(settings, port, [])
    history.build()
    history.edit("people", *RENAMED)
    history.edit("observations", OBSERVATION, "")
    history.build()
    path = data / "observations.csv"
    path.write_text(path.read_text(encoding="utf-8") + OBSERVATION, encoding="utf-8")
    history.build()
    return history
