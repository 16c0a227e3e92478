"""A build the machine refuses to write (a read-only folder, a full disk, a path through a file) exits 2 with
one line naming the cause, never a traceback, and leaves the current release as it was.

Real refusals, also when the tests run as root (whom file modes do not stop): the read-only build then runs
without the capabilities that let root ignore file modes (dropped from the bounding set before ``exec``);
the full disk is a file size limit (RLIMIT_FSIZE, with SIGXFSZ ignored so that a write fails with EFBIG as
on a full disk instead of killing the process).
"""

from __future__ import annotations

import ctypes
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from publisher.build import run_pipeline
from publisher.releases import current_release
from publisher.settings import Settings
from tests.conftest import MINIMAL

PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 1, 2, 3
CLI = [sys.executable, "-m", "publisher"]


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Path]:
    shutil.copytree(MINIMAL, tmp_path / "data")
    yield tmp_path
    for path in tmp_path.rglob("*"):  # a read-only folder must be opened again to be removed
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)


def build(root: Path, releases: Path, **options: Any) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTERLOD_")}
    return subprocess.run(
        [*CLI, "build", "--data", str(root / "data"), "--releases", str(releases)],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        **options,
    )


def released(root: Path) -> str:
    """A first, good release (built in this process) that a failed build must leave current."""
    release = run_pipeline(
        Settings(data_dir=root / "data", releases_dir=root / "releases"), release=True
    ).release
    assert release is not None
    return release.id


def assert_refused(done: subprocess.CompletedProcess[str], cause: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, done.stderr
    assert cause in errors[0]


def bound_by_file_modes() -> None:
    """In the child before ``exec``: give up root's power to ignore file modes (a no-op for other users)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_a_read_only_releases_folder_exits_2_before_any_work_and_keeps_current(root: Path) -> None:
    before = released(root)
    releases = root / "releases"
    releases.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    done = build(root, releases, preexec_fn=bound_by_file_modes)
    assert_refused(done, f"cannot write into the releases folder {releases}: Permission denied")
    assert "read ..." not in done.stderr  # refused before minutes of reading, mapping and validating
    current = current_release(releases)
    assert current is not None and current.id == before


def test_a_releases_folder_under_a_file_exits_2(root: Path) -> None:
    (root / "a-file").write_text("not a folder")
    done = build(root, root / "a-file" / "releases")
    assert_refused(done, "Not a directory")


def file_size_limit(limit: int) -> Callable[[], None]:
    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limited


def test_a_full_disk_while_writing_the_release_exits_2_and_keeps_current(root: Path) -> None:
    before = released(root)
    releases = root / "releases"
    done = build(root, releases, preexec_fn=file_size_limit(20_000))  # the release's first big file fails
    assert_refused(done, "File too large")
    assert "release ..." in done.stderr  # it failed while writing the release, not before
    assert [p.name for p in releases.iterdir() if p.name.startswith(".building")] == []
    current = current_release(releases)
    assert current is not None and current.id == before
