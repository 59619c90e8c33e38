"""Forms show every sentence of their source, in order, with their headings, in every layout:
the web page and the PDF of a pupil form whose second list says what is *not* allowed, with a
declaration written after its list."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import cast

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from conftest import FIXTURES, TEMPLATES, make_project
from pdftext import pdf_body_text, words
from policypress.build import build
from policypress.core.diagnostics import ContentError
from policypress.core.project import Project

SOURCE = FIXTURES / "forms" / "content" / "agreements" / "ks2-pupils.md"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _source_sentences() -> list[str]:
    """Every heading, paragraph and statement of the form body, in source order."""
    body = SOURCE.read_text().split("---\n", 2)[2]
    found = []
    for line in body.splitlines():
        line = re.sub(r"\{#[^}]*\}|\{icon=[^}]*\}|\[\]\([^)]*\)", "", line).strip("-# ").strip()
        if line:
            found.append(line)
    return found


def _in_order(sentences: list[str], text: str) -> None:
    haystack = words(text)
    position = 0
    for sentence in sentences:
        needle = words(sentence)
        while position <= len(haystack) - len(needle):
            if haystack[position : position + len(needle)] == needle:
                break
            position += 1
        else:
            raise AssertionError(f"missing or out of order: {sentence!r}")
        position += len(needle)


@pytest.mark.builds
def test_pupil_form_keeps_headings_and_trailing_text_in_order(tmp_path: Path) -> None:
    root = make_project(tmp_path, FIXTURES / "minimal" / "content")
    (root / "content" / "agreements").mkdir()
    (root / "content" / "agreements" / "ks2-pupils.md").write_text(SOURCE.read_text())
    build(Project.at(root), workers=1)
    sentences = _source_sentences()
    assert "These are not allowed" in sentences
    assert sentences[-1].startswith("I have read these rules")
    page = _Text()
    page.feed((root / "build" / "site" / "forms" / "ks2-pupils" / "index.html").read_text())
    _in_order(sentences, " ".join(page.parts))
    pdf = root / "build" / "site" / "forms" / "ks2-pupils" / "ks2-pupils.pdf"
    _in_order(sentences, pdf_body_text(pdf))
    # The child signs right after their promises; the parent signs at the end.
    _in_order(
        [
            "I will keep my password to myself",
            "Sign or draw your name",
            "These are not allowed",
            "I have read these rules",
            "Parent or carer signature",
        ],
        pdf_body_text(pdf),
    )
    fields = PdfReader(pdf).get_fields() or {}
    assert {n for n, f in fields.items() if f.get("/FT") == "/Sig"} == {
        "signature",
        "parent-signature",
    }
    assert fields["parent-name"]["/TU"] == "Parent or carer name"  # folded YAML, one line


@pytest.mark.builds
def test_a_poster_that_does_not_fit_fails_at_each_item_and_cuts_nothing(tmp_path: Path) -> None:
    root = make_project(tmp_path, FIXTURES / "minimal" / "content")
    (root / "content" / "posters").mkdir()
    source = FIXTURES / "posters" / "too-long.yml"
    (root / "content" / "posters" / "staff.yml").write_text(source.read_text())
    with pytest.raises(ContentError) as failure:
        build(Project.at(root), workers=1)
    messages = [str(d) for d in failure.value.diagnostics.errors]
    assert messages, "a poster with 13 long items must not build"
    assert all(m.startswith("content/posters/staff.yml:") for m in messages), messages
    assert all("does not fit on the A" in m and "nothing is ever cut" in m for m in messages)
    # Each overflowing item is named at its own line, for each paper size it overflows.
    lines = {int(m.split(":")[1]) for m in messages}
    assert lines and lines <= set(range(7, 34))
    assert any("on the A4 poster" in m for m in messages)
    assert not (root / "build" / "site").exists()  # nothing half-made was published


def _with_school_name(tmp_path: Path, name: str) -> Project:
    root = make_project(tmp_path, FIXTURES / "minimal" / "content")
    school = root / "content" / "school.yml"
    school.write_text(school.read_text().replace("name: Minimal Test School", f"name: {name}"))
    return Project.at(root)


@pytest.mark.builds
def test_text_in_other_scripts_renders_in_every_pdf(tmp_path: Path) -> None:
    """A school name in Urdu, Bengali, Punjabi and Chinese: every PDF builds (Noto fonts are
    the fallback), and the PDFs embed the fonts that drew it."""
    name = "مدرسہ Ysgol বিদ্যালয় ਸਕੂਲ 学校 Szkoła"
    result = build(_with_school_name(tmp_path, name), workers=1)
    assert not result.diagnostics.errors
    pdf = next((tmp_path / "build" / "site" / "policies").rglob("*.pdf"))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(pdf).pages
        for font in cast(DictionaryObject, page["/Resources"]).get("/Font", {}).values()
    }
    assert any("Noto" in f and "CJK" in f for f in fonts), fonts
    assert any("Bengali" in f for f in fonts), fonts


@pytest.mark.builds
def test_a_character_no_font_has_is_reported_once_where_it_is_written(tmp_path: Path) -> None:
    project = _with_school_name(tmp_path, "Parrot 🦜 Primary")
    with pytest.raises(ContentError) as failure:
        build(project, workers=1)
    messages = [str(d) for d in failure.value.diagnostics.errors]
    assert len(messages) == 1, messages  # not one per PDF
    assert messages[0].startswith("content/school.yml:2:14: '🦜' (U+1F99C) is in no font")
    assert "PDF(s) would print an empty box" in messages[0]


@pytest.mark.parametrize(
    ("template", "output"),
    [
        ("pdf/agreement.html.j2", "site/forms/ks2-pupils/ks2-pupils.pdf would not show"),
        ("site/agreement.md.j2", "site/forms/ks2-pupils/index.html does not show"),
    ],
)
@pytest.mark.builds
def test_a_template_that_drops_approved_text_fails_the_build(
    tmp_path: Path, template: str, output: str
) -> None:
    """The build checks every output against its source: a template that forgets the text
    after a statement list (as one did) stops the build, naming the sentence it lost."""
    root = make_project(tmp_path, FIXTURES / "minimal" / "content")
    (root / "content" / "agreements").mkdir()
    (root / "content" / "agreements" / "ks2-pupils.md").write_text(SOURCE.read_text())
    shutil.copytree(TEMPLATES, root / "templates")
    broken = root / "templates" / template
    broken.write_text(broken.read_text().replace("{{ group.after_html | safe }}", ""))
    with pytest.raises(ContentError) as failure:
        build(Project.at(root), workers=1)
    [message] = [str(d) for d in failure.value.diagnostics.errors]
    # At the paragraph after the list, which the template dropped.
    assert message.startswith("content/agreements/ks2-pupils.md:30:1: " + output), message
    assert "'I have read these rules with my parent or carer and I understand them.'" in message
