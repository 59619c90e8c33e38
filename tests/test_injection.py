"""Markup typed into any free-text field (school, contacts, titles, summaries, approval records,
agreement and poster titles, learning points) never becomes markup in a built file, and no
script runs in the browser: the theme prints some values unescaped, so everything policypress
hands it is escaped first, and every page carries a Content-Security-Policy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Dialog

from conftest import EPOCH, LOCAL_HOSTS, REPO, serve
from injection import PAYLOAD, SHORT_PAYLOAD, inject_markup, injected_markup, markup_in
from policypress.cli import main

# Records Content-Security-Policy violations before any of the page's own scripts run.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def _policypress(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policypress", *args, "--project", str(project)],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        check=False,
    )


@pytest.fixture(scope="module")
def injected_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample school with the payload in every free-text field, its policies approved
    (with the payload in the approving body, minute and note too), built with MkDocs."""
    project = tmp_path_factory.mktemp("injected")
    for name in ("content", "quizzes"):
        shutil.copytree(REPO / name, project / name)
    # Approved in this process (the command line's own entry point, as run_cli runs it): a
    # new interpreter for each policy would load policypress again for nothing.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for slug in inject_markup(project):
            approve = ["approve", slug, "--by", f"Full Governing Board {SHORT_PAYLOAD}"]
            approve += ["--meeting", "2026-10-30", "--minute", f"FGB 2026/10 {SHORT_PAYLOAD}"]
            approve += ["--major", "--note", f"Reviewed{PAYLOAD}", "--project", str(project)]
            assert main(approve) == 0, slug
    built = _policypress(project, "build")
    assert built.returncode == 0, built.stderr
    return project


@pytest.fixture(scope="module")
def injected_build(injected_project: Path) -> Path:
    return injected_project / "build"


def test_the_payload_is_detected_when_it_is_markup() -> None:
    assert markup_in(f"<p>{PAYLOAD}</p>") != []


@pytest.mark.builds
def test_no_built_file_holds_the_injected_markup(injected_build: Path) -> None:
    site = injected_build / "site"
    assert "data-pp-xss" in (site / "index.html").read_text(encoding="utf-8")  # as text
    # Each policy's body shows school.yml's values (payload included) through variables.
    page = (site / "policies/online-safety/index.html").read_text(encoding="utf-8")
    assert "{{ contact.dsl.name }}" not in page and "Samir Patel &lt;img src=x" in page
    assert injected_markup(injected_build) == {}


@pytest.mark.builds
def test_zensical_gets_the_same_escaped_values(injected_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "zensical"
    # The engine makes the site only: the MkDocs build's PDFs are reused from its cache (one
    # whose HTML differed would be rendered again, and checked below all the same).
    shutil.copytree(injected_project / "build" / ".cache", out / ".cache")
    built = _policypress(injected_project, "build", "--engine", "zensical", "--out", str(out))
    assert built.returncode == 0, built.stderr
    page = (out / "site" / "policies" / "online-safety" / "index.html").read_text()
    assert "&lt;img src=x onerror=" in page  # escaped once: shown as text, not as &amp;lt;
    assert injected_markup(out) == {}


@pytest.mark.builds
def test_no_injected_script_runs_and_nothing_breaks_the_policy(
    browser: Browser, injected_build: Path
) -> None:
    site = injected_build / "site"
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    requests: list[str] = []
    dialogs: list[str] = []
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    with serve(site) as url:
        for path in pages:
            page.goto(url + path)
            assert page.evaluate("window.__ppXss") is None, path
            assert page.locator("[data-pp-xss], ppxss").count() == 0, path
            assert page.evaluate("window.__cspViolations") == [], path
        # The theme's search shows titles from the index as HTML.
        page.goto(url)
        page.keyboard.press("/")
        page.keyboard.type("Larkspur")
        page.locator(".md-search-result__item").first.wait_for()
        assert page.locator("[data-pp-xss], ppxss").count() == 0
        assert page.evaluate("window.__ppXss") is None
    context.close()
    assert dialogs == []
    assert [u for u in requests if urlsplit(u).hostname not in LOCAL_HOSTS] == []


def test_the_theme_never_asks_a_cdn_for_a_polyfill(browser: Browser, sample_build: Path) -> None:
    """In a browser without ResizeObserver the theme would fetch a polyfill from a CDN."""
    context = browser.new_context()
    context.add_init_script("delete window.ResizeObserver;" + WATCH_CSP)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    with serve(sample_build / "site") as url:
        page.goto(url + "policies/online-safety/")
        page.wait_for_load_state("networkidle")
    context.close()
    # The theme's loader now asks for about:invalid, which never leaves the browser.
    remote = [u for u in requests if urlsplit(u).scheme != "about"]
    assert remote and [u for u in remote if urlsplit(u).hostname not in LOCAL_HOSTS] == []
    scripts = (sample_build / "site" / "assets" / "javascripts").rglob("*.js")
    assert not any("unpkg.com" in p.read_text(encoding="utf-8") for p in scripts)
