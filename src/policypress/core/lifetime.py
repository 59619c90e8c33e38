"""Worker processes that end when the build that started them ends, however it ends.

A pool's workers wait on a queue whose both ends they hold themselves, so when the build is
killed (SIGKILL, SIGTERM, a closed terminal) they never see it go: they wait, or finish a
PDF nobody will read, for ever, and a group build's school worker keeps that school's lock.
A killed process cannot clean up after itself, so the workers watch for it instead.

On Linux the kernel does it: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` kills the worker the
moment its parent dies: the build, or the PDF fork server, which is set up the same way (it
cannot simply wait for its pipe from the build to close, as the workers it forked hold that
pipe too). The setting survives ``exec``, so the site engine is started through
:func:`bound_command`. Nothing these processes hold needs cleaning up: a worker writes
nothing but its answer to the build, and an unpublished release is cleared by the next
build. Elsewhere a thread polls whether the build still runs. This is the kernel's or the
process's own watch, not a cleanup handler in the build, because SIGKILL runs no handler.

The kernel watches the parent a process has when it asks, so a parent that died before the
worker asked (the build killed while a worker was still starting) would never be watched: the
worker would be left to the system's reaper, waiting for ever. So after asking, the worker
checks that its parent is still the process that started it, the classic way to close that
race. Which process that is must be known without asking the kernel (which by then names the
reaper): a forked worker was told by its parent just before the fork (:func:`os.register_at_fork`);
a process started afresh is given its starter's id (``owner``; the fork server finds it in its
environment, as multiprocessing starts it with no arguments of ours).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_POLL_SECONDS = 1.0
# The id of the process that starts the PDF workers' fork server, for the fork server.
OWNER_VARIABLE = "POLICYPRESS_FORK_SERVER_OWNER"

# The id of the process this one was forked from, set in that process just before it forked
# (so a forked child inherits it); None in a process started afresh.
_forked_by: int | None = None


def _remember_forking_process() -> None:
    global _forked_by
    _forked_by = os.getpid()


if hasattr(os, "register_at_fork"):  # not on Windows, which cannot fork
    os.register_at_fork(before=_remember_forking_process)


def die_with_parent(owner: int) -> None:
    """Run first in a worker (a pool's ``initializer``): end this process when its parent
    dies. ``owner`` is the build's process id; in a process started afresh (not forked) it
    is also the parent's. The process ends at once if its parent or the build has already
    gone."""
    parent = _forked_by if _forked_by is not None and _forked_by != os.getpid() else owner
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            _watch(owner)  # prctl refused (a sandbox): fall back to polling
        # Checked after asking: a parent that died before was not watched. (A build that
        # has died but not yet been waited for still answers to os.kill, so _alive alone
        # would not do.)
        elif os.getppid() != parent:
            os._exit(1)
    else:
        _watch(owner)
    if not _alive(owner):
        os._exit(1)


def fork_server_owner() -> int:
    """In the PDF workers' fork server: the process that started it (see :data:`OWNER_VARIABLE`),
    or, if it was not told, the parent it has now."""
    told = os.environ.get(OWNER_VARIABLE, "")
    return int(told) if told.isdigit() else os.getppid()


def bound_command(command: list[str]) -> list[str]:
    """``command`` (a program and its arguments) run so that it ends when this process does."""
    return [sys.executable, "-m", "policypress.core.lifetime", str(os.getpid()), *command]


def _watch(owner: int) -> None:
    def poll() -> None:
        while _alive(owner):
            time.sleep(_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=poll, name="policypress-owner-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process now has the number: ours is gone
        return False
    return True


if __name__ == "__main__":  # bound_command's first step, then the command itself
    die_with_parent(int(sys.argv[1]))
    os.execvp(sys.argv[2], sys.argv[2:])
