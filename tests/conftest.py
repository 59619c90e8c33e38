from __future__ import annotations

import functools
import html
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest
from playwright.sync_api import Browser, sync_playwright

from policypress.build import check
from policypress.cli import main
from policypress.core.project import DEFAULT_MKDOCS_CONFIG, DEFAULT_TEMPLATES, Project
from policypress.model import Content
from policypress.outputs.site.checks import AXE_RULE_SETS
from policypress.quizzes.generate import Quiz, generate_all

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The package's templates and mkdocs.yml, which a project without its own uses.
TEMPLATES = DEFAULT_TEMPLATES
MKDOCS_CONFIG = DEFAULT_MKDOCS_CONFIG
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The checks the accessibility statement tells visitors about (policypress.outputs.site.checks).
AXE_TAGS = list(AXE_RULE_SETS)
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# The caches' key (policypress.core.sealed) lives in a folder of each test run's own, never in
# the user's cache folder; processes the tests start inherit it.
os.environ.setdefault("POLICYPRESS_KEY_DIR", tempfile.mkdtemp(prefix="policypress-key-"))
# 1 November 2026, 00:00 UTC: fixes "today" so review statuses and dates are reproducible.
EPOCH = "1793491200"


# Markers (pyproject) that follow from the fixtures a test uses, directly or through another
# fixture: a quick run (scripts/test --fast) leaves out browser and slow tests by them.
# sample_build is the one build the quick run shares; the trust's build is a second.
_MARKS_OF_FIXTURE = {
    "browser": ("browser",),
    "sample_build": ("pdf",),
    "trust_build": ("pdf", "slow"),
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        marks = {
            mark
            for fixture in getattr(item, "fixturenames", ())
            for mark in _MARKS_OF_FIXTURE.get(fixture, ())
        }
        if item.get_closest_marker("builds"):  # a build of its own renders PDFs and takes time
            marks |= {"pdf", "slow"}
        for mark in sorted(marks):
            if not item.get_closest_marker(mark):
                item.add_marker(mark)


@dataclass
class CliResult:
    code: int
    out: str
    err: str


class RunCli(Protocol):
    """The ``run_cli`` fixture: runs ``policypress`` in-process with these arguments."""

    def __call__(self, *args: str | Path) -> CliResult: ...


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> RunCli:
    def run(*args: str | Path) -> CliResult:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def make_project(tmp: Path, content: Path, *, quizzes: bool = True) -> Path:
    """A project folder with ``content`` (and the learning points beside it, unless
    ``quizzes`` is false), using the package's templates and mkdocs.yml."""
    shutil.copytree(content, tmp / "content")
    if quizzes and (content.parent / "quizzes").is_dir():
        shutil.copytree(content.parent / "quizzes", tmp / "quizzes")
    return tmp


@pytest.fixture(autouse=True)
def _fixed_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


def build_sample(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "policypress",
            "build",
            "--project",
            str(REPO),
            "--out",
            str(out),
            *extra,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("sample-build")
    result = build_sample(out)
    assert result.returncode == 0, result.stderr
    # No raw Python warning (a library's "…Warning: …" line) reaches the person building.
    assert not re.search(r"\w+Warning: ", result.stderr), result.stderr
    yield out


@pytest.fixture(scope="session")
def sample_build_again(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Path, subprocess.CompletedProcess[str]]]:
    """A second build of the sample, from nothing (no cache), into a folder of its own, with
    what it printed: for the tests that compare two builds or read a build's log."""
    out = tmp_path_factory.mktemp("sample-build-again")
    result = build_sample(out)
    assert result.returncode == 0, result.stderr
    yield out, result


@pytest.fixture(scope="session")
def zensical_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The sample built with the Zensical engine."""
    out = tmp_path_factory.mktemp("zensical-build")
    result = build_sample(out, "--engine", "zensical")
    assert result.returncode == 0, result.stderr
    yield out


@pytest.fixture(scope="session")
def _minimal_built_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The minimal project (without learning points) built once: where it was built, and a
    copy of it with its build kept aside."""
    root = tmp_path_factory.mktemp("minimal-built")
    project = make_project(root / "project", FIXTURES / "minimal" / "content", quizzes=False)
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    command = [sys.executable, "-m", "policypress", "build", "--project", str(project)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    kept = root / "kept"
    shutil.copytree(project, kept, symlinks=True)
    return project, kept


@pytest.fixture
def minimal_built(_minimal_built_once: tuple[Path, Path]) -> Path:
    """The minimal project (without learning points) as its first build left it, for a test
    to change: a fresh copy of the one build made in the session, put where that build was
    made each time (its cached PDFs' keys hold the project's path, so that a rebuild reuses
    them as it would in the project that was built)."""
    project, kept = _minimal_built_once
    shutil.rmtree(project)
    shutil.copytree(kept, project, symlinks=True)
    return project


@pytest.fixture(scope="session")
def trust_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The example trust built once, every school and the overview: its project folder (a
    copy with links followed, so it stands on its own); the outputs are under build/."""
    project = tmp_path_factory.mktemp("trust-build") / "trust"
    shutil.copytree(
        REPO / "examples" / "trust", project, symlinks=False, ignore=shutil.ignore_patterns("build")
    )
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    command = [sys.executable, "-m", "policypress", "build", "--project", str(project)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    yield project


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free localhost port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def site_url(sample_build: Path) -> Iterator[str]:
    with serve(sample_build / "site") as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def only_the_published_release(out: Path) -> bool:
    """``out`` holds the published release and nothing an interrupted build left behind."""
    releases = sorted(p.name for p in (out / ".releases").iterdir())
    current = os.readlink(out / "current").rsplit("/", 1)[-1]
    return releases == [current] and not list(out.glob(".staging-*"))


_LINK = re.compile(r'(?:href|src)="([^"]*)"')


def broken_links(site: Path) -> list[str]:
    """Every local href/src in the site's pages that points at no file."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        for target in _LINK.findall(page.read_text(encoding="utf-8")):
            target = html.unescape(target).split("#", 1)[0].split("?", 1)[0]
            if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("//"):
                continue
            path = (site / target.lstrip("/")) if target.startswith("/") else (page.parent / target)
            if target.endswith("/") or path.is_dir():
                path = path / "index.html"
            if not path.resolve().is_file():
                broken.append(f"{page.relative_to(site)} → {target}")
    return broken


@pytest.fixture(scope="session")
def content() -> Content:
    """The sample school's content, loaded once (modules that need another define their own)."""
    loaded, diags = check(Project.at(REPO))
    assert loaded is not None, [str(d) for d in diags.items]
    return loaded


@pytest.fixture(scope="session")
def quizzes(content: Content) -> dict[str, Quiz]:
    """The sample school's curriculum quizzes by id."""
    return {quiz.id: quiz for quiz in generate_all(content)}
