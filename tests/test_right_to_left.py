"""A school whose language is written right to left (Urdu, Arabic) gets pages and PDFs laid
out right to left, in the script's own font (issue 29)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import FIXTURES, make_project
from policypress.cli import main

pytestmark = pytest.mark.builds


@pytest.fixture(scope="module")
def urdu_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("urdu") / "p", FIXTURES / "minimal" / "content")
    school = project / "content" / "school.yml"
    school.write_text(
        school.read_text(encoding="utf-8").replace(
            "phase: primary\n", "phase: primary\nlanguage: ur\n"
        ),
        encoding="utf-8",
    )
    assert main(["build", "--project", str(project)]) == 0
    return project / "build" / "site"


def _fonts(pdf: Path) -> set[str]:
    found = set()
    for page in PdfReader(pdf).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            found.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return found


def test_pages_are_laid_out_right_to_left(urdu_build: Path) -> None:
    for page in (urdu_build / "index.html", *urdu_build.glob("policies/*/index.html")):
        html = page.read_text(encoding="utf-8")
        # the theme writes the language on <html> and the direction on <body>
        root, body = re.search(r"<html[^>]*>", html), re.search(r"<body[^>]*>", html)
        assert root is not None and body is not None
        assert 'lang="ur"' in root.group(0) and 'dir="rtl"' in body.group(0), page


def test_pdfs_are_right_to_left_in_nastaliq(urdu_build: Path) -> None:
    pdfs = sorted(urdu_build.rglob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        reader = PdfReader(pdf)
        assert reader.root_object.get("/Lang") == "ur", pdf
        # the interface's Urdu words are drawn in Nastaliq, not in a fallback font
        assert any(name.replace("-", "").startswith("NotoNastaliqUrdu") for name in _fonts(pdf)), (
            pdf,
            _fonts(pdf),
        )
