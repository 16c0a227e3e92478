"""The CLI as a user runs it: exit codes 0/1/2, located messages, summaries, help, settings precedence."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.errors import SettingsError
from publisher.releases import current_release
from publisher.settings import load_settings
from tests.test_read import BAD_INPUTS

CLI = [sys.executable, "-m", "publisher"]


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERLOD_")}
    environment.update(env or {})
    return subprocess.run(
        [*CLI, *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=120, check=False
    )


def test_build_releases_and_prints_a_summary(tmp_path: Path, data_dir: Path) -> None:
    done = run("build", "--data", str(data_dir), "--releases", str(tmp_path / "rel"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "14 rows read" in done.stdout
    assert "cluster:ClusterInitiative" in done.stdout
    assert "Seconds per stage: read" in done.stdout
    release = current_release(tmp_path / "rel")
    assert release is not None and release.id in done.stdout


def test_validate_checks_without_releasing(tmp_path: Path, data_dir: Path) -> None:
    done = run("validate", "--data", str(data_dir), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Valid: 14 rows read" in done.stdout
    assert not (tmp_path / "releases").exists()


def test_invalid_data_exits_1_naming_file_row_and_column(tmp_path: Path, data_dir: Path) -> None:
    events = data_dir / "events.csv"
    events.write_text(events.read_text().replace("2017-04-20,2017-04-28", "2017-02-30,2017-04-28"))
    observations = data_dir / "observations.csv"
    observations.write_text(observations.read_text().replace("events,127", "events,viele"))
    done = run("build", "--data", str(data_dir), "--releases", str(tmp_path / "rel"), cwd=tmp_path)
    assert done.returncode == 1
    assert "events.csv:2 column 'start'" in done.stderr
    assert "observations.csv:2 column 'value'" in done.stderr
    assert current_release(tmp_path / "rel") is None


def test_shape_violations_exit_1_naming_the_source_row(tmp_path: Path, data_dir: Path) -> None:
    events = data_dir / "events.csv"
    events.write_text(events.read_text().replace("2017-04-20,2017-04-28", "2017-04-29,2017-04-28"))
    done = run("validate", "--data", str(data_dir), cwd=tmp_path)
    assert done.returncode == 1
    assert "events.csv:2: <http://localhost:8080/id/event/week> startDate" in done.stderr


@pytest.mark.parametrize(
    ("args", "env", "words"),
    [
        (["build", "--base", "not-an-iri"], {}, "must be an absolute http(s) IRI"),
        (["--config", "missing.toml", "build"], {}, "cannot read settings file"),
        (["build"], {"CLUSTERLOD_PORT": "eighty"}, "CLUSTERLOD_PORT: 'eighty' is not a valid port"),
        (["build"], {"CLUSTERLOD_CONTRIBUTOR_ID": "bw"}, "contributor_id 'bw' is not from GovData's list"),
        (["build"], {"CLUSTERLOD_CONTACT_EMAIL": "mailto:a@b.de"}, "is not an e-mail address"),
    ],
)
def test_settings_errors_exit_2(
    tmp_path: Path, data_dir: Path, args: list[str], env: dict[str, str], words: str
) -> None:
    done = run(*args, cwd=data_dir.parent, env=env)
    assert done.returncode == 2
    assert words in done.stderr


@pytest.mark.parametrize("command", [[], ["build"], ["validate"], ["release"], ["serve"]])
def test_every_command_has_help(tmp_path: Path, command: list[str]) -> None:
    done = run(*command, "--help", cwd=tmp_path)
    assert done.returncode == 0
    assert "Usage:" in done.stdout


def test_settings_precedence_is_defaults_toml_environment_flags(tmp_path: Path) -> None:
    config = tmp_path / "clusterlod.toml"
    config.write_text('base = "https://toml.example/"\nport = 9000\ndata_dir = "from-toml"\n')
    assert load_settings(config, environ={}).base == "https://toml.example/"
    env = {"CLUSTERLOD_BASE": "https://env.example/", "CLUSTERLOD_PORT": "9100"}
    from_env = load_settings(config, environ=env)
    assert (from_env.base, from_env.port, from_env.data_dir) == (
        "https://env.example/",
        9100,
        Path("from-toml"),
    )
    from_flags = load_settings(config, environ=env, flags={"base": "https://flag.example/", "port": None})
    assert (from_flags.base, from_flags.port) == ("https://flag.example/", 9100)
    defaults = load_settings(environ={})
    assert defaults.base == "http://localhost:8080/"


def test_unknown_setting_in_toml_is_an_error(tmp_path: Path) -> None:
    config = tmp_path / "clusterlod.toml"
    config.write_text('bsae = "https://typo.example/"\n')
    with pytest.raises(SettingsError, match="unknown setting 'bsae'"):
        load_settings(config, environ={})


@pytest.mark.parametrize(
    ("change", "file", "row", "column", "words"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_every_bad_input_exits_1_with_its_location_and_keeps_the_release(
    tmp_path: Path, data_dir: Path, change: object, file: str, row: int, column: str, words: str
) -> None:
    releases = tmp_path / "rel"
    args = ["build", "--data", str(data_dir), "--releases", str(releases)]
    runner = CliRunner()
    assert runner.invoke(main, args).exit_code == 0
    before = sorted(p.name for p in releases.iterdir())
    current = current_release(releases)
    change(data_dir)  # type: ignore[operator]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    location = f"{file}:{row}" if row else file
    if column:
        location += f" column {column!r}"
    assert any(line.strip().startswith(location) and words in line for line in result.stderr.splitlines()), (
        result.stderr
    )
    assert sorted(p.name for p in releases.iterdir()) == before
    assert current_release(releases) == current
