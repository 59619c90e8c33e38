"""Processes that end with their build, a preview server that never redirects off-site, notes
that must say something, and a rollback caught without the manifest's record of heads."""

from __future__ import annotations

import datetime as dt
import fcntl
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from conftest import EPOCH, FIXTURES, REPO, RunCli, default_ctrl_c, make_project
from policypress.commands.adoption import AdoptionRequest, adoption_problems
from policypress.commands.liveserver import _State, bind
from policypress.core.errors import EXIT_INTERRUPTED
from policypress.core.visible import says_nothing
from policypress.model import VersionNumber
from policypress.outputs.urls import published_versions

GRACE_SECONDS = 10.0  # how long leftover processes may take to go; they need milliseconds
needs_proc_and_two_cores = pytest.mark.skipif(
    not Path("/proc/self/stat").is_file() or (os.cpu_count() or 1) < 2,
    reason="needs /proc and at least two cores (a build starts no workers on one)",
)

# ---------------------------------------------------------------- processes


def _stat(pid: int) -> tuple[int, str, str] | None:
    """(parent pid, state, start time) of a process; None once it has gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0], fields[19]


def _tree(root: int) -> dict[int, tuple[int, str]]:
    """Every living descendant of ``root``: pid → (parent pid, start time)."""
    stats = {}
    for entry in Path("/proc").iterdir():
        stat = _stat(int(entry.name)) if entry.name.isdigit() else None
        if stat is not None and stat[1] != "Z":
            stats[int(entry.name)] = (stat[0], stat[2])
    found: dict[int, tuple[int, str]] = {}
    todo = [root]
    while todo:
        parent = todo.pop()
        for pid, (ppid, start) in stats.items():
            if ppid == parent and pid not in found:
                found[pid] = (ppid, start)
                todo.append(pid)
    return found


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _survivors(processes: dict[int, tuple[int, str]]) -> list[int]:
    """Those of ``processes`` still running (a zombie, or a new process given a reused pid,
    is not one of them)."""
    alive = []
    for pid, (_, start) in processes.items():
        stat = _stat(pid)
        if stat is not None and stat[1] != "Z" and stat[2] == start:
            alive.append(pid)
    return alive


def _described(pids: list[int]) -> list[str]:
    """Each of ``pids`` with its command line, for a failure's message."""
    return [f"{pid}: {_command(pid)[:200]}" for pid in pids]


def _wait(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


@contextmanager
def _policypress(
    *args: str | Path, stderr: Path | None = None
) -> Iterator[tuple[subprocess.Popen[bytes], set[int]]]:
    """A running ``policypress`` command (what it says on stderr kept in ``stderr`` when
    given), and the set of every process seen in its tree (filled by the test); whatever of
    it is left is killed at the end, by pid."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    said = stderr.open("wb") if stderr is not None else None
    process = subprocess.Popen(
        [sys.executable, "-m", "policypress", *map(str, args)],
        stdout=subprocess.DEVNULL,
        stderr=said if said is not None else subprocess.DEVNULL,
        env=env,
        preexec_fn=default_ctrl_c,  # the SIGINT case: as from a terminal, however run
    )
    seen: set[int] = set()
    try:
        yield process, seen
    finally:
        process.kill()
        process.wait()
        if said is not None:
            said.close()
        for pid in seen:
            stat = _stat(pid)
            if stat is not None and stat[1] != "Z":
                os.kill(pid, signal.SIGKILL)


@needs_proc_and_two_cores
@pytest.mark.parametrize(
    "how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=["SIGKILL", "SIGTERM", "SIGINT"]
)
@pytest.mark.builds
def test_a_killed_build_leaves_no_pdf_worker(tmp_path: Path, how: signal.Signals) -> None:
    # The minimal project with its learning points: enough PDFs to keep two workers busy
    # (its policy, worksheets and answer keys), and the test takes under half the time
    # it takes with the sample; what is killed is the same build, at the same stage.
    project = make_project(tmp_path / "p", FIXTURES / "minimal" / "content")
    stderr = tmp_path / "stderr.txt"
    with _policypress("build", "--project", project, stderr=stderr) as (build, seen):
        tree: dict[int, tuple[int, str]] = {}

        def pdf_worker(pid: int, ppid: int) -> bool:
            # forked by the fork server (not exec'd), so they share its command line
            return ppid != build.pid and "multiprocessing.forkserver" in _command(pid)

        def rendering() -> bool:
            tree.update(_tree(build.pid))
            seen.update(tree)
            return len([pid for pid, (ppid, _) in tree.items() if pdf_worker(pid, ppid)]) >= 2

        assert _wait(rendering, 300), "the build never started its PDF workers"
        assert build.poll() is None, "the build finished before it could be killed"
        os.kill(build.pid, how)
        build.wait(timeout=30)
        assert _wait(lambda: not _survivors(tree), GRACE_SECONDS), (
            f"left running after {how.name}: {_described(_survivors(tree))}"
        )
    if how == signal.SIGINT:  # Ctrl-C: handled, and said in one line
        said = stderr.read_text(encoding="utf-8")
        # 130 is the build's own answer; Python ends itself by SIGINT instead when the
        # interrupt came inside source it was running with exec (a dataclass being made as a
        # module imports), although the build handled it. A shell reports 130 for both.
        assert build.returncode in (EXIT_INTERRUPTED, -signal.SIGINT), said
        assert "Traceback" not in said, said
        lines = said.splitlines()
        assert lines and lines[-1].startswith("policypress: interrupted"), said


# A build (this script) forks a fork server, which forks a worker; the fork server dies
# before the worker gets to ask to die with its parent, while the build still runs.
_ORPHANED_WORKER = """
import os, sys, time
from policypress.core.lifetime import die_with_parent

build = os.getpid()
done_r, done_w = os.pipe()  # reaches end of file once the worker has ended
if os.fork() == 0:  # the fork server
    server = os.getpid()
    if os.fork() == 0:  # its worker
        os.close(done_r)
        while os.getppid() == server:  # until the fork server has gone
            time.sleep(0.01)
        die_with_parent(build)
        os.write(done_w, b"survived")  # never reached: nothing would end this worker
        os._exit(0)
    os._exit(0)
os.close(done_w)
said = b""
while chunk := os.read(done_r, 64):
    said += chunk
sys.stdout.write(said.decode())
"""


@pytest.mark.skipif(sys.platform != "linux", reason="the kernel's watch is Linux's")
def test_a_worker_whose_parent_died_before_it_asked_ends_at_once() -> None:
    """The build itself still runs (it answers os.kill), but the worker's parent is gone, so
    the kernel would never end the worker: it must end itself."""
    result = subprocess.run(
        [sys.executable, "-c", _ORPHANED_WORKER],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "", "the orphaned worker went on running"


def _held(lock: Path) -> bool:
    with lock.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


@needs_proc_and_two_cores
@pytest.mark.builds
def test_a_killed_group_build_does_not_block_the_next(tmp_path: Path, trust_build: Path) -> None:
    project = tmp_path / "trust"
    shutil.copytree(REPO / "examples" / "trust", project, symlinks=False)
    shutil.rmtree(project / "build", ignore_errors=True)
    schools = project / "build" / "schools"
    with _policypress("build", "--project", project) as (build, seen):
        locked: list[Path] = []

        def building() -> bool:
            seen.update(_tree(build.pid))
            locked[:] = [lock for lock in sorted(schools.glob("*/.lock")) if _held(lock)]
            return bool(locked)

        assert _wait(building, 300), "no school's build started"
        tree = _tree(build.pid)
        seen.update(tree)
        os.kill(build.pid, signal.SIGKILL)
        build.wait(timeout=30)
        assert _wait(lambda: not _survivors(tree), GRACE_SECONDS), (
            f"left running: {_described(_survivors(tree))}"
        )
        assert not any(_held(lock) for lock in locked)
    school = locked[0].parent.name
    # The next build is about the lock, not rendering: it gets the PDFs the session's build
    # of the same trust rendered (the cache's keys do not hold the project's folder).
    shutil.copytree(
        trust_build / "build" / ".cache", project / "build" / ".cache", dirs_exist_ok=True
    )
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    again = subprocess.run(
        [sys.executable, "-m", "policypress", "build", "--project", project, "--school", school],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert "another policypress build" not in again.stderr
    assert (schools / school / "site" / "index.html").is_file()


# ---------------------------------------------------------------- serve


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A preview server on a site that has a folder named like another host."""
    site = tmp_path_factory.mktemp("site")
    for folder in ("policies", "evil.invalid", "evil.invalid/policies"):
        (site / folder).mkdir()
        (site / folder / "index.html").write_text(f"<html><body>{folder}</body></html>")
    (site / "index.html").write_text("<html><body>home</body></html>")
    running = bind(0, site, _State())
    threading.Thread(target=running.serve_forever, daemon=True).start()
    yield running.server_address[1]
    running.shutdown()
    running.server_close()


def _get(port: int, path: str) -> tuple[int, str | None]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", f"127.0.0.1:{port}")
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


@pytest.mark.parametrize(
    "path",
    [
        "/\\evil.invalid/%2e%2e/policies",
        "/\\evil.invalid",
        "/\\evil.invalid/policies",
        "//evil.invalid",
        "//evil.invalid/policies",
        "///evil.invalid",
        "/%5cevil.invalid",
        "/%5Cevil.invalid/policies",
        "/%2f%2fevil.invalid/..",
        "/%2F%2Fevil.invalid",
        "/.//evil.invalid",
        "/./\\evil.invalid",
        "/%2e%2e//evil.invalid",
        "/policies/..//evil.invalid",
    ],
)
def test_serve_never_redirects_off_site(server: int, path: str) -> None:
    status, location = _get(server, path)
    assert status in (200, 301, 400, 404), status
    if location is not None:
        # a browser reads \ as / in a URL: //host and /\host both name another host
        as_browser_reads = location.replace("\\", "/")
        assert not as_browser_reads.startswith("//"), location
        target = urlsplit(urljoin(f"http://127.0.0.1:{server}/", as_browser_reads))
        assert target.netloc == f"127.0.0.1:{server}", location


def test_serve_still_redirects_folders_to_their_slash(server: int) -> None:
    assert _get(server, "/policies") == (301, "/policies/")
    assert _get(server, "/policies/") == (200, None)
    assert _get(server, "/a/../policies") == (301, "/policies/")
    assert _get(server, "/%2e%2e/%2e%2e/policies/") == (200, None)
    assert _get(server, "/policies/%ff") == (400, None)  # not UTF-8: no such file


# ---------------------------------------------------------------- notes

_BLANKS = {
    "hangul filler": "\u3164",
    "braille blank": "\u2800",
    "choseong filler": "\u115f",
    "jungseong filler": "\u1160",
    "halfwidth hangul filler": "\uffa0",
    "zero-width space": "\u200b",
    "zero-width joiner": "\u200d",
    "word joiner": "\u2060",
    "byte order mark": "\ufeff",
    "left-to-right mark": "\u200e",
    "right-to-left override": "\u202e",
    "combining acute alone": "\u0301",
    "combining enclosing circle alone": "\u20dd",
    "no-break space": "\u00a0",
    "ideographic space": "\u3000",
}
_INVISIBLE_NOTES = {
    **_BLANKS,
    "hangul fillers": "\u3164\u3164\u3164",
    "braille and spaces": " \u2800 \u2800 ",
    "accents on a filler": "\u3164\u0301\u0308",
    "bidi marks round a zero-width space": "\u200f\u200b\u200e",
    "every one": "".join(_BLANKS.values()),
}
APPROVE = [
    "approve",
    "internet-use",
    "--by",
    "Full Governing Board",
    "--meeting",
    "2026-10-20",
    "--note",
    "Staff now log concerns in a register.",
    "--minor",
]


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", FIXTURES / "minimal" / "content", quizzes=False)


def _history(project: Path) -> str:
    return (project / "content" / "policies" / "internet-use" / "history.yml").read_text()


def _says_nothing_refused(option: str, err: str) -> bool:
    """Spaces alone are 'empty'; anything else invisible is named as such."""
    return bool(
        re.search(rf"{option} (is empty|'[^']*' is made only of characters that show nothing)", err)
    )


@pytest.mark.parametrize("note", list(_INVISIBLE_NOTES.values()), ids=list(_INVISIBLE_NOTES))
def test_a_note_of_invisible_characters_is_refused(
    minimal: Path, run_cli: RunCli, note: str
) -> None:
    before = _history(minimal)
    argv = list(APPROVE)
    argv[argv.index("--note") + 1] = note
    result = run_cli(*argv, "--project", minimal)
    assert result.code != 0
    assert _says_nothing_refused("--note", result.err), result.err
    assert "Traceback" not in result.err
    assert _history(minimal) == before
    # the same rule for every free-text value that must say something
    by = list(APPROVE)
    by[by.index("--by") + 1] = note
    assert _says_nothing_refused("--by", run_cli(*by, "--project", minimal).err)
    adoption = AdoptionRequest("a-school", "internet-use", "1.0", "Board", dt.date(2026, 10, 1))
    problems = adoption_problems(
        AdoptionRequest(**{**vars(adoption), "note": note}), dt.date(2026, 11, 1)
    )
    assert any(_says_nothing_refused("--note", problem) for problem in problems), problems


@pytest.mark.parametrize(
    "note",
    [
        "Updated the contacts 🎉",
        "Diweddarwyd y polisi: ŵ, ŷ, â, ê — a'r rhestr",
        "Café rules: naïve ‘quotes’ stay",
        "🙂",
    ],
)
def test_a_real_note_is_accepted(minimal: Path, run_cli: RunCli, note: str) -> None:
    policy = minimal / "content" / "policies" / "internet-use" / "policy.md"
    marker = "This policy explains how the school keeps internet use safe."
    policy.write_text(policy.read_text().replace(marker, f"{marker} Staff log every concern."))
    argv = list(APPROVE)
    argv[argv.index("--note") + 1] = note
    result = run_cli(*argv, "--project", minimal)
    assert result.code == 0, result.err
    assert yaml.safe_load(_history(minimal))["versions"][-1]["note"] == note
    assert not says_nothing(note)


# ---------------------------------------------------------------- rollback


@pytest.mark.builds
def test_a_rollback_is_refused_when_the_manifest_has_no_heads(
    minimal: Path, run_cli: RunCli
) -> None:
    assert run_cli("build", "--project", minimal).code == 0
    out = minimal / "build"
    assert published_versions(out / "site") == {"internet-use": VersionNumber(1, 1)}
    manifest = out / "manifest.json"  # as a manifest from before heads were recorded
    data = json.loads(manifest.read_text())
    del data["policies"]
    manifest.write_text(json.dumps(data))
    folder = minimal / "content" / "policies" / "internet-use"
    history = folder / "history.yml"
    text = history.read_text()
    history.write_text(text[: text.index("  - version: '1.1'")])
    (folder / "versions" / "1.1.md").unlink()
    assert run_cli("check", "--project", minimal).code == 0
    refused = run_cli("build", "--project", minimal)
    assert refused.code == 1
    assert (
        "content/policies/internet-use/history.yml:1:1: internet-use would go back from "
        "version 1.1 (published) to 1.0; expected version 1.1 or later (was its history entry "
        "removed?); pass --allow-rollback if this is intended"
    ) in refused.err.splitlines()
    assert published_versions(out / "site") == {
        "internet-use": VersionNumber(1, 1)
    }  # nothing published
    # a manifest whose heads were lowered by hand is no better
    allowed = run_cli("build", "--allow-rollback", "--project", minimal)
    assert allowed.code == 0, allowed.err
