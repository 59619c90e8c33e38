"""Translated policy PDFs (issue 29): each published translation of a policy's newest approved
version is a PDF in its own language, checked on what its pages draw, and an Urdu one is laid
out right to left in Noto Nastaliq Urdu."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from conftest import FIXTURES, TEMPLATES, RunCli, make_project
from policypress.build import check
from policypress.core.project import Project
from policypress.outputs.fidelity import Words, first_lost
from policypress.outputs.pdf.documents import plan_pdfs
from policypress.outputs.templating import create_environment
from test_translations import POLICY, SHA_1_0, SHA_1_1, WELSH_BODY

pytestmark = pytest.mark.builds

CY_PDF = "site/cy/policies/internet-use/internet-use-v1.1-cy.pdf"
UR_PDF = "site/ur/policies/internet-use/internet-use-v1.1-ur.pdf"
URDU_RULE = "جب آن لائن کوئی چیز طلبہ کو پریشان کرے تو وہ کسی قابلِ اعتماد بالغ کو بتاتے ہیں۔"
URDU_BODY = f"""
## مقصد {{#purpose}}

یہ پالیسی بتاتی ہے کہ اسکول انٹرنیٹ کے استعمال کو کیسے محفوظ رکھتا ہے۔

## طلبہ کے لیے {{#pupil-rules}}

{URDU_RULE} عملے کے لیے [اصول](#staff-rules) دیکھیں۔
"""


def _project(root: Path, *, welsh_version: str = "1.1", welsh_sha256: str = SHA_1_1) -> Path:
    """The minimal project publishing a full Welsh translation and an Urdu summary."""
    project = make_project(root, FIXTURES / "minimal" / "content")
    school = project / "content" / "school.yml"
    school.write_text(school.read_text(encoding="utf-8") + "translations: [cy, ur]\n")
    (project / POLICY / "policy.cy.md").write_text(
        f'---\ntranslates:\n  version: "{welsh_version}"\n  sha256: {welsh_sha256}\n'
        "title: Polisi Defnyddio'r Rhyngrwyd\n"
        "summary: Sut mae disgyblion a staff yn defnyddio'r rhyngrwyd yn ddiogel.\n"
        "translated_by: Gwasanaeth Cyfieithu Cyngor Sir\n"
        "checked_by: Ms Rhian Evans\n---\n" + WELSH_BODY,
        encoding="utf-8",
    )
    (project / POLICY / "policy.ur.md").write_text(
        f'---\ntranslates:\n  version: "1.1"\n  sha256: {SHA_1_1}\n'
        "title: انٹرنیٹ کے استعمال کی پالیسی\n"
        "summary: اسکول میں طلبہ اور عملہ انٹرنیٹ کو محفوظ طریقے سے کیسے استعمال کرتے ہیں۔\n"
        "translated_by: کونسل کی ترجمہ سروس\n"
        "scope: summary\n---\n" + URDU_BODY,
        encoding="utf-8",
    )
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from policypress.cli import main

    project = _project(tmp_path_factory.mktemp("translated") / "p")
    assert main(["build", "--project", str(project)]) == 0
    return project / "build"


def _text(pdf: Path) -> str:
    """The PDF's text with each run of spaces and line breaks read as one space."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())


def _fonts(pdf: Path) -> dict[str, Any]:
    """Each font's name as the PDF gives it (subset prefix included) → its descriptor."""
    found = {}
    for page in PdfReader(pdf).pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            found[str(font["/BaseFont"])] = descriptor.get_object()
    return found


def _runs(pdf: Path, page: int) -> list[tuple[float, float, str]]:
    """Each run of text the page shows: (x, y, text), x from the page's left edge."""
    runs: list[tuple[float, float, str]] = []

    def visit(text: str, cm: Any, tm: Any, _font: Any, _size: Any) -> None:
        if text.strip():
            runs.append((tm[4] * cm[0] + cm[4], tm[5], text.strip()))

    PdfReader(pdf).pages[page].extract_text(visitor_text=visit)
    return runs


def _declared_languages(pdf: Path) -> set[tuple[str, str]]:
    """(structure type, /Lang) of each element of the PDF's structure tree that declares its
    language."""
    found = set()
    stack: list[Any] = [PdfReader(pdf).root_object["/StructTreeRoot"]]
    while stack:
        element = stack.pop().get_object()
        if "/Lang" in element:
            found.add((str(element.get("/S")), str(element["/Lang"])))
        kids = element.get("/K")
        kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
        stack += [kid for kid in kids if isinstance(kid.get_object(), dict)]
    return found


def _heading_order(pdf: Path, number: str) -> tuple[float, float]:
    """The x of a clause heading's number and of its title (the run after it on that line)."""
    reader_pages = len(PdfReader(pdf).pages)
    for page in range(reader_pages):
        runs = _runs(pdf, page)
        for index, (x, y, text) in enumerate(runs):
            if text == number and index + 1 < len(runs) and runs[index + 1][1] == y:
                return x, runs[index + 1][0]
    raise AssertionError(f"no heading {number} in {pdf}")


def test_each_translation_is_a_pdf_at_its_address_listed_in_the_manifest(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text())
    listed = {e["path"]: e for e in manifest["outputs"] if e["kind"] == "translated-policy-pdf"}
    assert set(listed) == {CY_PDF, UR_PDF}
    for path, language in ((CY_PDF, "cy"), (UR_PDF, "ur")):
        assert (built / path).is_file()
        entry = listed[path]
        assert entry["source"] == f"content/policies/internet-use/policy.{language}.md"
        assert (entry["policy"], entry["version"]) == ("internet-use", "1.1")
        assert entry["sha256"] == hashlib.sha256((built / path).read_bytes()).hexdigest()


def test_the_welsh_pdf_draws_the_welsh_clauses_in_order_in_welsh(built: Path) -> None:
    pdf = built / CY_PDF
    assert str(PdfReader(pdf).root_object["/Lang"]) == "cy"
    text = _text(pdf)
    clauses = [
        "1 Pwrpas",
        "Mae’r polisi hwn yn esbonio",
        "2 Rheolau",
        "2.1 I ddisgyblion",
        "Mae disgyblion yn dweud wrth oedolyn",
        "2.2 I staff",
        "Mae staff yn adrodd pryderon",
    ]
    body = text[text.find(clauses[1]) - len(clauses[0]) - 1 :]  # after the contents
    at = 0
    for clause in clauses:  # each after the one before
        at = body.find(clause, at)
        assert at >= 0, clause
    # the cover, in Welsh: the version it translates and its approval, who translated it
    assert "Polisi Defnyddio'r Rhyngrwyd" in text
    assert "Cyfieithiad o fersiwn" in text and "1.1, cymeradwywyd ar 14 Ionawr 2026" in text
    assert "Cyfieithwyd gan Gwasanaeth Cyfieithu Cyngor Sir" in text
    assert "Gwiriwyd gan Ms Rhian Evans" in text
    assert "https://minimal.example/cy/policies/internet-use/" in text
    for english in ("Version", "Translated by", "Contents", "Printed copies", "For pupils"):
        assert english not in text
    assert not any("Nastaliq" in name for name in _fonts(pdf))
    # left to right: a heading's number is left of its title
    number, title = _heading_order(pdf, "2.1")
    assert number < title


def test_the_urdu_pdf_is_right_to_left_with_noto_nastaliq_urdu_embedded(built: Path) -> None:
    pdf = built / UR_PDF
    reader = PdfReader(pdf)
    assert str(reader.root_object["/Lang"]) == "ur"
    fonts = _fonts(pdf)
    nastaliq = [name for name in fonts if re.fullmatch(r"/[A-Z]{6}\+Noto-Nastaliq-Urdu", name)]
    assert nastaliq, sorted(fonts)  # a subset (six-letter tag) of the regular face …
    assert "/FontFile2" in fonts[nastaliq[0]]  # … embedded in the file
    # No Urdu letter fell back to another Arabic font (the margins' words included).
    assert not any("Kufi" in name or "Naskh" in name for name in fonts), sorted(fonts)
    # Right to left: a heading's number (drawn first, at the start of the line) is right of
    # its title, near the right margin (18 mm = 51 pt from the right edge of an A4 page).
    width = float(reader.pages[0].mediabox.width)
    number, title = _heading_order(pdf, "2.1")
    assert number > title
    number_end = number + 20  # "2.1" in 11.5 pt is narrower than 20 pt
    assert width - 51 - 25 < number_end <= width - 51 + 25, (number, width)


def test_the_urdu_summary_says_so_and_links_where_the_rest_is(built: Path) -> None:
    pdf = built / UR_PDF
    text = _text(pdf)
    # the notice (its Latin-script address reads back whole)
    assert "https://minimal.example/policies/internet-use/" in text
    # only the clauses the summary translates: no English clause text is drawn
    for english in ("Staff report concerns", "Pupils tell a trusted adult", "For staff"):
        assert english not in text
    # a link to a clause the summary leaves out goes to the full policy on the website
    links = [
        str(annotation.get_object()["/A"].get("/URI"))
        for page in PdfReader(pdf).pages
        for annotation in page.get("/Annots") or []
        if "/A" in annotation.get_object()
    ]
    assert "https://minimal.example/policies/internet-use/#staff-rules" in links


def test_the_drawn_urdu_is_the_source_s_words_in_reading_order(tmp_path: Path) -> None:
    """The drawn check reads WeasyPrint's laid-out text boxes, which keep the source's
    characters in reading order (shaping and right-to-left reordering happen only when the
    glyphs are drawn): no presentation forms, so the word matcher needs no normalising."""
    import weasyprint

    from policypress.outputs.pdf.drawn import read_drawn

    project = Project.at(_project(tmp_path / "p"))
    content, diags = check(project)
    assert content is not None, [str(d) for d in diags.errors]
    env = create_environment(project.template_folders)
    (job,) = [j for j in plan_pdfs(project, content, env, diags, []) if j.path.endswith("-ur.pdf")]
    document = weasyprint.HTML(string=job.html, base_url=job.base_url.as_uri() + "/").render()
    drawn = read_drawn(document).drawn
    assert any(URDU_RULE in text for text in drawn)
    presentation_forms = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
    assert not any(presentation_forms.search(text) for text in drawn)
    expected = [sentence.text for sentence in job.expected]
    assert expected[0] == "1 مقصد"
    assert first_lost(expected, Words(drawn)) is None


def test_a_rebuild_writes_byte_identical_translated_pdfs(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policypress.cli import main

    before = {path: (built / path).read_bytes() for path in (CY_PDF, UR_PDF)}
    shutil.rmtree(built / ".cache" / "pdf")  # rendered again, not copied from the cache
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    assert main(["build", "--project", str(built.parent)]) == 0
    for path, pdf in before.items():
        assert (built / path).read_bytes() == pdf, path


def test_the_preview_has_the_translated_pdfs_too(built: Path) -> None:
    from policypress.cli import main

    assert main(["build", "--preview", "--project", str(built.parent)]) == 0
    for path in (CY_PDF, UR_PDF):
        # the same approved text, so the same PDF (the preview reuses the public build's)
        assert (built / "preview" / path).read_bytes() == (built / path).read_bytes()


def test_a_clause_changed_since_is_printed_in_approved_english_with_a_welsh_note(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """The Welsh translates 1.0; 1.1 changed the staff rules, printed in English."""
    project = _project(tmp_path / "p", welsh_version="1.0", welsh_sha256=SHA_1_0)
    result = run_cli("build", "--project", project)
    assert result.code == 0, result.err
    pdf = project / "build" / CY_PDF  # named by the newest approved version it shows
    text = _text(pdf)
    at = 0
    for shown in (
        "Mae disgyblion yn dweud wrth oedolyn",  # translated: 1.1 did not change it
        "2.2 For staff",
        "Mae cyfieithiad yr adran hon yn cael ei ddiweddaru",  # the note, in Welsh
        "Staff report concerns to the Designated Safeguarding Lead",
    ):
        at = text.find(shown, at)
        assert at >= 0, shown
    assert "Mae staff yn adrodd" not in text  # the translation of what changed is not shown
    # the English heading and text are tagged as English for a screen reader (the note is not)
    assert {("/H3", "en-GB"), ("/Div", "en-GB")} <= _declared_languages(pdf)
    assert not any(tag == "/P" for tag, _language in _declared_languages(pdf))
    assert "1.0, cymeradwywyd ar 3 Medi 2025" in text  # the version it translates
    manifest = json.loads((project / "build" / "manifest.json").read_text())
    (entry,) = [e for e in manifest["outputs"] if e["path"] == CY_PDF]
    assert entry["version"] == "1.1"


def _hiding(project: Path, clause: str) -> None:
    """A project template that hides one clause's text on the page (its HTML keeps it)."""
    template = project / "templates" / "pdf" / "translated-policy.html.j2"
    template.parent.mkdir(parents=True)
    original = (TEMPLATES / "pdf" / "translated-policy.html.j2").read_text(encoding="utf-8")
    hidden = f'.clause[data-clause-id="{clause}"] p {{ visibility: hidden; }}\n</style>'
    template.write_text(original.replace("</style>", hidden, 1), encoding="utf-8")


def test_a_template_that_hides_translated_text_fails_the_build_at_the_translation(
    tmp_path: Path, run_cli: RunCli
) -> None:
    project = _project(tmp_path / "p")
    _hiding(project, "staff-rules")
    result = run_cli("build", "--project", project)
    assert result.code != 0
    assert "Traceback" not in result.err
    # the sentence, at its line in the Welsh file (the heading is line 22, its text 24)
    welsh = project / POLICY / "policy.cy.md"
    line = welsh.read_text(encoding="utf-8").splitlines().index(WELSH_BODY.splitlines()[-1]) + 1
    assert f"content/policies/internet-use/policy.cy.md:{line}:1: " in result.err
    assert "does not print 'Mae staff yn adrodd pryderon" in result.err
    assert "the text is hidden" in result.err
    assert not (project / "build" / CY_PDF).exists()


def test_hidden_approved_english_in_a_translation_is_reported_at_the_policy(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """A clause being updated shows the approved English text: lost, it is named where the
    approved version's file has it."""
    project = _project(tmp_path / "p", welsh_version="1.0", welsh_sha256=SHA_1_0)
    _hiding(project, "staff-rules")
    result = run_cli("build", "--project", project)
    assert result.code != 0
    approved = (project / POLICY / "versions" / "1.1.md").read_text(encoding="utf-8")
    line = next(
        n for n, text in enumerate(approved.splitlines(), 1) if text.startswith("Staff report")
    )
    assert f"content/policies/internet-use/versions/1.1.md:{line}:1: " in result.err
    assert "-cy.pdf does not print 'Staff report concerns" in result.err
