from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from policypress.cli import main

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# 1 November 2026, 00:00 UTC: fixes "today" so review statuses and dates are reproducible.
EPOCH = "1793491200"


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> object:
    def run(*args: str | Path) -> CliResult:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def make_project(tmp: Path, content: Path, *, quizzes: bool = True) -> Path:
    """A project folder using the repository's templates and mkdocs.yml with ``content``
    (and the learning points beside it, unless ``quizzes`` is false)."""
    shutil.copytree(content, tmp / "content")
    if quizzes and (content.parent / "quizzes").is_dir():
        shutil.copytree(content.parent / "quizzes", tmp / "quizzes")
    (tmp / "templates").symlink_to(REPO / "templates")
    shutil.copyfile(REPO / "mkdocs.yml", tmp / "mkdocs.yml")
    return tmp


@pytest.fixture(autouse=True)
def _fixed_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


def build_sample(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run(
        [sys.executable, "-m", "policypress", "build", "--project", str(REPO), "--out", str(out),
         *extra],
        capture_output=True, text=True, env=env, check=False,
    )


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("sample-build")
    result = build_sample(out)
    assert result.returncode == 0, result.stderr
    yield out
