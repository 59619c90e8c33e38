"""Translated agreement forms (agreements/<form>.<language>.md, issue 29): tied to the English
form's digest, checked against its groups, statements and fields, and published as a
fillable PDF in the language and, in the school's bilingual language, side by side."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from conftest import FIXTURES, RunCli, make_project
from pdftext import pdf_body_text, words
from policypress.build import check
from policypress.core.diagnostics import Diagnostics
from policypress.core.project import Project
from policypress.model import Content
from policypress.outputs.translatedforms import welsh_first

FORM = """---
title: Pupil Agreement
audience: ks2-pupils
layout: ks2
summary: Pupils sign this with a grown-up.
policies: [internet-use]
sign:
  - {id: name, label: My name}
  - {id: signature, label: Signature, kind: signature}
  - {id: date, label: Date, kind: date}
---

I read these promises with a grown-up at home.

## My promises {#my-promises}

- I will tell a trusted adult when something online worries me. LINK {icon=tell-adult}
- I will keep my password secret from my friends. {icon=lock}

## At home {#at-home}

- I will ask before I go online at home. {icon=ask-first}
""".replace("LINK", "[](internet-use#pupil-rules)")

WELSH_SIGN = "sign:\n  name: Fy enw\n  signature: Llofnod\n  date: Dyddiad\n"
WELSH_BODY = """
Darllenais yr addewidion hyn gydag oedolyn gartref.

## Fy addewidion {#my-promises}

- Bydda i'n dweud wrth oedolyn rydw i'n ymddiried ynddo pan fydd rhywbeth ar-lein yn fy
  mhoeni. [](internet-use#pupil-rules)
- Bydda i'n cadw fy nghyfrinair yn gyfrinach rhag fy ffrindiau. {icon=lock}

## Gartref {#at-home}

- Bydda i'n gofyn cyn mynd ar-lein gartref.
"""
WELSH_STATEMENTS = [
    "Bydda i'n dweud wrth oedolyn rydw i'n ymddiried ynddo pan fydd rhywbeth ar-lein yn fy mhoeni.",
    "Bydda i'n cadw fy nghyfrinair yn gyfrinach rhag fy ffrindiau.",
    "Bydda i'n gofyn cyn mynd ar-lein gartref.",
]
ENGLISH_STATEMENTS = [
    "I will tell a trusted adult when something online worries me.",
    "I will keep my password secret from my friends.",
    "I will ask before I go online at home.",
]
FORMS = Path("content/agreements")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project", FIXTURES / "minimal" / "content")
    school = root / "content" / "school.yml"
    school.write_text(school.read_text() + "translations: [cy, pl]\nbilingual: cy\n")
    (root / FORMS).mkdir()
    (root / FORMS / "pupils.md").write_text(FORM, encoding="utf-8")
    return root


def _checked(project: Path) -> tuple[Content | None, Diagnostics]:
    return check(Project.at(project))


def _digest(project: Path) -> str:
    content, diags = _checked(project)
    assert content is not None, [str(d) for d in diags.errors]
    (form,) = content.agreements
    assert len(form.digest) == 64
    return form.digest


def _translation(
    project: Path,
    *,
    name: str = "pupils.cy.md",
    sha256: str | None = None,
    sign: str = WELSH_SIGN,
    body: str = WELSH_BODY,
    extra: str = "",
) -> Path:
    path = project / FORMS / name
    path.write_text(
        "---\n"
        "translates:\n"
        f"  sha256: {sha256 or _digest(project)}\n"
        "title: Cytundeb Disgyblion\n"
        "summary: Mae disgyblion yn llofnodi hwn gydag oedolyn.\n"
        "translated_by: Gwasanaeth Cyfieithu Cyngor Sir\n"
        f"{extra}{sign}"
        "---\n" + body,
        encoding="utf-8",
    )
    return path


def _messages(diags: Diagnostics, *, errors: bool = True) -> list[str]:
    return [str(d) for d in (diags.errors if errors else diags.warnings)]


def _about(diags: Diagnostics, name: str, *, errors: bool = True) -> list[str]:
    return [m for m in _messages(diags, errors=errors) if name in m]


def test_a_translated_form_is_read_and_published_in_its_language(project: Path) -> None:
    _translation(project, extra="checked_by: Ms Rhian Evans\n")
    content, diags = _checked(project)
    assert content is not None, _messages(diags)
    assert not _about(diags, "pupils.cy.md", errors=False)
    (welsh,) = content.translations_of_agreement("pupils")
    assert (welsh.language, welsh.title, welsh.checked_by) == (
        "cy",
        "Cytundeb Disgyblion",
        "Ms Rhian Evans",
    )
    assert welsh.sign_labels == {"name": "Fy enw", "signature": "Llofnod", "date": "Dyddiad"}
    form = welsh.applied_to(content.agreements[0])
    # The English form's fields, pictures and stamp; the translation's words and place.
    assert [(line.id, line.kind, line.label) for line in form.sign] == [
        ("name", "text", "Fy enw"),
        ("signature", "signature", "Llofnod"),
        ("date", "date", "Dyddiad"),
    ]
    assert [s.text.strip().replace("’", "'") for s in form.statements] == WELSH_STATEMENTS
    assert [s.icon for s in form.statements] == ["tell-adult", "lock", "ask-first"]
    assert form.digest == content.agreements[0].digest
    assert form.source.name == "pupils.cy.md"


def test_each_mismatch_with_the_english_form_is_reported_at_its_place_in_one_run(
    project: Path,
) -> None:
    body = """
Darllenais yr addewidion hyn.

## Fy addewidion {#my-promise}

- Un. {icon=lock}

## Gartref {#at-home}

- Bydda i'n gofyn. [](internet-use#staff-rules)

## Mwy {#more}

- Ychwanegol.
"""
    _translation(project, sign="sign:\n  name: Fy enw\n  signatur: Llofnod\n", body=body)
    content, diags = _checked(project)
    assert content is None
    found = _about(diags, "pupils.cy.md")
    prefix = "content/agreements/pupils.cy.md:"
    expected = [
        # the group id where the English has another (line 14, after '## Fy addewidion {#')
        (
            f"{prefix}14:18: ",
            "group 'my-promise' is where the English form has group 'my-promises'",
        ),
        (f"{prefix}20:", "the English form does not cite this clause"),
        (f"{prefix}22:", "group 'more' is one more than the English form has (2)"),
        (f"{prefix}9:3: ", "signing line 'signatur' is not one of the English form's"),
        (f"{prefix}7:1: ", "sign: no text for signature, date"),
    ]
    for start, words_ in expected:
        assert any(m.startswith(start) and words_ in m for m in found), (start, found)
    assert "did you mean 'my-promises'?" in next(m for m in found if "my-promise'" in m)
    assert "did you mean 'signature'?" in next(m for m in found if "'signatur'" in m)
    assert not any("Traceback" in m for m in found)


def test_a_statement_count_that_differs_names_both_counts(project: Path) -> None:
    body = WELSH_BODY.replace("- Bydda i'n cadw fy nghyfrinair", "Bydda i'n cadw fy nghyfrinair")
    _translation(project, body=body)
    _content, diags = _checked(project)
    (message,) = _about(diags, "pupils.cy.md")
    assert message.startswith("content/agreements/pupils.cy.md:15:18: ")
    assert "group 'my-promises' has 1 statement, but the English form's has 2" in message


def test_a_different_picture_is_refused(project: Path) -> None:
    _translation(project, body=WELSH_BODY.replace("{icon=lock}", "{icon=kind}"))
    _content, diags = _checked(project)
    (message,) = _about(diags, "pupils.cy.md")
    assert message.startswith("content/agreements/pupils.cy.md:19:1: ")
    assert "picture 'kind' is not the English statement's ('lock')" in message


def test_problems_of_the_files_themselves_are_collected_in_one_run(project: Path) -> None:
    no_id = WELSH_BODY.replace("## Gartref {#at-home}", "## Gartref")
    _translation(project, body=no_id)
    _translation(project, name="pupils.xx.md", sha256="a" * 64)
    _translation(project, name="pupils.c1.md", sha256="a" * 64)
    _translation(project, name="leavers.cy.md", sha256="a" * 64)
    _translation(project, name="pupils.fr.md", sha256="a" * 64)
    content, diags = _checked(project)
    assert content is None
    errors = _messages(diags)
    assert any(
        m.startswith("content/agreements/pupils.cy.md:21:1: ")
        and "heading 'Gartref' has no id" in m
        for m in errors
    ), errors
    (unknown,) = _about(diags, "pupils.xx.md")
    assert "'xx' in the file name is not a language the site can publish in" in unknown
    (shape,) = _about(diags, "pupils.c1.md")
    assert "'c1' in the file name is not a language code" in shape
    (orphan,) = _about(diags, "leavers.cy.md", errors=False)
    assert "there is no form 'leavers'" in orphan and "not published" in orphan
    # French is a language the site can publish in, but school.yml does not list it.
    (unlisted,) = _about(diags, "pupils.fr.md", errors=False)
    assert "'fr' is not among the translations school.yml lists (cy, pl)" in unlisted


def test_a_translation_of_an_older_english_form_is_not_published(
    project: Path, run_cli: RunCli
) -> None:
    old = _digest(project)
    _translation(project, sha256=old)
    english = project / FORMS / "pupils.md"
    english.write_text(FORM.replace("at home.\n", "at home and at school.\n"), encoding="utf-8")
    content, diags = _checked(project)
    assert content is not None, _messages(diags)
    assert content.translations_of_agreement("pupils") == []
    (warning,) = _about(diags, "pupils.cy.md", errors=False)
    now = content.agreements[0].digest
    assert warning.startswith("content/agreements/pupils.cy.md:3:11: warning: ")
    assert f"with sha256 {old[:12]}…, but the English form changed since" in warning
    assert f"its sha256 is now {now}" in warning
    assert "not published until the translation is updated" in warning
    result = run_cli("build", "--project", project, "--out", project / "out")
    assert result.code == 0, result.err
    kinds = {f["kind"] for f in json.loads((project / "out/manifest.json").read_text())["outputs"]}
    assert "agreement-pdf" in kinds
    assert not kinds & {"translated-agreement-pdf", "bilingual-agreement-pdf"}
    assert not list((project / "out").rglob("pupils-*.pdf"))


def _placed_text(path: Path) -> list[tuple[int, float, float, str]]:
    """Each piece of text the PDF draws: (page, x, y, text)."""
    placed = []
    for number, page in enumerate(PdfReader(path).pages):

        def keep(text: str, cm: list[float], tm: list[float], *_: object) -> None:
            if text.strip():
                x = cm[4] + tm[4] * cm[0]
                y = cm[5] + tm[5] * cm[3]
                placed.append((number, x, y, text))  # noqa: B023 - called right away

        page.extract_text(visitor_text=keep)
    return placed


def _in_order(expected: list[str], text: str) -> bool:
    found = " ".join(words(text))
    position = 0
    for sentence in expected:
        at = found.find(" ".join(words(sentence)), position)
        if at < 0:
            return False
        position = at
    return True


def _field_names(path: Path) -> list[str]:
    root: Any = PdfReader(path).trailer["/Root"]
    return [str(ref.get_object().get("/T")) for ref in root["/AcroForm"]["/Fields"]]


@pytest.mark.slow
def test_the_translated_and_bilingual_forms_are_built(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    _translation(project)
    result = run_cli("build", "--project", project, "--out", tmp_path / "one")
    assert result.code == 0, result.err
    site = tmp_path / "one" / "site"
    welsh = site / "cy/forms/pupils/pupils-cy.pdf"
    both = site / "forms/pupils/pupils-bilingual-cy.pdf"
    manifest = json.loads((tmp_path / "one/manifest.json").read_text())
    kinds = {f["path"]: f["kind"] for f in manifest["outputs"]}
    assert kinds["site/cy/forms/pupils/pupils-cy.pdf"] == "translated-agreement-pdf"
    assert kinds["site/forms/pupils/pupils-bilingual-cy.pdf"] == "bilingual-agreement-pdf"

    # The Welsh form: its statements in order, its interface in Welsh, its fields.
    text = pdf_body_text(welsh)
    assert _in_order(["Cytundeb Disgyblion", "Fy addewidion", *WELSH_STATEMENTS], text), text
    assert not any(s.split()[2] in text for s in ENGLISH_STATEMENTS)
    assert "Ffurflen pupils" in text  # the stamp's "Form pupils, sha256 …" in Welsh
    assert sorted(_field_names(welsh)) == ["date", "name", "signature"]
    assert PdfReader(welsh).metadata is not None

    # The bilingual form: each language's statements in order, Welsh in the left column on
    # the same line as the English, one set of fields labelled in both languages.
    text = pdf_body_text(both)
    assert _in_order(WELSH_STATEMENTS, text) and _in_order(ENGLISH_STATEMENTS, text), text
    placed = _placed_text(both)
    # The typographer prints apostrophes curled.
    for welsh_start, english_start in (
        ("Bydda i’n cadw", "I will keep"),
        ("Bydda i’n gofyn", "I will ask"),
    ):
        [(page, welsh_x, welsh_y, _w)] = [p for p in placed if p[3].startswith(welsh_start)]
        [(page2, english_x, english_y, _e)] = [p for p in placed if p[3].startswith(english_start)]
        assert page == page2 and abs(welsh_y - english_y) < 1, (welsh_start, placed)
        assert welsh_x < english_x
    assert sorted(_field_names(both)) == ["date", "name", "signature"]
    assert "Fy enw / My name" in text
    html = re.sub(r"\s+", " ", (site / "forms/pupils/index.html").read_text())
    assert 'hreflang="cy"' in html and 'Also in <span lang="cy">Cymraeg</span> (PDF)' in html
    assert "Also side by side in Cymraeg / English (PDF)" in html

    # Deterministic: a second build into another folder (so with its own, empty PDF cache)
    # renders the same bytes.
    assert not (tmp_path / "two").exists()
    result = run_cli("build", "--project", project, "--out", tmp_path / "two")
    assert result.code == 0, result.err
    again = tmp_path / "two" / "site"
    for pdf in (welsh, both):
        assert (again / pdf.relative_to(site)).read_bytes() == pdf.read_bytes()


def test_welsh_is_the_first_column_whenever_a_bilingual_form_is_in_welsh() -> None:
    assert welsh_first("en-GB", "cy")  # an English school's Welsh form: Welsh on the left
    assert not welsh_first("cy", "en")  # a Welsh-medium school's: its own Welsh first already
    assert not welsh_first("en-GB", "pl")  # no Welsh: the main language first
