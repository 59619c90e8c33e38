"""What a printed copy looks like: no sheet wasted on a few lines, a signing block never alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader

from conftest import REPO
from pdftext import BOTTOM_MARGIN, TOP_MARGIN, page_fill, words
from policypress.build import check
from policypress.core.project import Project
from policypress.model import Content

QUARTER = 0.25


@pytest.fixture(scope="module")
def content() -> Content:
    loaded, diags = check(Project.at(REPO))
    assert loaded is not None, [str(d) for d in diags.items]
    return loaded


def _paths(build_dir: Path, *kinds: str) -> list[Path]:
    outputs = json.loads((build_dir / "manifest.json").read_text())["outputs"]
    return [build_dir / o["path"] for o in outputs if o["kind"] in kinds]


def test_no_page_of_a_form_worksheet_or_answer_key_is_less_than_a_quarter_full(
    sample_build: Path,
) -> None:
    paths = _paths(sample_build, "agreement-pdf", "quiz-answer-key", "quiz-worksheet")
    assert len(paths) >= 18
    thin = {
        path.name: [round(fill, 2) for fill in fills]
        for path in paths
        if min(fills := page_fill(path)) < QUARTER
    }
    assert thin == {}


def test_the_ks1_form_is_one_sheet_and_its_answer_key_a_few(sample_build: Path) -> None:
    [form] = [p for p in _paths(sample_build, "agreement-pdf") if p.name == "ks1-pupils.pdf"]
    assert len(PdfReader(form).pages) == 1
    [key] = [p for p in _paths(sample_build, "quiz-answer-key") if p.name == "ks1-answer-key.pdf"]
    assert len(PdfReader(key).pages) <= 3


def _page_lines(page: PageObject) -> list[str]:
    """The page's body text, one entry per line, top to bottom."""
    height = float(page.mediabox.height)
    lines: dict[int, list[str]] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        y = cm[5] + tm[5] * cm[3] if cm else tm[5]
        if text.strip() and BOTTOM_MARGIN - 2 < y < height - TOP_MARGIN + 2:
            lines.setdefault(round(y), []).append(text)

    page.extract_text(visitor_text=visit)
    return [" ".join("".join(parts).split()) for _, parts in sorted(lines.items(), reverse=True)]


def test_a_signing_block_shares_its_page_with_what_is_being_signed(
    sample_build: Path, content: Content
) -> None:
    forms = {p.stem: p for p in _paths(sample_build, "agreement-pdf")}
    for agreement in content.agreements:
        first_label = next(line.label for line in agreement.sign if line.after is None)
        reader = PdfReader(forms[agreement.slug])
        for page in reader.pages:
            lines = _page_lines(page)
            at = next((i for i, line in enumerate(lines) if line.startswith(first_label)), None)
            if at is not None:
                above = [w for line in lines[:at] for w in words(line)]
                assert len(above) >= 5, (agreement.slug, lines[: at + 1])
                break
        else:
            pytest.fail(f"{agreement.slug}: signing label {first_label!r} not found")
