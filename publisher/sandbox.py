"""What a child process of ours may do: it dies with its parent, and a query worker may be cut off from the
network and held to a memory cap.

Each call confines the calling process and is meant for the first lines of a child's main function.
Linux only (prctl, seccomp, RLIMIT_DATA); every confinement that is asked for and cannot be put in place
raises ConfinementError, so that a child never runs unconfined by accident.
"""

from __future__ import annotations

import ctypes
import errno
import os
import resource
import signal
from functools import cache

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# Every way a process can open a network connection of its own: new sockets of any family (AF_UNIX
# included, which reaches local services), socket pairs, and io_uring, which can create sockets itself.
NETWORK_SYSCALLS = ("socket", "socketpair", "io_uring_setup")


class ConfinementError(Exception):
    """A confinement that was asked for could not be put in place."""


def die_with_parent(parent_pid: int) -> None:
    """Have the kernel send SIGKILL to this process when its parent ends, however the parent ends.

    The signal follows the thread that started this process, so start children from a thread that lives as
    long as the parent process (the main thread, or a dedicated spawner thread). ``parent_pid`` is the pid
    the parent had when it started us: if it is already gone, we end now instead of running as an orphan.
    """
    if _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise ConfinementError(f"prctl(PR_SET_PDEATHSIG) failed: {os.strerror(ctypes.get_errno())}")
    if os.getppid() != parent_pid:
        os._exit(1)


def close_network() -> None:
    """Forbid this process (and threads it starts later) to open any socket: such calls fail with EACCES.

    A seccomp filter, applied by the kernel to every system call the process makes from now on, whatever
    library makes it; it cannot be lifted. Sockets opened before (a pipe to the parent) keep working.
    """
    try:
        import pyseccomp as seccomp
    except ImportError as error:  # pragma: no cover - a declared dependency
        raise ConfinementError(f"pyseccomp is not installed: {error}") from error
    try:
        syscall_filter = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        for name in NETWORK_SYSCALLS:
            syscall_filter.add_rule(seccomp.ERRNO(errno.EACCES), name)
        syscall_filter.load()
    except Exception as error:  # libseccomp missing, or the kernel refuses filters
        raise ConfinementError(f"cannot close the network with seccomp: {error}") from error


def cap_memory(limit_bytes: int) -> None:
    """Cap the process's private memory (heap and anonymous mappings, RLIMIT_DATA) at ``limit_bytes``.

    An allocation beyond it fails: Python raises MemoryError, and Rust code (the query engine) aborts the
    process, which its parent sees as a death by SIGABRT.
    """
    try:
        resource.setrlimit(resource.RLIMIT_DATA, (limit_bytes, limit_bytes))
    except (ValueError, OSError) as error:
        raise ConfinementError(f"cannot cap memory at {limit_bytes} bytes: {error}") from error


@cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)
