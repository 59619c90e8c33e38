"""The studio's figures for scripts/bench: what a person waits for in the browser.

- the server's time for each studio page (a GET, or a form a page sends), on a scratch copy
  of the sample school, through an in-process ASGI client (no network, no browser): the
  median of ``repeat`` requests after one untimed request (the first builds caches that a
  running studio already has);
- Publish after one policy was edited and approved, against Publish of the same project
  with ``build/`` emptied (a cold build): both in the one studio process, as a person would
  publish, timed from the button to the stream's "done".

A page another part of the studio adds is one line in :data:`STUDIO_REQUESTS`: its name,
method, address, the form fields it sends (a POST carries the session's CSRF token too) and
the target it is held to.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from starlette.testclient import TestClient

from policypress.core.project import Project
from policypress.studio.app import create_app
from policypress.studio.security import Access

PORT = 8765
TOKEN = "bench"
PAGE_TARGET = "target ≤ 0.2 s"
EDITED = "mobile-devices"  # the policy edited and approved before "publish after one edit"


@dataclass(frozen=True)
class StudioRequest:
    name: str
    method: Literal["GET", "POST"]
    path: str
    fields: Mapping[str, str] | None = None  # a POST's form (the CSRF token is added)
    target: str = PAGE_TARGET


# A clause as typed, with a variable and a table: the editor's live preview, which also
# runs check on the policy with the typed text and lists what it says of the clause.
TYPED = (
    "Staff at {{ school.name }} keep personal phones away during lessons.\n\n"
    "| Where | When |\n|---|---|\n| Staff room | Breaks |\n"
)

# Every studio page on the sample, and the editor's preview (with check's messages).
STUDIO_REQUESTS: list[StudioRequest] = [
    StudioRequest("dashboard", "GET", "/"),
    StudioRequest("school details", "GET", "/school"),
    StudioRequest("import a policy", "GET", "/import"),
    StudioRequest("edit a policy", "GET", f"/policies/{EDITED}/edit"),
    StudioRequest("a policy's details", "GET", f"/policies/{EDITED}/details"),
    StudioRequest("upload from Word", "GET", f"/policies/{EDITED}/from-word"),
    StudioRequest(
        "download for Word (the .docx export-docx writes)",
        "GET",
        f"/policies/{EDITED}/word",
        target="a download, not a page",
    ),
    StudioRequest("changes", "GET", f"/policies/{EDITED}/changes"),
    StudioRequest("history", "GET", "/history"),
    StudioRequest("a policy's history", "GET", f"/policies/{EDITED}/history"),
    StudioRequest("record an approval", "GET", f"/policies/{EDITED}/approve"),
    StudioRequest("staff register", "GET", "/register"),
    StudioRequest("publish", "GET", "/publish"),
    StudioRequest(
        "clause preview, with check's messages for the edited policy",
        "POST",
        f"/policies/{EDITED}/preview",
        {"clause": "staff-devices", "heading": "Staff devices", "text": TYPED},
        "target ≤ 0.3 s (preview), ≤ 1 s (check)",
    ),
]


@dataclass(frozen=True)
class Timed:
    name: str
    median: float
    best: float
    note: str = ""


def studio_client(root: Path) -> TestClient:
    """The studio for ``root``, let in with its token (it holds the session cookie)."""
    app = create_app(Project.at(root), Access(PORT, TOKEN))
    client = TestClient(app, base_url=f"http://127.0.0.1:{PORT}", follow_redirects=False)
    if client.get(f"/?token={TOKEN}").status_code != 303:
        raise SystemExit("bench: the studio did not let the bench in")
    return client


def _csrf(client: TestClient) -> str:
    page = client.get("/publish").text
    marker = 'name="csrf" value="'
    start = page.find(marker)
    if start < 0:
        raise SystemExit("bench: the publish page carries no form (does check find errors?)")
    start += len(marker)
    return page[start : page.index('"', start)]


def page_times(client: TestClient, repeat: int) -> list[Timed]:
    """Each of :data:`STUDIO_REQUESTS`, timed ``repeat`` times after one untimed request."""
    token = _csrf(client)
    rows = []
    for request in STUDIO_REQUESTS:

        def send(request: StudioRequest = request) -> int:
            if request.method == "GET":
                return client.get(request.path).status_code
            data = {**(request.fields or {}), "csrf": token}
            return client.post(request.path, data=data).status_code

        if send() >= 400:
            raise SystemExit(f"bench: {request.method} {request.path} failed")
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            send()
            times.append(time.perf_counter() - start)
        rows.append(
            Timed(
                f"studio: {request.name} ({request.method} {request.path}), server time",
                statistics.median(times),
                min(times),
                request.target,
            )
        )
    return rows


def publish_once(client: TestClient) -> float:
    """Seconds from pressing Publish to the progress stream's "done"."""
    token = _csrf(client)
    start = time.perf_counter()
    if client.post("/publish", data={"csrf": token}).status_code != 303:
        raise SystemExit("bench: the studio refused to publish")
    ended = ""
    with client.stream("GET", "/publish/progress") as stream:
        for line in stream.iter_lines():
            if line.startswith("event: "):
                ended = line.removeprefix("event: ")
            if ended in ("done", "failed") and line.startswith("data: "):
                if ended == "failed":
                    problems = json.loads(line.removeprefix("data: "))["problems"]
                    raise SystemExit("bench: publishing failed:\n" + "\n".join(problems))
                break
    return time.perf_counter() - start


def _published_version(root: Path) -> str:
    """The version of the edited policy the last publish published, by its manifest."""
    manifest = json.loads((root / "build" / "manifest.json").read_text(encoding="utf-8"))
    return str(manifest["policies"][EDITED]["version"])


def publish_times(
    client: TestClient,
    root: Path,
    repeat: int,
    *,
    empty_build: Callable[[], None],
    approve: Callable[[int], list[str]],
    env: Mapping[str, str],
) -> list[Timed]:
    """Publish cold (``build/`` emptied before each) against Publish after one policy was
    edited and approved (``approve(n)``: the command that approves the n-th edit)."""
    cold = []
    for _ in range(repeat):
        empty_build()
        cold.append(publish_once(client))
    policy = root / "content" / "policies" / EDITED / "policy.md"
    original = policy.read_text(encoding="utf-8")
    edited = []
    versions = {_published_version(root)}
    for number in range(1, repeat + 1):
        policy.write_text(
            original.replace("## Purpose", f"## Purpose {number}", 1), encoding="utf-8"
        )
        done = subprocess.run(
            approve(number), capture_output=True, text=True, check=False, env=dict(env)
        )
        if done.returncode != 0:
            raise SystemExit(f"bench: approving the edit failed:\n{done.stderr}")
        edited.append(publish_once(client))
        published = _published_version(root)
        if published in versions:  # the figure would time a build that published no edit
            raise SystemExit(f"bench: the edited {EDITED} was not published anew")
        versions.add(published)
    cold_median, edit_median = statistics.median(cold), statistics.median(edited)
    return [
        Timed("studio: publish, cold (empty build/ and cache)", cold_median, min(cold)),
        Timed(
            "studio: publish after one policy edited and approved",
            edit_median,
            min(edited),
            f"{edit_median / cold_median:.1%} of cold (target ≤ 30 %)",
        ),
    ]
