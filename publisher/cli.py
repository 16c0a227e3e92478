"""The command line: ``clusterlod build | validate | release | links | serve``. Only this module prints or
exits.

Exit codes: 0 done; 1 the data is invalid (source tables or SHACL shapes); 2 a tool or settings error.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from publisher.build import BuildResult, link_report, run_pipeline
from publisher.catalog import harvest_warnings
from publisher.errors import ClusterlodError, SourceDataError, ValidationError
from publisher.integrity import DamagedReleaseError
from publisher.links import LinkReport
from publisher.release import activate
from publisher.releases import CheckedRelease, Release, check_release, check_releases, current_release
from publisher.settings import Settings, load_settings, where_set
from publisher.store.graphstore import server_of

EXIT_INVALID = 1
EXIT_TOOL = 2
MAX_LISTED = 200


def _settings(ctx: click.Context, **flags: Any) -> Settings:
    return load_settings(_config_file(ctx), flags=flags)


def _config_file(ctx: click.Context) -> Path | None:
    config = ctx.find_root().params.get("config")
    return Path(config) if config else None


def _fail(error: ClusterlodError) -> None:
    if isinstance(error, SourceDataError):
        click.echo(f"Invalid source data: {len(error.problems)} problem(s)", err=True)
        for problem in error.problems[:MAX_LISTED]:
            click.echo(f"  {problem}", err=True)
            if problem.follow_ons:
                click.echo(f"    ({problem.follow_ons})", err=True)
        _more(len(error.problems))
        sys.exit(EXIT_INVALID)
    if isinstance(error, ValidationError):
        click.echo(f"SHACL validation failed: {len(error.violations)} violation(s)", err=True)
        for violation in error.violations[:MAX_LISTED]:
            click.echo(f"  {violation}", err=True)
        _more(len(error.violations))
        sys.exit(EXIT_INVALID)
    click.echo(f"Error: {error}", err=True)
    sys.exit(EXIT_TOOL)


def _more(total: int) -> None:
    if total > MAX_LISTED:
        click.echo(f"  ... and {total - MAX_LISTED} more", err=True)


def _guarded(action: Callable[[], None]) -> None:
    try:
        action()
    except ClusterlodError as error:
        _fail(error)
    except OSError as error:  # the machine refused (a disk, a permission): one line, not a traceback
        click.echo(f"Error: {error}", err=True)
        sys.exit(EXIT_TOOL)


def _print_summary(result: BuildResult, verb: str) -> None:
    click.echo(f"{verb}: {sum(result.rows.values())} rows read, {result.triples} triples")
    for table, rows in result.rows.items():
        click.echo(f"  {table:<14} {rows:>8} rows")
    click.echo("Entities per class:")
    for cls, count in result.classes.items():
        click.echo(f"  {_short(cls):<32} {count:>8}")
    stages = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.seconds.items())
    click.echo(f"Seconds per stage: {stages}")


def _warn(result: BuildResult) -> None:
    """Every default a data portal would publish: what neither publication.csv nor the settings give."""
    if result.publication is not None:
        for warning in harvest_warnings(result.publication):
            click.echo(f"Dataset description: {warning}", err=True)


def _short(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            return iri.rsplit(sep, 1)[-1]
    return iri


@click.group()
@click.option(
    "--config", type=click.Path(dir_okay=False), help="TOML settings file (default: ./clusterlod.toml)."
)
@click.option("-v", "--verbose", is_flag=True, help="Log each stage's details to stderr.")
@click.version_option(package_name="clusterlod")
def main(config: str | None, verbose: bool) -> None:
    """clusterlod: publish a data folder's cluster policy tables as Linked Open Data."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


def _progress(message: str) -> None:
    click.echo(message, err=True)


@main.command()
@click.option("--data", "data_dir", type=click.Path(file_okay=False), help="Folder of the source tables.")
@click.option("--releases", "releases_dir", type=click.Path(file_okay=False), help="Folder of the releases.")
@click.option("--base", help="Base IRI every URI is minted under (ends in '/').")
@click.pass_context
def build(ctx: click.Context, data_dir: str | None, releases_dir: str | None, base: str | None) -> None:
    """Read, map and validate the source tables, then publish them as a new current release."""

    def action() -> None:
        settings = _settings(ctx, data_dir=data_dir, releases_dir=releases_dir, base=base)
        result = run_pipeline(settings, release=True, progress=_progress)
        _print_summary(result, "Built")
        assert result.release is not None  # noqa: S101 - run_pipeline(release=True) always releases
        click.echo(f"Released {result.release.id} in {result.release.folder} (now current)")
        _warn(result)

    _guarded(action)


@main.command()
@click.option("--data", "data_dir", type=click.Path(file_okay=False), help="Folder of the source tables.")
@click.option("--base", help="Base IRI every URI is minted under (ends in '/').")
@click.pass_context
def validate(ctx: click.Context, data_dir: str | None, base: str | None) -> None:
    """Run every check of a build without releasing anything."""

    def action() -> None:
        settings = _settings(ctx, data_dir=data_dir, base=base)
        _print_summary(run_pipeline(settings, release=False, progress=_progress), "Valid")

    _guarded(action)


@main.command()
@click.option("--releases", "releases_dir", type=click.Path(file_okay=False), help="Folder of the releases.")
@click.option("--activate", "release_id", help="Make this release current again (roll back or forward).")
@click.option("--verify", is_flag=True, help="Also compare every file's SHA-256 with the manifest (slower).")
@click.pass_context
def release(ctx: click.Context, releases_dir: str | None, release_id: str | None, verify: bool) -> None:
    """List the releases and what is wrong with any of them (exit 1 then), or make one of them current."""

    def action() -> None:
        settings = _settings(ctx, releases_dir=releases_dir)
        if release_id:
            from publisher.web.served_base import switch_note

            before = _readable_current(settings.releases_dir)
            chosen = activate(settings.releases_dir, release_id, server_of(settings))
            click.echo(f"Release {chosen.id} is now current")
            note = switch_note(chosen, before)
            if note:
                click.echo(f"Warning: {note}", err=True)
            return
        remote = server_of(settings) is not None
        checked = check_releases(settings.releases_dir, digests=verify, remote=remote)
        for item in checked:
            _print_release(item)
        if any(item.damage for item in checked):
            sys.exit(EXIT_INVALID)

    _guarded(action)


def _readable_current(releases: Path) -> Release | None:
    """The current release, or None when there is none or it cannot be read."""
    try:
        return current_release(releases)
    except DamagedReleaseError:
        return None


def _print_release(item: CheckedRelease) -> None:
    mark = "*" if item.current else " "
    if item.release is None:
        click.echo(f"{mark} {item.id}  cannot be used:")
    else:
        release = item.release
        changes = release.changes
        since = f"  +{changes.added} ~{changes.changed} -{changes.removed}" if changes else ""
        state = "  DAMAGED:" if item.damage else ""
        click.echo(f"{mark} {item.id}  {release.triples:>9} triples  built {release.built}{since}{state}")
    for damage in item.damage[:MAX_LISTED]:
        click.echo(f"    {damage}")
    if len(item.damage) > MAX_LISTED:
        click.echo(f"    ... and {len(item.damage) - MAX_LISTED} more")


@main.command()
@click.option("--releases", "releases_dir", type=click.Path(file_okay=False), help="Folder of the releases.")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False),
    help="Check a fresh mapping of this data folder instead of the current release (nothing is released).",
)
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def links(ctx: click.Context, releases_dir: str | None, data_dir: str | None, output: str) -> None:
    """Count the links out per authority and per class; exit 1 if any link is malformed or unknown."""

    def action() -> None:
        settings = _settings(ctx, releases_dir=releases_dir, data_dir=data_dir)
        report = link_report(settings, fresh=data_dir is not None)
        if output == "json":
            body = {"by_authority": report.by_authority(), "by_class": report.by_class()}
            click.echo(json.dumps({**body, "problems": report.problems}, indent=2, ensure_ascii=False))
        else:
            _print_links(report)
        if report.problems:
            for problem in report.problems[:MAX_LISTED]:
                click.echo(f"  {problem}", err=True)
            _more(len(report.problems))
            sys.exit(EXIT_INVALID)

    _guarded(action)


def _print_links(report: LinkReport) -> None:
    click.echo(f"Links out: {len(report.links)}")
    for key, count in report.by_authority().items():
        click.echo(f"  {key:<32} {count:>8}")
    click.echo("Per class:")
    for cls, counts in report.by_class().items():
        for key, count in counts.items():
            click.echo(f"  {_short(cls):<24} {key:<20} {count:>6}")


@main.command()
@click.option("--releases", "releases_dir", type=click.Path(file_okay=False), help="Folder of the releases.")
@click.option("--host", help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default 8080).")
@click.pass_context
def serve(ctx: click.Context, releases_dir: str | None, host: str | None, port: int | None) -> None:
    """Serve the current release over HTTP; build the data folder first when nothing is released yet.

    Without a base set, the release is served under the base it was built with."""

    def action() -> None:
        from publisher.web import create_app
        from publisher.web.served_base import for_serving

        flags = {"releases_dir": releases_dir, "host": host, "port": port}
        settings = _settings(ctx, **flags)
        try:
            current = current_release(settings.releases_dir)
            damage = check_release(current, remote=server_of(settings) is not None) if current else []
            if current and damage:
                raise DamagedReleaseError(current.id, damage)
        except DamagedReleaseError as error:  # serve anyway: 503 naming the problem, /health failing
            click.echo(f"Warning: the current {error}; make a good one current: clusterlod release", err=True)
        else:
            if current is None:
                click.echo("No release yet: building the data folder first", err=True)
                result = run_pipeline(settings, release=True, progress=_progress)
                _print_summary(result, "Built")
                _warn(result)
        served = for_serving(settings, where_set("base", _config_file(ctx), flags=flags))
        if served.base != settings.base:
            click.echo("No base set: serving the current release under the base it was built with", err=True)
        settings = served
        app = create_app(settings)
        click.echo(f"Serving on http://{settings.host}:{settings.port}/ (base {settings.base})", err=True)
        app.run(host=settings.host, port=settings.port, threaded=True)

    _guarded(action)
