"""`policypress import`: each tests/fixtures/import/<case>/ holds a source document beside
what importing it must give: the clause outline (expected.outline: number, id, title), the
legacy history entries (expected-history.yml) and the import report's lines
(expected-report.txt, placeholders included); a case's school.yml, if any, names the
importing school."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, RunCli, make_project
from policypress.content.policy import build_clauses
from policypress.core.diagnostics import Diagnostics
from policypress.importer import DraftExists, ImportRefused, convert, write_draft
from policypress.importer.dates import parse_date
from policypress.importer.headings import hand_number
from policypress.importer.writer import body_markdown, history_yaml, policy_markdown
from policypress.model import Clause
from policypress.source.markdown import create_parser, parse_body

CASES = FIXTURES / "import"
# Every folder under tests/fixtures/import/ holding one ``policy.<suffix>`` is a case.
IMPORTABLE = (".docx", ".odt", ".txt", ".html", ".md")
SOURCES = {
    folder.name: source.name
    for folder in sorted(CASES.iterdir())
    for source in sorted(folder.glob("policy.*"))
    if source.suffix in IMPORTABLE
}
# Set to 1 to rewrite each case's expected files from what the importer gives now (review
# the diff before committing it: the expected files are the specification).
REGENERATE = os.environ.get("POLICYPRESS_REGENERATE_FIXTURES") == "1"


def outline(markdown: str, source: Path) -> tuple[list[str], Diagnostics]:
    """The clause outline our own parser reads from an imported body."""
    diags = Diagnostics(source.parent)
    clauses = build_clauses(parse_body(create_parser(), markdown), source, 1, diags)

    def walk(items: tuple[Clause, ...]) -> list[str]:
        return [f'{c.label} {c.id} "{c.title}"' for top in items for c in top.walk()]

    return walk(clauses), diags


def case_school_name(folder: Path) -> str:
    """The importing school's name, from the case's school.yml if it has one (as `import`
    reads it from content/school.yml)."""
    path = folder / "school.yml"
    return str(yaml.safe_load(path.read_text())["name"]) if path.is_file() else ""


@pytest.mark.parametrize("case", sorted(SOURCES))
def test_import_gives_the_expected_outline_history_and_report(case: str) -> None:
    folder = CASES / case
    doc = convert(folder / SOURCES[case], case_school_name(folder))
    lines, diags = outline(body_markdown(doc), folder / "policy.md")
    if REGENERATE:
        (folder / "expected.outline").write_text("".join(f"{line}\n" for line in lines))
        (folder / "expected-history.yml").write_text(history_yaml(doc))
        (folder / "expected-report.txt").write_text(
            "".join(f"{line}\n" for line in doc.report.lines())
        )
    assert not diags.errors, [str(e) for e in diags.errors]
    # No heading keeps a hand number and every heading has its id: no such warnings.
    assert not [w for w in diags.warnings if "hand-typed" in str(w) or "no explicit id" in str(w)]
    assert lines == (folder / "expected.outline").read_text().splitlines()
    expected_history = yaml.safe_load((folder / "expected-history.yml").read_text())
    assert yaml.safe_load(history_yaml(doc)) == expected_history
    assert doc.report.lines() == (folder / "expected-report.txt").read_text().splitlines()
    reported = [line.split("'")[1] for line in doc.report.lines() if ": placeholder: '" in line]
    assert doc.placeholders == reported


def test_bold_headings_document_in_detail() -> None:
    """The messy Word case: the page-broken list is one list, the hard-wrapped paragraph one
    paragraph, cross-references are links, the contents list and signature lines are gone."""
    doc = convert(CASES / "docx-bold" / "policy.docx")
    body = body_markdown(doc)
    assert (
        "- lock the screen when they step away;\n- keep it out of sight in a car;\n"
        "- never lend it to family members." in body
    )
    assert "Concerns are always reported as set out in [section 4](#reporting-a-concern), and" in (
        body
    )
    assert "(see [paragraph 2.1](#the-headteacher) for who reviews it)" in body
    assert "Part one of KCSIE" in body  # a citation of another document is left alone
    assert "| • Ask before you download anything. • Tell an adult if something upsets you. |" in (
        body
    )
    assert '![to-confirm](images/image-1.png "How to report a concern")' in body
    for gone in ("Contents", "Signed", "Print name", "Review sheet", "Wexshire County"):
        assert gone not in body
    front = yaml.safe_load(policy_markdown(doc).split("---\n")[1])
    assert front == {
        "title": "Online Safety and Acceptable Use Policy",
        "summary": "to-confirm",
        "owner": "to-confirm",
        "audiences": ["pupils", "staff", "governors", "visitors"],
        "review_cycle_months": 12,
        "next_review": dt.date(2024, 1, 1),
        "source": {
            "title": "Wexshire County Council model online safety policy",
            "publisher": "Wexshire County Council",
            "version": "2.3",
            "date": "July 2019",
        },
    }


def test_write_draft_writes_the_files_and_refuses_to_overwrite(tmp_path: Path) -> None:
    doc = convert(CASES / "docx-bold" / "policy.docx")
    written = write_draft(doc, tmp_path, "online-safety")
    folder = tmp_path / "policies" / "online-safety"
    assert sorted(p.relative_to(folder).as_posix() for p in written) == [
        "IMPORT-REPORT.md",
        "history.yml",
        "images/image-1.png",
        "policy.md",
        "proposed-agreements/staff-agreement.md",
    ]
    assert (folder / "images" / "image-1.png").read_bytes() == (
        CASES / "docx-bold" / "chart.png"
    ).read_bytes()
    assert "&" not in (folder / "history.yml").read_text()  # no YAML anchors or aliases
    form = (folder / "proposed-agreements" / "staff-agreement.md").read_text()
    front = yaml.safe_load(form.split("---\n")[1])
    assert front["audience"] == "staff" and front["policies"] == ["online-safety"]
    assert [s["kind"] for s in front["sign"]] == ["signature", "date", "text"]
    assert "- I will keep my passwords private. [](online-safety#staff-agreement)" in form
    report = (folder / "IMPORT-REPORT.md").read_text()
    assert "table 2, row 3: to confirm: approver of version 2" in report
    with pytest.raises(DraftExists):
        write_draft(doc, tmp_path, "online-safety")
    (folder / "policy.md").write_text("edited")
    write_draft(doc, tmp_path, "online-safety", force=True)
    assert (folder / "policy.md").read_text().startswith("---\ntitle: Online Safety")


def test_plain_text_saved_by_windows_is_read(tmp_path: Path) -> None:
    source = tmp_path / "policy.txt"
    source.write_bytes(
        "1 Purpose\n\nPupils\x92 devices are checked \x96 every term.\n".encode("latin-1")
    )
    doc = convert(source)
    assert "Pupils’ devices are checked – every term." in body_markdown(doc)
    assert "document: inferred: not UTF-8: read as Windows-1252 text" in doc.report.lines()


def test_cli_imports_into_a_project_and_prints_the_report(tmp_path: Path, run_cli: RunCli) -> None:
    project = make_project(tmp_path, FIXTURES / "minimal" / "content")
    source = CASES / "txt" / "policy.txt"
    result = run_cli("import", source, "--slug", "online-safety", "--project", project)
    assert result.code == 0, result.err
    folder = project / "content" / "policies" / "online-safety"
    for name in ("policy.md", "history.yml", "IMPORT-REPORT.md"):
        assert (folder / name).is_file()
    printed = result.out.splitlines()
    expected = (CASES / "txt" / "expected-report.txt").read_text().splitlines()
    # The case has no school.yml; this project's school.yml names Minimal Test School, so
    # Brackenwood's name is another school's: reported, and left in the title to be seen.
    other = [line for line in printed if "Brackenwood" in line]
    assert [line for line in printed if "Brackenwood" not in line][
        : len([line for line in expected if "Brackenwood" not in line])
    ] == [line for line in expected if "Brackenwood" not in line]
    assert any(
        "placeholder: another school's name 'Brackenwood Nursery and Infant School' "
        "(not Minimal Test School)" in line
        for line in other
    )
    assert not any("taken off the title" in line for line in other)
    assert "Imported policy.txt" in result.out and "IMPORT-REPORT.md" in result.out
    again = run_cli("import", source, "--slug", "online-safety", "--project", project)
    assert again.code == 1
    assert "exists already" in again.err and "--force" in again.err
    bad = run_cli("import", source, "--slug", "Online Safety", "--project", project)
    assert bad.code == 2 and "not a valid slug" in bad.err


def test_the_first_import_creates_the_content_folder(tmp_path: Path, run_cli: RunCli) -> None:
    source = CASES / "md" / "policy.md"
    result = run_cli("import", source, "--project", tmp_path)
    assert result.code == 0, result.err
    assert (tmp_path / "content/policies/mobile-phones-and-devices-policy/policy.md").is_file()


@pytest.mark.builds
def test_every_imported_draft_passes_check_and_builds(tmp_path: Path, run_cli: RunCli) -> None:
    project = make_project(tmp_path, FIXTURES / "minimal" / "content")
    for case, name in SOURCES.items():
        code = run_cli("import", CASES / case / name, "--slug", case, "--project", project).code
        assert code == 0
    result = run_cli("check", "--project", project)
    assert result.code == 0, result.err
    assert "to confirm" in result.err
    # and the preview (where drafts are shown) builds, every imported policy on it
    built = run_cli("build", "--preview", "--project", project)
    assert built.code == 0, built.err
    site = project / "build" / "preview" / "site" / "policies"
    assert {case for case in SOURCES if (site / case / "index.html").is_file()} == set(SOURCES)


def test_refuses_what_it_cannot_import(tmp_path: Path, run_cli: RunCli) -> None:
    with pytest.raises(ImportRefused, match="not a regular file"):
        convert(tmp_path)
    pdf = tmp_path / "policy.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    with pytest.raises(ImportRefused, match=r"cannot import a '\.pdf' file"):
        convert(pdf)
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ImportRefused, match=r"not a Word \(\.docx\) file"):
        convert(broken)
    bomb = tmp_path / "bomb.docx"  # 201 MB of zeros in a zip of about 200 KB
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", bytes(201_000_000))
    with pytest.raises(ImportRefused, match="unpacks to 201,000,000 bytes; expected at most"):
        convert(bomb)
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    with pytest.raises(ImportRefused, match="no text found"):
        convert(empty)
    project = make_project(tmp_path / "p", FIXTURES / "minimal" / "content")
    result = run_cli("import", pdf, "--project", project)
    assert result.code == 1 and "policy.pdf" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize(
    ("text", "given", "day", "rest"),
    [
        ("03/02/21", "2021-02-03", dt.date(2021, 2, 3), ""),
        ("Spring 2024", "Spring 2024", None, ""),
        ("Autumn term 2020", "Autumn term 2020", None, ""),
        ("2020-Review 2023", "2020", None, "Review 2023"),
        ("July 2019", "July 2019", None, ""),
        ("SEPTEMBER 2024", "September 2024", None, ""),
        ("Sept 2019", "Sept 2019", None, ""),
        ("4th March 2021", "2021-03-04", dt.date(2021, 3, 4), ""),
    ],
)
def test_dates_as_policies_write_them(
    text: str, given: str, day: dt.date | None, rest: str
) -> None:
    parsed = parse_date(text, search=True)
    assert parsed is not None
    assert (parsed.given, parsed.day, parsed.rest) == (given, day, rest)


def test_a_date_that_does_not_exist_is_not_read() -> None:
    assert parse_date("31/02/21") is None
    assert parse_date("Reviewed when needed") is None


@pytest.mark.parametrize(
    ("title", "kind", "number", "rest"),
    [
        ("1. Purpose", "numeric", "1", "Purpose"),
        ("2.3.1 Logs", "numeric", "2.3.1", "Logs"),
        ("Section 4: Reporting", "numeric", "4", "Reporting"),
        ("a) Training", "letter", "a", "Training"),
        ("(b) Email", "letter", "b", "Email"),
        ("C. Visitors", "letter", "c", "Visitors"),
        ("(i) Phones", "roman", "i", "Phones"),
        ("iv. Monitoring", "roman", "iv", "Monitoring"),
        ("Appendix A: Staff agreement", "appendix", "Appendix A", "Staff agreement"),
    ],
)
def test_hand_numbers(title: str, kind: str, number: str, rest: str) -> None:
    found = hand_number(title)
    assert found is not None
    assert (found.kind, found.number, found.rest) == (kind, number, rest)


def test_a_title_without_a_number_has_none() -> None:
    assert hand_number("Internet use will enhance learning") is None
    assert hand_number("2024 was a busy year") is None
