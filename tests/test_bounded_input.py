"""Input that would hang a build or exhaust memory is refused with `path:1:1: message`.

FIFOs and symlinks cannot live in git, so these cases are made in a temporary project. Each
runs the command in a process of its own with a generous timeout: the timeout proves that
nothing hangs, it is not a speed test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EPOCH, FIXTURES, TEMPLATES, make_project

SLUG_DIR = Path("content/policies/internet-use")
TIMEOUT = 120


def _run(project: Path, command: str = "check") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "policypress", command, "--project", str(project)],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT,
        check=False,
    )


def _refused(result: subprocess.CompletedProcess[str], expected: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "internal error" not in output
    assert expected in result.stderr.splitlines(), result.stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", FIXTURES / "minimal" / "content", quizzes=False)


def test_fifo_among_policy_files(project: Path) -> None:
    os.mkfifo(project / SLUG_DIR / "notes")
    _refused(
        _run(project),
        f"{SLUG_DIR}/notes:1:1: is a FIFO (named pipe); expected a regular file",
    )


def test_fifo_as_the_policy(project: Path) -> None:
    (project / SLUG_DIR / "policy.md").unlink()
    os.mkfifo(project / SLUG_DIR / "policy.md")
    _refused(
        _run(project),
        f"{SLUG_DIR}/policy.md:1:1: is a FIFO (named pipe); expected a regular file",
    )


def test_symlink_to_dev_zero(project: Path) -> None:
    (project / SLUG_DIR / "policy.md").unlink()
    (project / SLUG_DIR / "policy.md").symlink_to("/dev/zero")
    _refused(
        _run(project),
        f"{SLUG_DIR}/policy.md:1:1: is a symlink to /dev/zero, which is outside the project; "
        "expected a regular file inside the project",
    )


def test_symlink_to_a_file_outside_the_project(project: Path) -> None:
    outside = project.parent / "elsewhere.yml"
    shutil.copyfile(project / "content" / "school.yml", outside)
    (project / "content" / "school.yml").unlink()
    (project / "content" / "school.yml").symlink_to(outside)
    _refused(
        _run(project),
        f"content/school.yml:1:1: is a symlink to {outside.resolve()}, which is outside the "
        "project; expected a regular file inside the project",
    )


def test_symlink_inside_the_project_is_read(project: Path) -> None:
    policy = project / SLUG_DIR / "policy.md"
    kept = project / "kept-policy.md"
    policy.rename(kept)
    policy.symlink_to(kept)
    result = _run(project)
    assert result.returncode == 0, result.stderr


def test_oversized_policy(project: Path) -> None:
    policy = project / SLUG_DIR / "policy.md"
    paragraph = "Pupils tell a trusted adult when something online worries them.\n\n"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text + paragraph * (20 * 1024 * 1024 // len(paragraph)), encoding="utf-8")
    _refused(
        _run(project),
        f"{SLUG_DIR}/policy.md:1:1: file is larger than 5.0 MB (it is 20.0 MB); expected a "
        "much shorter file: split it, or remove what was pasted in by mistake",
    )


def test_fifo_among_templates(project: Path) -> None:
    shutil.copytree(TEMPLATES, project / "templates")
    template = project / "templates" / "site" / "home.md.j2"
    template.unlink()
    os.mkfifo(template)
    _refused(
        _run(project, "build"),
        "templates/site/home.md.j2:1:1: is a FIFO (named pipe); expected a regular file",
    )


def test_control_characters_never_reach_the_terminal(project: Path) -> None:
    case = FIXTURES / "bad-input" / "control-characters" / SLUG_DIR / "policy.md"
    shutil.copyfile(case, project / SLUG_DIR / "policy.md")
    result = _run(project)
    assert result.returncode == 1, result.stderr
    assert "\x1b" not in result.stdout + result.stderr
    assert "\\x1b[2J" in result.stderr
