"""``import FILE --translation-of SLUG --language CODE`` (issue 29): a translated document's
sections placed on the approved clauses by order and structure, never by words; and the Word
export of a translation (``export-docx --language``) that comes back the same.

Each translated document is written here in Markdown and made a Word file by pandoc, the way
a translator's Word file arrives: its headings in Word's heading styles, numbered or not.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import docx
import pypandoc
import pytest
import yaml

from conftest import FIXTURES, REPO, RunCli, make_project
from policypress.build import check
from policypress.core.project import Project
from policypress.importer.placing import Place, Shape, place

SLUG = "internet-use"
SHA_1_1 = "9687b3647730b73d0e8969cb67dc94914998526ef21c5dee0256b20d758e5a1b"
SHA_1_0_TEXT = "3772c1e87b88ebc7d9a8678e51e6346ab220a3b05c9f57fe1fb771ef2b5fda79"
WELSH = Path("content/policies/internet-use/policy.cy.md")
TRANSLATOR = "Gwasanaeth Cyfieithu Cyngor Sir"
PURPOSE = "Mae'r polisi hwn yn esbonio sut mae'r ysgol yn cadw defnydd o'r rhyngrwyd yn ddiogel."
PUPILS = "Mae disgyblion yn dweud wrth oedolyn y maent yn ymddiried ynddo."
STAFF = "Mae staff yn adrodd pryderon i'r Arweinydd Dynodedig Diogelu."


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project", FIXTURES / "minimal" / "content")
    school = root / "content" / "school.yml"
    school.write_text(school.read_text() + "translations: [cy, pl]\n")
    return root


def word_file(folder: Path, markdown: str, name: str = "cyfieithiad.docx") -> Path:
    """``markdown`` as a Word file, its headings in Word's heading styles."""
    target = folder / name
    pypandoc.convert_text(markdown, "docx", format="markdown", outputfile=str(target))
    return target


def welsh(
    *,
    purpose: str = "## Pwrpas",
    rules: str = "## Rheolau",
    pupils: str | None = "### I ddisgyblion",
    staff: str | None = "### I staff",
    extra: str = "",
) -> str:
    parts = ["# Polisi Defnyddio'r Rhyngrwyd", purpose, PURPOSE, rules]
    if pupils is not None:
        parts += [pupils, PUPILS]
    if staff is not None:
        parts += [staff, STAFF]
    return "\n\n".join(parts) + "\n" + extra


def import_welsh(
    run_cli: RunCli, project: Path, document: Path, *extra: str, language: str = "cy"
) -> tuple[int, str, str]:
    result = run_cli(
        "import",
        document,
        "--translation-of",
        SLUG,
        "--language",
        language,
        "--translated-by",
        TRANSLATOR,
        "--project",
        project,
        *extra,
    )
    return result.code, result.out, result.err


def front_and_ids(path: Path) -> tuple[dict[str, object], list[str]]:
    text = path.read_text(encoding="utf-8")
    _start, front, body = text.split("---\n", 2)
    ids = [
        line.rsplit("{#", 1)[1].rstrip("}") for line in body.splitlines() if line.startswith("#")
    ]
    return yaml.safe_load(front), ids


def check_errors(project: Path) -> list[str]:
    _content, diags = check(Project.at(project), "preview")
    return [str(d) for d in diags.errors] + [
        str(d) for d in diags.warnings if "policy.cy.md" in str(d)
    ]


def test_the_same_structure_places_every_clause_and_passes_check(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    code, out, err = import_welsh(run_cli, project, word_file(tmp_path, welsh()))
    assert code == 0, err
    front, ids = front_and_ids(project / WELSH)
    assert front == {
        "translates": {"version": "1.1", "sha256": SHA_1_1},
        "title": "Polisi Defnyddio’r Rhyngrwyd",
        "translated_by": TRANSLATOR,
        "scope": "full",
    }
    assert ids == ["purpose", "rules", "pupil-rules", "staff-rules"]
    assert "heading 'I staff' (section 4 of the document): placed as 2.2 For staff" in out
    assert "4 of the 4 clauses of internet-use version 1.1 placed (scope: full)" in out
    assert check_errors(project) == []
    content, _diags = check(Project.at(project), "preview")
    assert content is not None
    (translation,) = content.translations_of(SLUG)
    staff = translation.clause("staff-rules")
    assert staff is not None and staff.title == "I staff" and translation.is_current


def test_an_extra_section_is_reported_with_its_heading_and_nothing_is_written(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    extra = "\n## Cwestiynau cyffredin\n\n- Un\n- Dau\n- Tri\n"
    code, out, err = import_welsh(run_cli, project, word_file(tmp_path, welsh(extra=extra)))
    assert code == 1
    assert (
        "heading 'Cwestiynau cyffredin' (section 5 of the document): not placed: no clause of "
        "version 1.1 of internet-use is in its place" in out
    )
    assert "placed as 2.2 For staff (#staff-rules)" in out  # the rest is still placed
    assert "not written" in err and "--summary" in err
    assert not (project / WELSH).exists()


def test_an_extra_section_in_the_middle_is_told_apart_by_its_shape(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    # a section of three list items between 'Pwrpas' and 'Rheolau': the shape says which
    # level-1 section of the document has no counterpart
    document = welsh(
        purpose="## Pwrpas", rules="## Diffiniadau\n\n- Un\n- Dau\n- Tri\n\n## Rheolau"
    )
    code, out, _err = import_welsh(run_cli, project, word_file(tmp_path, document))
    assert code == 1
    assert "heading 'Diffiniadau' (section 2 of the document): not placed" in out
    assert "heading 'Rheolau' (section 3 of the document): placed as 2 Rules" in out


def test_a_missing_subsection_is_ambiguous_without_numbers_and_exact_with_them(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    # 'I staff' left out: both subsections have one paragraph, so the structure cannot say
    # which one the remaining subsection translates
    code, out, _err = import_welsh(run_cli, project, word_file(tmp_path, welsh(staff=None)))
    assert code == 1
    assert (
        "heading 'I ddisgyblion' (section 3 of the document): not placed: it could be "
        "2.1 For pupils (#pupil-rules) or 2.2 For staff (#staff-rules)" in out
    )
    assert not (project / WELSH).exists()
    numbered = welsh(
        purpose="## 1. Pwrpas", rules="## 2. Rheolau", pupils="### 2.1 I ddisgyblion", staff=None
    )
    code, out, err = import_welsh(run_cli, project, word_file(tmp_path, numbered, "n.docx"))
    assert code == 1
    assert "placed as 2.1 For pupils (#pupil-rules)" in out
    assert "2.2 For staff (#staff-rules) of version 1.1: not in the document" in out
    assert "not written" in err


def test_numbered_headings_give_the_place_whatever_their_style(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    # every heading in the same Word style: the typed numbers give the levels and the places
    numbered = welsh(
        purpose="## 1. Pwrpas",
        rules="## 2. Rheolau",
        pupils="## 2.1 I ddisgyblion",
        staff="## 2.2 I staff",
    )
    code, out, err = import_welsh(run_cli, project, word_file(tmp_path, numbered))
    assert code == 0, err + out
    text = (project / WELSH).read_text(encoding="utf-8")
    assert "## Pwrpas {#purpose}" in text  # the number is the policy's to give
    assert "### I ddisgyblion {#pupil-rules}" in text
    assert "### I staff {#staff-rules}" in text
    assert check_errors(project) == []


def test_a_level_mismatch_is_reported(project: Path, run_cli: RunCli, tmp_path: Path) -> None:
    document = welsh(pupils="## I ddisgyblion")  # a subsection written as a section
    code, out, _err = import_welsh(run_cli, project, word_file(tmp_path, document))
    assert code == 1
    assert (
        "heading 'I ddisgyblion' (section 3 of the document): level 1, in the place of 2.1 "
        "For pupils (#pupil-rules) at level 2" in out
    )
    assert not (project / WELSH).exists()


def test_a_summary_translation_writes_the_sections_placed(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    document = "\n\n".join(
        [
            "# Podsumowanie dla rodziców",
            "## 1. Cel",
            "Polityka wyjaśnia zasady.",
            "## 2.2 Personel",
            "Personel zgłasza obawy.",
        ]
    )
    path = word_file(tmp_path, document)
    code, out, err = import_welsh(run_cli, project, path, language="pl")
    assert code == 1 and "import with --summary" in out
    code, out, err = import_welsh(run_cli, project, path, "--summary", language="pl")
    assert code == 0, err
    assert "2.1 For pupils (#pupil-rules) of version 1.1: not in the document; the summary " in out
    polish = project / "content/policies/internet-use/policy.pl.md"
    front, ids = front_and_ids(polish)
    assert front["scope"] == "summary"
    assert ids == ["purpose", "staff-rules"]
    # 2.2 given without its section: written as a section, as a summary may
    assert "## Personel {#staff-rules}" in polish.read_text(encoding="utf-8")
    content, diags = check(Project.at(project), "preview")
    assert content is not None, [str(d) for d in diags.errors]
    (translation,) = [t for t in content.translations if t.language == "pl"]
    assert translation.is_summary and translation.untranslated == ("rules", "pupil-rules")


def test_wrong_slug_and_language_say_did_you_mean(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    document = word_file(tmp_path, welsh())
    result = run_cli(
        "import", document, "--translation-of", "internet-us", "--language", "cy",
        "--translated-by", TRANSLATOR, "--project", project,
    )  # fmt: skip
    assert result.code == 2
    assert "no policy 'internet-us'; did you mean 'internet-use'?" in result.err
    code, _out, err = import_welsh(run_cli, project, document, language="cyy")
    assert (
        code == 2 and "'cyy' is not a language the site can publish in; did you mean 'cy'?" in err
    )
    code, _out, err = import_welsh(run_cli, project, document, language="cy_GB!")
    assert code == 2 and "is not a language code" in err
    code, _out, err = import_welsh(run_cli, project, document, language="en")
    assert code == 2 and "the school's main language" in err
    result = run_cli(
        "import", document, "--translation-of", SLUG, "--language", "cy", "--project", project
    )
    assert result.code == 2 and "--translated-by" in result.err
    result = run_cli("import", document, "--language", "cy", "--project", project)
    assert result.code == 2 and "go with --translation-of SLUG" in result.err
    assert not (project / "content/policies/polisi-defnyddior-rhyngrwyd").exists()
    assert not (project / WELSH).exists()


def test_a_language_school_yml_does_not_list_is_written_with_a_warning(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    code, _out, err = import_welsh(run_cli, project, word_file(tmp_path, welsh()), language="fr")
    assert code == 0
    assert "'fr' is not among the translations school.yml lists (cy, pl)" in err
    assert "add it to translations in school.yml" in err
    assert (project / "content/policies/internet-use/policy.fr.md").is_file()


def test_a_policy_never_approved_and_an_existing_file_are_refused(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    english = tmp_path / "draft.md"
    english.write_text("# Uniform Policy\n\n## Purpose\n\nPupils wear the uniform.\n")
    assert run_cli("import", english, "--slug", "uniform", "--project", project).code == 0
    document = word_file(tmp_path, welsh())
    result = run_cli(
        "import", document, "--translation-of", "uniform", "--language", "cy",
        "--translated-by", TRANSLATOR, "--project", project,
    )  # fmt: skip
    assert result.code == 1 and "uniform has never been approved" in result.err
    assert import_welsh(run_cli, project, document)[0] == 0
    before = (project / WELSH).read_bytes()
    code, _out, err = import_welsh(run_cli, project, word_file(tmp_path, welsh(), "ail.docx"))
    assert code == 1 and "policy.cy.md exists already; add --force to replace it" in err
    assert (project / WELSH).read_bytes() == before


def test_the_shape_breaks_a_tie_of_structure() -> None:
    clauses = [
        Place(1, Shape(1), "1"),
        Place(1, Shape(0), "2"),
        Place(2, Shape(1), "2.1"),
        Place(2, Shape(0, 3), "2.2"),
    ]
    one_list = [Place(1, Shape(1)), Place(1, Shape(0)), Place(2, Shape(0, 3))]
    placement = place(clauses, one_list)
    assert placement.matches == {0: 0, 1: 1, 2: 3} and placement.missing == [2]
    assert not placement.ambiguous
    # one paragraph and two items: as far from one clause's shape as from the other's
    halfway = [Place(1, Shape(1)), Place(1, Shape(0)), Place(2, Shape(1, 2))]
    assert place(clauses, halfway).ambiguous == {2: [2, 3]}


def edit_paragraph(path: Path, start: str, words: str) -> None:
    document = docx.Document(str(path))
    paragraph = next(p for p in document.paragraphs if p.text.startswith(start))
    for run in paragraph.runs[1:]:
        run.text = ""
    paragraph.runs[0].text = words
    document.save(str(path))


def test_the_welsh_word_export_round_trips(project: Path, run_cli: RunCli, tmp_path: Path) -> None:
    assert import_welsh(run_cli, project, word_file(tmp_path, welsh()))[0] == 0
    summary = "Sut mae disgyblion a staff yn defnyddio'r rhyngrwyd yn ddiogel."
    path = project / WELSH
    lines = path.read_text(encoding="utf-8").split("\n")
    title = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines.insert(title + 1, f"summary: {summary}")  # as the import writes it
    path.write_text("\n".join(lines), encoding="utf-8")
    exported = tmp_path / "allforio.docx"
    result = run_cli(
        "export-docx", SLUG, "--language", "cy", "--project", project, "--out", exported
    )
    assert result.code == 0, result.err
    document = docx.Document(str(exported))
    headings = [
        p.text
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith("Heading")
    ]
    assert headings == ["Pwrpas", "Rheolau", "I ddisgyblion", "I staff"]
    assert document.core_properties.language == "cy"
    assert document.core_properties.subject == summary
    assert document.paragraphs[1].text.startswith("Fersiwn 1.1")  # the cover in Welsh
    code, _out, err = import_welsh(run_cli, project, exported, "--force")
    assert code == 0, err
    text = path.read_text(encoding="utf-8")
    front, ids = front_and_ids(path)
    assert front["summary"] == summary  # from the export's properties
    assert ids == ["purpose", "rules", "pupil-rules", "staff-rules"]
    assert text == "\n".join(lines)  # the same file, byte for byte
    edit_paragraph(exported, "Mae disgyblion", "Mae disgyblion yn siarad ag oedolyn.")
    assert import_welsh(run_cli, project, exported, "--force")[0] == 0
    edited = path.read_text(encoding="utf-8")
    assert edited == text.replace(PUPILS, "Mae disgyblion yn siarad ag oedolyn.")
    # the Welsh file is no new English text
    result = run_cli("import", exported, "--update", SLUG, "--project", project)
    assert result.code == 1
    assert "exported as the 'cy' translation of internet-use" in result.err


def test_a_clause_being_updated_is_exported_under_a_note_and_not_imported_as_translated(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    assert import_welsh(run_cli, project, word_file(tmp_path, welsh()))[0] == 0
    path = project / WELSH
    # a translation of 1.0: version 1.1 reworded the staff rules, so that clause is stale
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace(SHA_1_1, SHA_1_0_TEXT)
        .replace("version: '1.1'", "version: '1.0'"),
        encoding="utf-8",
    )
    exported = tmp_path / "allforio.docx"
    result = run_cli(
        "export-docx", SLUG, "--language", "cy", "--project", project, "--out", exported
    )
    assert result.code == 0, result.err
    texts = [p.text for p in docx.Document(str(exported)).paragraphs]
    staff = texts.index("For staff")  # the approved heading and text, in English
    assert texts[staff + 1].startswith("Mae cyfieithiad yr adran hon yn cael ei ddiweddaru")
    assert texts[staff + 2].startswith("Staff report concerns")
    code, out, _err = import_welsh(run_cli, project, exported, "--force")
    assert code == 1
    assert "heading 'For staff' (section 4 of the document): not placed: it still holds" in out
    code, _out, err = import_welsh(run_cli, project, exported, "--force", "--summary")
    assert code == 0, err
    front, ids = front_and_ids(path)
    assert front["translates"] == {"version": "1.1", "sha256": SHA_1_1}
    assert front["scope"] == "summary" and ids == ["purpose", "rules", "pupil-rules"]


def test_a_picture_in_a_translated_section_is_left_out_and_said(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
    )
    (tmp_path / "llun.png").write_bytes(png)
    document = welsh(rules="![Llun o'r ystafell ddosbarth](llun.png)\n\n## Rheolau")
    target = tmp_path / "lluniau.docx"
    pypandoc.convert_text(
        document,
        "docx",
        format="markdown",
        outputfile=str(target),
        extra_args=["--resource-path", str(tmp_path)],
    )
    code, out, err = import_welsh(run_cli, project, target)
    assert code == 0, err + out
    assert (
        "heading 'Pwrpas' (section 1 of the document): picture left out: a translation shows "
        "only the pictures of the approved text" in out
    )
    assert "llun" not in (project / WELSH).read_text(encoding="utf-8").lower()
    assert check_errors(project) == []


def test_the_samples_welsh_policy_comes_back_under_its_ids_and_round_trips(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """The Welsh fixture of the sample's mobile-devices 3.0 (sections and subsections, lists,
    links to another policy's clauses): its ids taken out, as a translator's Word file, every
    section is placed where the fixture has it; and exported to Word and imported again, it
    comes back with the same text and front matter."""
    project = make_project(tmp_path / "project", REPO / "content")
    # the sample's own Welsh translation and its listing taken out: this test imports it
    (project / "content/policies/mobile-devices/policy.cy.md").unlink()
    school = project / "content/school.yml"
    school.write_text(
        school.read_text(encoding="utf-8").replace(
            "translations: [cy, pl, ur]", "translations: [pl, ur]"
        ),
        encoding="utf-8",
    )
    fixture = FIXTURES / "translations/mobile-devices/policy.cy.md"
    _start, fixture_front, fixture_body = fixture.read_text(encoding="utf-8").split("---\n", 2)
    expected = [
        line.rsplit("{#", 1)[1].rstrip("}")
        for line in fixture_body.splitlines()
        if line.startswith("#")
    ]
    unmarked = re.sub(r" \{#[a-z0-9-]+\}", "", fixture_body)
    document = word_file(tmp_path, "# Polisi Ffonau Symudol\n\n" + unmarked)
    given_by = yaml.safe_load(fixture_front)["translated_by"]
    result = run_cli(
        "import", document, "--translation-of", "mobile-devices", "--language", "cy",
        "--translated-by", given_by, "--project", project,
    )  # fmt: skip
    assert result.code == 0, result.err
    written = project / "content/policies/mobile-devices/policy.cy.md"
    front, ids = front_and_ids(written)
    assert ids == expected and len(ids) == 9
    assert front["translates"] == yaml.safe_load(fixture_front)["translates"]
    # school.yml does not list cy: said once, by check, at the file
    assert result.err.count("is not among the translations school.yml lists") == 1

    written.write_text(fixture.read_text(encoding="utf-8"), encoding="utf-8")
    exported = tmp_path / "mobile-devices.cy.docx"
    result = run_cli(
        "export-docx", "mobile-devices", "--language", "cy", "--project", project,
        "--out", exported,
    )  # fmt: skip
    assert result.code == 0, result.err
    result = run_cli(
        "import", exported, "--translation-of", "mobile-devices", "--language", "cy",
        "--translated-by", given_by, "--project", project, "--force",
    )  # fmt: skip
    assert result.code == 0, result.err
    _start, front_text, body = written.read_text(encoding="utf-8").split("---\n", 2)
    assert body == fixture_body  # every word, quote and link as the translation wrote it
    # the summary (too long for a document property) is kept from the file replaced
    assert yaml.safe_load(front_text) == yaml.safe_load(fixture_front)


def test_export_of_a_translation_that_is_not_there_is_refused(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    out = tmp_path / "x.docx"
    result = run_cli("export-docx", SLUG, "--language", "cy", "--project", project, "--out", out)
    assert result.code == 1
    assert "internet-use has no translation in 'cy'" in result.err
    assert "--translation-of internet-use --language cy" in result.err
    result = run_cli("export-docx", SLUG, "--language", "cyy", "--project", project, "--out", out)
    assert result.code == 2 and "did you mean 'cy'?" in result.err
    assert not out.exists()


def test_a_broken_translation_to_replace_is_named(
    project: Path, run_cli: RunCli, tmp_path: Path
) -> None:
    document = word_file(tmp_path, welsh())
    assert import_welsh(run_cli, project, document)[0] == 0
    path = project / WELSH
    path.write_text(path.read_text(encoding="utf-8").replace(SHA_1_1, "ab12" + SHA_1_1[4:]))
    code, _out, err = import_welsh(run_cli, project, document, "--force")
    assert code == 1
    assert "policy.cy.md:4:11: translates version 1.1 with sha256 ab12" in err
    assert (
        "the errors are all in content/policies/internet-use/policy.cy.md, which this import "
        "would replace; delete it and import again" in err
    )
    path.unlink()
    assert import_welsh(run_cli, project, document)[0] == 0
