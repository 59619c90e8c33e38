"""Publishing is one switch under a lock: a build killed at any moment, even at the switch,
leaves the previous build whole and consistent with its manifest; caches changed behind the
build's back are not published; machine problems get one line and exit 4, not a traceback."""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EPOCH, RunCli, only_the_published_release

SCHOOL = "Minimal Test School"
# Runs the CLI with os.replace patched to kill the process as it is about to switch `current`.
KILL_AT_SWITCH = """
import os, signal, sys
real_replace = os.replace
def replace(source, target, **kwargs):
    if os.fspath(target).endswith("/current"):
        os.kill(os.getpid(), signal.SIGKILL)
    return real_replace(source, target, **kwargs)
os.replace = replace
from policypress.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _build_command(project: Path) -> list[str]:
    return [sys.executable, "-m", "policypress", "build", "--project", str(project)]


def _env() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}


def _consistent(project: Path, run_cli: RunCli) -> str:
    """Asserts build/ matches its own manifest; returns the published home page."""
    out = project / "build"
    verdict = run_cli("verify", "--project", project, "--against", out / "manifest.json")
    assert verdict.code == 0, verdict.out + verdict.err
    return (out / "site" / "index.html").read_text(encoding="utf-8")


def _rename_school(project: Path, name: str) -> None:
    school = project / "content" / "school.yml"
    school.write_text(school.read_text().replace(SCHOOL, name))


@pytest.fixture
def built(minimal_built: Path) -> Path:
    return minimal_built


@pytest.mark.builds
def test_a_build_killed_at_the_switch_leaves_the_previous_build(
    built: Path, run_cli: RunCli
) -> None:
    _rename_school(built, "Renamed School")
    killed = subprocess.run(
        [sys.executable, "-c", KILL_AT_SWITCH, "build", "--project", str(built)],
        env=_env(),
        capture_output=True,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL
    page = _consistent(built, run_cli)
    assert SCHOOL in page and "Renamed School" not in page
    # the next build clears what the killed one left and publishes
    assert run_cli("build", "--project", built).code == 0
    assert "Renamed School" in _consistent(built, run_cli)
    assert only_the_published_release(built / "build")


@pytest.mark.parametrize("seconds", [0.5, 1.5, 3.0, 5.0])
@pytest.mark.builds
def test_a_build_killed_at_any_moment_leaves_a_consistent_build(
    built: Path, run_cli: RunCli, seconds: float
) -> None:
    _rename_school(built, "Renamed School")
    child = subprocess.Popen(
        _build_command(built), env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(seconds)
    child.kill()
    child.wait()
    page = _consistent(built, run_cli)
    assert (SCHOOL in page) != ("Renamed School" in page)  # wholly one build or the other


@pytest.mark.builds
def test_a_second_build_is_refused_while_one_holds_the_lock(built: Path, run_cli: RunCli) -> None:
    with (built / "build" / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        result = run_cli("build", "--project", built)
    assert result.code == 4
    assert "another policypress build is writing" in result.err
    assert "Traceback" not in result.err


@pytest.mark.builds
def test_a_build_from_before_releases_is_replaced_whole(built: Path, run_cli: RunCli) -> None:
    out = built / "build"
    release = out / os.readlink(out / "current")
    for name in ("site", "staff", "manifest.json"):  # the plain folders older versions wrote
        (out / name).unlink()
        os.replace(release / name, out / name)
    for name in ("current", "governors"):
        (out / name).unlink()
    shutil.rmtree(out / ".releases")
    assert run_cli("build", "--project", built).code == 0
    assert (out / "site").is_symlink()
    _consistent(built, run_cli)
    assert only_the_published_release(out)


@pytest.mark.builds
def test_review_packs_are_kept_from_build_to_build(built: Path, run_cli: RunCli) -> None:
    pack = built / "build" / "governors" / "pack.pdf"
    pack.write_bytes(b"%PDF-1.7 a review pack")
    _rename_school(built, "Renamed School")
    assert run_cli("build", "--project", built).code == 0
    assert pack.read_bytes() == b"%PDF-1.7 a review pack"


@pytest.mark.builds
def test_a_changed_cached_pdf_is_rendered_again(built: Path, run_cli: RunCli) -> None:
    cache = built / "build" / ".cache" / "pdf"
    cached = sorted(cache.glob("*.pdf"))
    assert cached
    cached[0].write_bytes(cached[0].read_bytes() + b"% tampered\n")
    sites = sorted(p for p in (built / "build" / ".cache").glob("site-*") if p.is_dir())
    assert sites
    (sites[0] / "index.html").write_text("<p>tampered</p>")
    assert run_cli("build", "--project", built).code == 0
    _consistent(built, run_cli)
    published = [p.read_bytes() for p in (built / "build").rglob("*.pdf")]
    assert not any(b"% tampered" in data for data in published)
    assert "tampered" not in (built / "build" / "site" / "index.html").read_text()


@pytest.mark.builds
def test_an_output_folder_that_is_a_file_is_a_usage_error(
    built: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    file = tmp_path / "a-file"
    file.write_text("")
    result = run_cli("build", "--project", built, "--out", file)
    assert result.code == 2
    assert (
        result.err.strip()
        == f"policypress: --out {file} is a file; expected a folder for the build"
    )


@pytest.mark.builds
def test_an_output_folder_that_cannot_be_written_is_a_machine_problem(
    built: Path, run_cli: RunCli
) -> None:
    result = run_cli("build", "--project", built, "--out", "/proc/policypress-cannot-write")
    assert result.code == 4
    assert "Traceback" not in result.err and "internal error" not in result.err
    # one message, after any progress lines ("[   0.0 s] Checking content")
    said = [line for line in result.err.splitlines() if not re.match(r"\[ *\d+\.\d s\] ", line)]
    assert said == [
        "policypress: No such file or directory: /proc/policypress-cannot-write; check that the "
        "folder exists and that you may write to it"
    ]


def test_an_argument_that_is_not_utf8_is_a_usage_error(run_cli: RunCli) -> None:
    result = run_cli("check", "--project", "caf\udce9")
    assert result.code == 2
    assert "is not valid UTF-8" in result.err
