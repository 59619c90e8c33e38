"""Every built page is valid HTML by the Nu HTML Checker (the W3C's validator, npm vnu-jar
pinned in tests/js, run with Debian's Java): zero errors, the theme's markup included."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO

VNU_JAR = REPO / "tests" / "js" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def vnu_errors(files: list[Path]) -> list[str]:
    """Every error the checker reports in ``files``, as "file:line: message"."""
    java = shutil.which("java")
    assert java, "java not found: scripts/test installs default-jre-headless"
    assert VNU_JAR.is_file(), f"{VNU_JAR} missing: run npm ci --prefix tests/js --ignore-scripts"
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = json.loads(result.stderr)  # the checker writes its JSON report to stderr
    errors = [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m['message']}"
        for m in report["messages"]
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert result.returncode == (1 if errors else 0), result.stderr[-2000:]
    return errors


def test_every_page_is_valid_html(sample_build: Path) -> None:
    site = sample_build / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 45
    errors = vnu_errors(pages)
    by_page: dict[str, int] = {}
    for error in errors:
        by_page[error.split(":", 1)[0]] = by_page.get(error.split(":", 1)[0], 0) + 1
    assert errors == [], f"{len(errors)} errors on {len(by_page)} pages; first: {errors[:10]}"


@pytest.mark.builds
def test_every_zensical_page_is_valid_html(zensical_build: Path) -> None:
    """The same with the other engine, whose theme has templates of its own."""
    pages = sorted((zensical_build / "site").rglob("*.html"))
    assert len(pages) >= 45
    errors = vnu_errors(pages)
    assert errors == [], f"{len(errors)} errors; first: {errors[:10]}"


def test_the_checker_reports_the_theme_errors_we_fix(sample_build: Path, tmp_path: Path) -> None:
    """Guards the test above: a page with the markup Material writes before harden.py fixes
    it (an empty tabindex, autocomplete on a check box, a label for no control) fails."""
    page = (sample_build / "site" / "index.html").read_text(encoding="utf-8")
    broken = page.replace(
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer"',
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer"'
        ' autocomplete="off"',
        1,
    ).replace(
        '<a href="#policies"', '<label for="__nowhere" tabindex="">x</label><a href="#policies"', 1
    )
    assert broken != page
    (tmp_path / "index.html").write_text(broken, encoding="utf-8")
    errors = vnu_errors([tmp_path / "index.html"])
    assert any("autocomplete" in e for e in errors), errors
    assert any("tabindex" in e for e in errors), errors
    assert any("“for” attribute" in e for e in errors), errors
