"""Variables in policy text ({{ school.name }}, {{ contact.dsl.email }}, …) show the school's
values in every output, as text, while the approved text keeps the variable: a new DSL or a
renamed school needs no new approval."""

from __future__ import annotations

import html
from pathlib import Path

import docx
import pytest

from conftest import FIXTURES, RunCli, make_project
from injection import markup_in
from pdftext import pdf_body_text
from policypress.model.variables import Variables
from policypress.source.markdown import create_parser, parse_body

POLICY = "content/policies/contacts-policy"
SCHOOL = "Hollybrook & Vale Primary School"
# Every value the fixture's policy shows through a variable, as a reader sees it.
VALUES = (
    SCHOOL,
    "Designated Safeguarding Lead",
    "Ruth Okafor",
    "safeguarding@hollybrook-vale.example",
    "01632 960722",
    "4 Orchard Row, Hollybrook, HB3 9QT",
    "https://hollybrook-vale.example/",
    "Headteacher",
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, FIXTURES / "variables" / "content")


def _build(project: Path, run_cli: RunCli) -> Path:
    result = run_cli("build", "--project", project)
    assert result.code == 0, result.err
    return project / "build" / "site"


def _page_text(path: Path) -> str:
    return " ".join(html.unescape(path.read_text(encoding="utf-8")).split())


def _pdf_text(path: Path) -> str:
    return " ".join(pdf_body_text(path).split())


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    return " ".join(" ".join(p.text for p in document.paragraphs).split())


def test_the_fixture_uses_every_variable_and_checks_clean(project: Path, run_cli: RunCli) -> None:
    text = (project / POLICY / "policy.md").read_text(encoding="utf-8")
    for key in ("school.name", "school.address", "school.website", "contact.dsl.phone"):
        assert "{{ " + key + " }}" in text
    result = run_cli("check", "--project", project)
    assert result.code == 0, result.err
    assert "warning" not in result.err  # a variable is not an unfilled placeholder


@pytest.mark.builds
def test_every_output_shows_the_schools_values(project: Path, run_cli: RunCli) -> None:
    site = _build(project, run_cli)
    page = _page_text(site / "policies/contacts-policy/index.html")
    pdf = _pdf_text(site / "policies/contacts-policy/contacts-policy-v1.0.pdf")
    form_page = _page_text(site / "forms/staff/index.html")
    form_pdf = _pdf_text(site / "forms/staff/staff.pdf")
    search = html.unescape((site / "search/search_index.json").read_text(encoding="utf-8"))
    for shown in (page, pdf):
        for value in VALUES:
            assert value in shown
        assert f"1 Reporting at {SCHOOL}" in shown  # a variable in a clause title
        assert "{{ school.name }}" in shown  # written in code: not a variable
        assert "{{school.name}}" not in shown and "{{ contact" not in shown
    # The form quotes clause 1, whose text holds variables, and has one of its own.
    for shown in (form_page, form_pdf):
        assert f"I sign this form for {SCHOOL}." in shown
        assert "Tell the Designated Safeguarding Lead, Ruth Okafor, in person" in shown
        assert "{{" not in shown
    assert "Ruth Okafor" in search and "{{ contact" not in search

    word = project / "build/word/contacts-policy.docx"
    exported = run_cli("export-docx", "contacts-policy", "--project", project, "--out", word)
    assert exported.code == 0, exported.err
    text = _docx_text(word)
    for value in VALUES:
        assert value in text
    assert f"Reporting at {SCHOOL}" in text
    assert "{{ contact" not in text and "{{ school.name }}" in text  # the code span


def test_the_approved_text_keeps_the_variables(project: Path) -> None:
    snapshot = (project / POLICY / "versions/1.0.md").read_text(encoding="utf-8")
    assert "## Reporting at {{ school.name }} {#reporting}" in snapshot
    assert "{{ contact.dsl.phone }}" in snapshot
    assert SCHOOL not in snapshot and "Ruth Okafor" not in snapshot


@pytest.mark.builds
def test_a_new_dsl_changes_the_outputs_without_approval(project: Path, run_cli: RunCli) -> None:
    """The new name carries markup too: it shows as text on the page and in the PDF."""
    new_name = 'Dev <b data-pp-xss="1">Mistry</b>'
    school = project / "content/school.yml"
    history = (project / POLICY / "history.yml").read_text(encoding="utf-8")
    school.write_text(
        school.read_text(encoding="utf-8").replace("Ruth Okafor", f"'{new_name}'"),
        encoding="utf-8",
    )
    checked = run_cli("check", "--project", project)
    assert checked.code == 0, checked.err
    site = _build(project, run_cli)
    raw = (site / "policies/contacts-policy/index.html").read_text(encoding="utf-8")
    assert markup_in(raw) == []
    page = _page_text(site / "policies/contacts-policy/index.html")
    pdf = _pdf_text(site / "policies/contacts-policy/contacts-policy-v1.0.pdf")
    for shown in (page, pdf):
        assert f"Tell the Designated Safeguarding Lead, {new_name}, in person" in shown
        assert "Ruth Okafor" not in shown
    assert "DRAFT" not in page  # still the approved version 1.0, not a draft
    assert (project / POLICY / "history.yml").read_text(encoding="utf-8") == history


def test_a_variables_column_is_where_its_braces_are() -> None:
    text = "## T {#t}\n\n> Quoted {{ school.name }} and\n> - {{ x.y }} in a list\n"
    found = parse_body(create_parser(), text, {"school.name": "S"}).variables
    lines = text.split("\n")
    assert [(v.key, v.known) for v in found] == [("school.name", True), ("x.y", False)]
    for variable in found:
        line = lines[variable.line - 1]
        assert line[variable.col - 1 :].startswith(variable.written)


def test_values_come_from_the_school_and_a_trust() -> None:
    from policypress.model import Contact, School

    school = School(
        "A School",
        ("1 Road", "Town"),
        "primary",
        "https://a.example/",
        "en-GB",
        (Contact("dsl", "DSL", "d@a.example"),),
        "#1b4d7a",
        "#8a3b00",
        None,
        False,
    )
    single = Variables.for_school(school)
    assert single["school.address"] == "1 Road, Town"
    assert "contact.dsl.phone" not in single and "trust.name" not in single

    class Trust:
        name = "Oak Trust"
        contacts = (Contact("ceo", "Chief Executive", "ceo@oak.example"),)

    assert Variables.for_school(school, Trust())["trust.name"] == "Oak Trust"
    model = Variables.for_model(Trust())
    assert model["school.name"] == "[school name]" and "contact.ceo.role" in model
