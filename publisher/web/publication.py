"""What the publication says about itself, for the release a request is answered from: the description the
release recorded (publisher.publication), the settings over it; every template sees it as ``site``."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from publisher.catalog import Publication, publication_of
from publisher.releases import Release
from publisher.settings import Settings
from publisher.web.kept import kept
from publisher.web.release import served


def init_app(app: Flask) -> None:
    app.context_processor(_site)


def publication_for(settings: Settings, release: Release | None) -> Publication:
    """The release's description with the settings over it, made once per release (neutral without one)."""
    if release is None:
        return publication_of(settings)
    return kept(
        "publication",
        release,
        lambda: publication_of(settings, release.description),
        scope=settings,
    )


def _site() -> dict[str, Any]:
    settings: Settings = current_app.config["SETTINGS"]
    return {"site": publication_for(settings, served().release)}
