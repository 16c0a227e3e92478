"""The base a server answers under: the one the current release was built with, unless the operator set one.

A release's URIs are minted under the base it was built with (its manifest's ``base``); served under another
base every ``id/`` and ``doc/`` URL would answer 404. So a server whose base is not set (no flag, variable or
settings-file key) serves the current release under the release's own base, and one whose base is set and
differs refuses to start, naming both. A release of another base that becomes current while a process runs
(a rollback to a release built for another address) is refused as a damaged one would be (``mismatch``): the
process keeps serving what it served, logs why once, marks its answers ``X-Release-Fallback`` and reports
``degraded`` on ``/health`` naming both bases. A process answers under one base for its lifetime (its routes,
its links and what it prepared from the release are made for it), so the switch to the other base is a
restart: with no base set, the restarted process serves the release under its own base. ``clusterlod release
--activate`` says so when it makes such a release current (``switch_note``).
"""

from __future__ import annotations

import dataclasses

from publisher.errors import SettingsError
from publisher.integrity import MANIFEST, Damage, DamagedReleaseError
from publisher.releases import Release, current_release
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


def switch_note(chosen: Release, before: Release | None) -> str | None:
    """What an operator must do after making ``chosen`` current in place of ``before``, when the two were
    built with different bases; None when nothing is needed."""
    built, was = built_base(chosen), built_base(before) if before is not None else None
    if built is None or was is None or built == was:
        return None
    return (
        f"release {chosen.id} was built with base {built}, the release current before it with base {was}. "
        f"A server answering under {was} keeps serving its release and reports 'degraded' on /health until "
        f"it is restarted; restarted with no base set, it serves {chosen.id} under {built} "
        "(gunicorn: kill -HUP the master process)"
    )
