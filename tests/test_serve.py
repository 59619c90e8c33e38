"""`policypress serve`: the preview is served on localhost, rebuilt on save, and the page is
told to reload."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EPOCH, FIXTURES, RunCli, make_project
from policypress.commands.liveserver import _State, bind


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def _wait_for(check: Callable[[], object], attempts: int = 240) -> str:
    """Poll (bounded) until ``check`` returns text; a generous bound, not a timing assertion."""
    for _ in range(attempts):
        result = check()
        if result:
            return str(result)
        time.sleep(0.5)
    raise AssertionError("serve did not respond")


@pytest.mark.builds
def test_serve_rebuilds_the_preview_on_save(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", FIXTURES / "minimal" / "content")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "policypress",
            "serve",
            "--project",
            str(project),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        page = _wait_for(lambda: _get(f"{base}/policies/internet-use/"))
        assert "__policypress_build" in page  # the reload snippet, added when serving only
        assert (
            "__policypress_build"
            not in (
                project / "build" / "preview" / "site" / "policies" / "internet-use" / "index.html"
            ).read_text()
        )
        assert _get(f"{base}/__policypress_build") == "0"
        policy = project / "content" / "policies" / "internet-use" / "policy.md"
        policy.write_text(
            policy.read_text().replace(
                "keeps internet use safe.", "keeps internet use safe and calm."
            )
        )
        _wait_for(lambda: _get(f"{base}/__policypress_build") == "1")
        page = _get(f"{base}/policies/internet-use/") or ""
        assert "keeps internet use safe and calm." in page and "DRAFT" in page
    finally:
        process.terminate()
        process.wait(timeout=30)


def _status(port: int, host: str | None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", "/", skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_only_requests_for_localhost_are_answered(tmp_path: Path) -> None:
    """DNS rebinding: a page on evil.example pointing its name at 127.0.0.1 gets nothing."""
    (tmp_path / "index.html").write_text("<html><body>draft</body></html>")
    server = bind(0, tmp_path, _State())
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for host in (
            f"127.0.0.1:{port}",
            f"localhost:{port}",
            f"LocalHost:{port}",
            f"[::1]:{port}",
        ):
            status, body = _status(port, host)
            assert status == 200 and b"draft" in body, host
        refused = ["evil.example", f"evil.example:{port}", "127.0.0.1", "localhost:1", None]
        for other in refused:
            assert _status(port, other) == (421, b""), other
    finally:
        server.shutdown()
        server.server_close()


def test_a_busy_port_is_one_line_and_exit_4(tmp_path: Path, run_cli: RunCli) -> None:
    project = make_project(tmp_path / "p", FIXTURES / "minimal" / "content")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--project", project, "--port", str(port))
    assert result.code == 4
    assert result.err.splitlines() == [
        f"policypress: port {port} on 127.0.0.1 is already in use (is another 'policypress "
        "serve' running?); stop it or choose another port with --port N"
    ]
    assert not (project / "build").exists()  # refused before building anything


def test_a_file_saved_while_the_first_build_runs_is_built_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files are seen before the first build starts: a save during it (or just after its
    page appears) is a change, never lost by a snapshot taken once the page is served."""
    import io

    from rich.console import Console

    from policypress.commands import liveserver
    from policypress.core.project import Project

    project = Project.at(make_project(tmp_path / "p", FIXTURES / "minimal" / "content"))
    policy = project.content / "policies" / "internet-use" / "policy.md"
    built: list[str] = []

    def rebuild(_project: Project, _engine: str, _console: Console) -> bool:
        built.append(policy.read_text(encoding="utf-8"))
        if len(built) == 1:  # a person saves while the first build runs
            policy.write_text(built[0] + "\nSaved during the build.\n", encoding="utf-8")
        return True

    ticks = iter(range(3))

    def tick(_seconds: float) -> None:
        if next(ticks, None) is None:
            raise KeyboardInterrupt  # stops serve() the way Ctrl-C does

    monkeypatch.setattr(liveserver, "_rebuild", rebuild)
    monkeypatch.setattr(time, "sleep", tick)  # the module liveserver sleeps through
    console = Console(file=io.StringIO())
    assert liveserver.serve(project, port=0, engine="mkdocs", console=console) == 0
    assert len(built) == 2 and built[1].endswith("Saved during the build.\n")
