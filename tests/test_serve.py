"""`policypress serve`: the preview is served on localhost, rebuilt on save, and the page is
told to reload."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from conftest import EPOCH, FIXTURES, make_project


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
