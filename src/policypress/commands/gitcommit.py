"""Committing what policypress wrote, where the project is a git repository: ``init``'s
first commit and each change the studio saves, so the studio and the command line can be
used side by side and every change has a message in words."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Whom a commit is by when git's configuration names no one (else git refuses to commit).
FALLBACK_AUTHOR = ("policypress", "policypress@localhost.invalid")
# git never asks a question (no terminal may be there) and never waits for long.
GIT_TIMEOUT_SECONDS = 60
_QUIET = {"GIT_TERMINAL_PROMPT": "0", "GIT_EDITOR": "true", "GIT_PAGER": "cat"}


@dataclass(frozen=True)
class Committed:
    """What became of a commit: ``done`` or, if not, ``problem`` in git's words (None:
    there was nothing to do: no git, or not a repository)."""

    done: bool
    problem: str | None = None


def git_program() -> str | None:
    return shutil.which("git")


def run_git(git: str, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [git, "-C", str(folder), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=GIT_TIMEOUT_SECONDS,
        env={**os.environ, **_QUIET},
        stdin=subprocess.DEVNULL,
    )


def in_repository(folder: Path) -> bool:
    git = git_program()
    if git is None:
        return False
    try:
        return run_git(git, folder, "rev-parse", "--is-inside-work-tree").returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def identity_options(git: str, folder: Path) -> list[str]:
    """``-c`` options naming the fallback author where git's configuration names no one."""
    for key in ("user.name", "user.email"):
        found = run_git(git, folder, "config", "--get", key)
        if found.returncode != 0 or not found.stdout.strip():
            name, email = FALLBACK_AUTHOR
            return ["-c", f"user.name={name}", "-c", f"user.email={email}"]
    return []


def commit_paths(root: Path, paths: Sequence[Path], message: str) -> Committed:
    """Commit ``paths`` (files or folders under ``root``, written or deleted) and nothing
    else, with ``message``; a no-op outside a git repository or without git. Other changes
    the user has staged or made stay as they were."""
    git = git_program()
    if git is None or not in_repository(root):
        return Committed(done=False)
    relative = [str(path.relative_to(root)) if path.is_absolute() else str(path) for path in paths]
    try:
        added = run_git(git, root, "add", "--all", "--", *relative)
        if added.returncode != 0:
            return Committed(False, _said(added))
        changed = run_git(git, root, "diff", "--cached", "--quiet", "--", *relative)
        if changed.returncode == 0:  # written as it was: nothing to commit
            return Committed(done=False)
        committed = run_git(
            git,
            root,
            *identity_options(git, root),
            "commit",
            "--quiet",
            "--no-verify",
            "-m",
            message,
            "--",
            *relative,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return Committed(False, str(error))
    if committed.returncode != 0:
        return Committed(False, _said(committed))
    return Committed(done=True)


def _said(done: subprocess.CompletedProcess[str]) -> str:
    return " ".join((done.stderr or done.stdout).split()) or f"exit {done.returncode}"
