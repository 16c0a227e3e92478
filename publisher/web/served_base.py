"""The base a server answers under: the one the current release was built with, unless the operator set one.

A release's URIs are minted under the base it was built with (its manifest's ``base``); served under another
base every ``id/`` and ``doc/`` URL would answer 404. So a server whose base is not set (no flag, variable or
settings-file key) serves the current release under the release's own base, and one whose base is set and
differs refuses to start, naming both. A release of another base that becomes current while a process runs
is refused as a damaged one would be (``mismatch``): the process keeps serving what it served.
"""

from __future__ import annotations

import dataclasses

from publisher.errors import SettingsError
from publisher.integrity import MANIFEST, Damage, DamagedReleaseError
from publisher.release import Release, current_release
from publisher.settings import Settings


class BaseMismatchError(SettingsError):
    """The base set for serving is not the base the current release was built with."""


def built_base(release: Release) -> str | None:
    """The base ``release`` was built with, or None when its manifest does not record one."""
    return release.base


def for_serving(settings: Settings, base_set_by: str | None) -> Settings:
    """``settings`` with the base the current release was built with, when ``base_set_by`` (where the base
    setting was set, None for its default) is None; BaseMismatchError when it was set to another base.

    Without a readable current release the settings stay as they are (a damaged one is refused anyway)."""
    try:
        release = current_release(settings.releases_dir)
    except DamagedReleaseError:
        return settings
    built = built_base(release) if release is not None else None
    if release is None or built is None or built == settings.base:
        return settings
    if base_set_by is None:
        return dataclasses.replace(settings, base=built)
    raise BaseMismatchError(
        f"the current release {release.id} was built with base {built}, but base is set to {settings.base} "
        f"({base_set_by}); served under it, every id/ and doc/ URL would answer 404. Rebuild with that base "
        f"(clusterlod build --base {settings.base}), or drop the setting to serve the release under {built}"
    )


def mismatch(release: Release, served: str) -> Damage | None:
    """Why a process serving under base ``served`` must not take ``release``, or None when it may."""
    built = built_base(release)
    if built is None or built == served:
        return None
    return Damage(
        MANIFEST,
        f"records base {built}, but this server answers under base {served}: rebuild with base {served}, "
        f"or restart the server with no base set to serve the release under its own",
    )
