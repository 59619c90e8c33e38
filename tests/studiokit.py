"""What the studio's tests share: a studio for a project (over HTTP in-process, or served
for a browser), the form a page shows as a browser would send it, axe on a page."""

from __future__ import annotations

import html
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page
from starlette.testclient import TestClient

from conftest import AXE_TAGS
from policypress.core.project import Project
from policypress.studio.app import create_app
from policypress.studio.security import Access

PORT = 8765
TOKEN = "the-start-up-token"
ORIGIN = f"http://127.0.0.1:{PORT}"


def client_for(project: Path) -> TestClient:
    """A studio for ``project`` over in-process HTTP; not yet let in (see :func:`let_in`)."""
    app = create_app(Project.at(project), Access(PORT, TOKEN))
    return TestClient(app, base_url=ORIGIN, follow_redirects=False)


def let_in(client: TestClient) -> TestClient:
    """``client`` after opening the tokened address: it holds the session cookie."""
    assert client.get(f"/?token={TOKEN}").status_code == 303
    return client


def csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "the form carries no CSRF token"
    return found.group(1)


def form_fields(page: str) -> dict[str, str]:
    """Every text and hidden field of the page's forms and its selected option (as the field
    ``phase``), as a browser would send them."""
    fields = dict(
        re.findall(
            r'<input type="(?:text|hidden)" (?:id="[^"]*" )?name="([^"]+)" value="([^"]*)"', page
        )
    )
    for name, value in re.findall(
        r'<textarea id="[^"]*" name="([^"]+)"[^>]*>([^<]*)</textarea>', page
    ):
        fields[name] = value
    selected = re.search(r'<option value="([^"]*)" selected>', page)
    if selected:
        fields["phase"] = selected.group(1)
    return {name: html.unescape(value) for name, value in fields.items()}


def edit_draft(project: Path, slug: str = "online-safety") -> None:
    policy = project / "content" / "policies" / slug / "policy.md"
    policy.write_text(
        policy.read_text("utf-8") + "\nParents are told of each change by letter.\n", "utf-8"
    )


@dataclass(frozen=True)
class ServedStudio:
    url: str  # the base address, no token
    project: Path
    token: str


@contextmanager
def served_studio(project: Path, token: str = TOKEN) -> Iterator[ServedStudio]:
    """The studio for ``project`` served by uvicorn on a free loopback port, for a browser."""
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen(16)
    port = listening.getsockname()[1]
    app = create_app(Project.at(project), Access(port, token))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield ServedStudio(f"http://127.0.0.1:{port}", project, token)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listening.close()


@contextmanager
def opened_page(browser: Browser, studio: ServedStudio, **context: object) -> Iterator[Page]:
    """A page that has opened the studio's tokened address (so it holds the cookie)."""
    browsing = browser.new_context(**context)  # type: ignore[arg-type]
    page = browsing.new_page()
    page.goto(f"{studio.url}/?token={studio.token}")
    assert "token" not in page.url
    try:
        yield page
    finally:
        browsing.close()


def axe_violations(page: Page) -> str | None:
    """axe's report of the page's violations of the project's tags; None when there are none."""
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    return results.generate_report() if results.violations_count else None


def submit(page: Page, selector: str = "form button[type=submit]") -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def tab_to(page: Page, element_id: str, presses: int = 60) -> None:
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def scroll_width(page: Page) -> int:
    return int(page.evaluate("document.scrollingElement.scrollWidth"))
