"""Translated policies (policy.<language>.md) tied to the approved version they translate
(issue 29): read, checked against the history, and out of date where the English changed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, REPO, RunCli, make_project
from policypress.build import check
from policypress.core.diagnostics import Diagnostics
from policypress.core.project import Project
from policypress.model import Content
from studiokit import client_for, form_fields, let_in

POLICY = Path("content/policies/internet-use")
SHA_1_0 = "3772c1e87b88ebc7d9a8678e51e6346ab220a3b05c9f57fe1fb771ef2b5fda79"
SHA_1_1 = "9687b3647730b73d0e8969cb67dc94914998526ef21c5dee0256b20d758e5a1b"
WELSH_BODY = """
## Pwrpas {#purpose}

Mae'r polisi hwn yn esbonio sut mae'r ysgol yn cadw defnydd o'r rhyngrwyd yn ddiogel.

## Rheolau {#rules}

### I ddisgyblion {#pupil-rules}

Mae disgyblion yn dweud wrth oedolyn y maent yn ymddiried ynddo.

### I staff {#staff-rules}

Mae staff yn adrodd pryderon i'r Arweinydd Diogelu Dynodedig.
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project", FIXTURES / "minimal" / "content")
    school = root / "content" / "school.yml"
    school.write_text(school.read_text() + "translations: [cy, pl]\n")
    return root


def _translation(
    project: Path,
    *,
    language: str = "cy",
    version: str = "1.1",
    sha256: str = SHA_1_1,
    body: str = WELSH_BODY,
    extra: str = "",
) -> Path:
    path = project / POLICY / f"policy.{language}.md"
    path.write_text(
        "---\n"
        "translates:\n"
        f'  version: "{version}"\n'
        f"  sha256: {sha256}\n"
        "title: Polisi Defnyddio'r Rhyngrwyd\n"
        "translated_by: Gwasanaeth Cyfieithu Cyngor Sir\n"
        f"{extra}"
        "---\n" + body,
        encoding="utf-8",
    )
    return path


def _checked(project: Path) -> tuple[Content | None, Diagnostics]:
    return check(Project.at(project))


def _messages(diags: Diagnostics, *, errors: bool = True) -> list[str]:
    return [str(d) for d in (diags.errors if errors else diags.warnings)]


def _about(diags: Diagnostics, name: str, *, errors: bool = True) -> list[str]:
    return [m for m in _messages(diags, errors=errors) if name in m]


def test_a_full_translation_loads_with_its_clauses(project: Path) -> None:
    _translation(project, extra="checked_by: Ms Rhian Evans, Welsh lead\n")
    content, diags = _checked(project)
    assert content is not None, _messages(diags)
    assert not _about(diags, "policy.cy.md", errors=False)
    (welsh,) = content.translations_of("internet-use")
    assert welsh.language == "cy"
    assert str(welsh.version) == "1.1"
    assert welsh.sha256 == SHA_1_1
    assert welsh.title == "Polisi Defnyddio'r Rhyngrwyd"
    assert welsh.summary is None
    assert welsh.translated_by == "Gwasanaeth Cyfieithu Cyngor Sir"
    assert welsh.checked_by == "Ms Rhian Evans, Welsh lead"
    assert welsh.scope == "full"
    assert [(c.id, c.depth) for c in welsh.clauses] == [
        ("purpose", 1),
        ("rules", 1),
        ("pupil-rules", 2),
        ("staff-rules", 2),
    ]
    staff = welsh.clause("staff-rules")
    assert staff is not None and staff.title == "I staff"
    assert any("Arweinydd Diogelu" in token.content for token in staff.body)
    assert welsh.stale == welsh.untranslated == welsh.removed == ()
    assert welsh.is_current
    assert welsh.shown_title == welsh.title and not welsh.title_stale


def test_a_wrong_sha256_is_refused_at_its_place_and_the_build_fails(
    project: Path, run_cli: RunCli
) -> None:
    wrong = "ab12" + SHA_1_1[4:]
    _translation(project, sha256=wrong)
    content, diags = _checked(project)
    assert content is None
    (message,) = _about(diags, "policy.cy.md")
    # line 4, after '  sha256: '
    assert message.startswith("content/policies/internet-use/policy.cy.md:4:11: ")
    assert "translates version 1.1 with sha256 ab12b3647730…" in message
    assert f"was approved with sha256 {SHA_1_1[:12]}…" in message
    assert "may only translate approved text" in message
    result = run_cli("build", "--project", project)
    assert result.code != 0
    assert "policy.cy.md:4:11" in result.err
    assert "Traceback" not in result.err
    assert run_cli("check", "--project", project).code != 0


def test_a_version_that_was_never_approved_is_refused(project: Path) -> None:
    _translation(project, version="1.2")
    _content, diags = _checked(project)
    (message,) = _about(diags, "policy.cy.md")
    assert message.startswith("content/policies/internet-use/policy.cy.md:3:12: ")
    assert "not an approved version of policy 'internet-use'" in message
    assert "1.1" in message  # what it could have meant


def test_a_translation_of_a_policy_never_approved_is_refused(project: Path) -> None:
    (project / POLICY / "history.yml").write_text("versions: []\n")
    for snapshot in (project / POLICY / "versions").iterdir():
        snapshot.unlink()
    _translation(project)
    _content, diags = _checked(project)
    (message,) = _about(diags, "policy.cy.md")
    assert ":2:1: " in message
    assert "has no approved version" in message


def test_an_extra_clause_is_reported_at_its_heading(project: Path) -> None:
    body = WELSH_BODY + "\n### Cyfrineiriau {#pasword-rules}\n\nTestun.\n"
    _translation(project, body=body)
    _content, diags = _checked(project)
    (message,) = _about(diags, "policy.cy.md")
    line = 7 + body.split("\n").index("### Cyfrineiriau {#pasword-rules}") + 1
    assert message.startswith(f"content/policies/internet-use/policy.cy.md:{line}:")
    assert "'pasword-rules' is not a clause of version 1.1" in message


def test_missing_clauses_are_errors_in_full_scope_only(project: Path) -> None:
    summary_only = "\n## Pwrpas {#purpose}\n\nMae'r polisi hwn yn esbonio.\n"
    path = _translation(project, body=summary_only)
    _content, diags = _checked(project)
    (message,) = _about(diags, "policy.cy.md")
    assert message.startswith("content/policies/internet-use/policy.cy.md:2:1: ")
    assert (
        "3 clauses of version 1.1 are not translated: 2 Rules, 2.1 For pupils, 2.2 For staff"
        in (message)
    )
    path.unlink()
    _translation(
        project,
        body=summary_only,
        extra="summary: Sut mae disgyblion a staff yn defnyddio'r rhyngrwyd.\nscope: summary\n",
    )
    content, diags = _checked(project)
    assert content is not None, _messages(diags)
    (welsh,) = content.translations_of("internet-use")
    assert welsh.is_summary
    assert welsh.summary == "Sut mae disgyblion a staff yn defnyddio'r rhyngrwyd."
    assert welsh.untranslated == ("rules", "pupil-rules", "staff-rules")
    assert welsh.clause("rules") is None and welsh.clause("purpose") is not None


def test_a_summary_translation_may_give_no_clause_at_all(project: Path) -> None:
    _translation(project, body="", extra="summary: Crynodeb.\nscope: summary\n")
    content, diags = _checked(project)
    assert content is not None, _messages(diags)
    (welsh,) = content.translations_of("internet-use")
    assert welsh.clauses == ()
    assert len(welsh.untranslated) == 4


def test_translating_an_older_version_marks_the_changed_clause_stale(project: Path) -> None:
    """1.1 changed the staff rules' wording only: the other three clauses stay translated."""
    _translation(project, version="1.0", sha256=SHA_1_0)
    content, diags = _checked(project)
    assert content is not None, _messages(diags)
    (welsh,) = content.translations_of("internet-use")
    assert welsh.stale == ("staff-rules",)
    assert welsh.clause("staff-rules") is None  # shown in English
    assert welsh.clause("pupil-rules") is not None
    (warning,) = _about(diags, "policy.cy.md", errors=False)
    assert warning.startswith("content/policies/internet-use/policy.cy.md:3:12: warning: ")
    assert "1 clause changed since version 1.0 was translated: 2.2 For staff;" in warning


def test_after_approving_a_new_version_exactly_the_changed_and_added_clauses_are_stale(
    project: Path, run_cli: RunCli
) -> None:
    _translation(project)
    policy = project / POLICY / "policy.md"
    text = policy.read_text()
    text = text.replace(
        "Pupils tell a trusted adult when something online worries them.",
        "Pupils tell a trusted adult at once when anything online worries them.",
    )
    text = text.replace(
        "## Rules {#rules}",
        "## Passwords {#passwords}\n\nEveryone keeps their password to themselves.\n\n"
        "## Rules {#rules}",
    )
    policy.write_text(text)
    approved = run_cli(
        "approve",
        "internet-use",
        "--by",
        "Full Governing Board",
        "--meeting",
        "2026-10-20",
        "--note",
        "Passwords section added.",
        "--date",
        "2026-10-27",
        "--minor",
        "--project",
        project,
    )
    assert approved.code == 0, approved.err
    content, diags = _checked(project)
    assert content is not None, _messages(diags)
    (welsh,) = content.translations_of("internet-use")
    assert str(welsh.version) == "1.1"
    # in the new version's order: the added section comes before the rules
    assert welsh.stale == ("passwords", "pupil-rules")
    assert welsh.clause("purpose") is not None and welsh.clause("staff-rules") is not None
    assert welsh.untranslated == ()
    (warning,) = _about(diags, "policy.cy.md", errors=False)
    assert (
        "2 clauses changed since version 1.1 was translated: 2 Passwords, 3.1 For pupils; "
        "they are shown in English until the translation is updated to version 1.2"
    ) in warning


def test_a_renamed_clause_is_stale_and_a_removed_one_is_noted(
    project: Path, run_cli: RunCli
) -> None:
    """A new title with the same id is a change; a clause gone from the English is not shown."""
    shutil.rmtree(project / "quizzes")  # its learning points quote the clause removed here
    _translation(project)
    policy = project / POLICY / "policy.md"
    text = policy.read_text().replace("## Purpose {#purpose}", "## Why this policy {#purpose}")
    text = text.replace("title: Internet Use Policy", "title: Internet and Devices Policy")
    text = re.sub(r"### For staff \{#staff-rules\}\n\n[^\n]*\n", "", text)
    policy.write_text(text)
    approved = run_cli(
        "approve",
        "internet-use",
        "--by",
        "Headteacher",
        "--meeting",
        "2026-10-20",
        "--note",
        "Staff rules moved to the code of conduct.",
        "--major",
        "--project",
        project,
    )
    assert approved.code == 0, approved.err
    content, diags = _checked(project)
    assert content is not None, _messages(diags)
    (welsh,) = content.translations_of("internet-use")
    assert welsh.stale == ("purpose",)
    assert welsh.removed == ("staff-rules",)
    assert not welsh.is_current
    # the translated title is of the old English title: the page shows the new English one
    assert welsh.title_stale and welsh.shown_title is None
    assert not welsh.summary_stale  # it gives no summary of its own
    warnings = _about(diags, "policy.cy.md", errors=False)
    assert any(
        w.startswith("content/policies/internet-use/policy.cy.md:5:8: warning: the policy's title")
        for w in warnings
    ), warnings
    assert any("1 Why this policy" in w for w in warnings)
    assert any("removed after version 1.1 and is not shown: staff-rules" in w for w in warnings)


def test_a_language_the_school_does_not_list_is_a_warning(project: Path) -> None:
    _translation(project, language="fr")
    content, diags = _checked(project)
    assert content is not None, _messages(diags)
    (warning,) = _about(diags, "policy.fr.md", errors=False)
    assert warning.startswith("content/policies/internet-use/policy.fr.md: warning: ")
    assert "'fr' is not among the translations school.yml lists (cy, pl)" in warning
    # read and checked, but not published
    assert [t.language for t in content.translations] == ["fr"]
    assert content.translations_of("internet-use") == []


def test_a_bad_language_in_a_file_name_is_an_error(project: Path) -> None:
    (project / POLICY / "policy.xx-bad!.md").write_text("---\n---\n")
    (project / POLICY / "policy.cyy.md").write_text("---\n---\n")
    _content, diags = _checked(project)
    (bad,) = _about(diags, "policy.xx-bad!.md")
    assert "'xx-bad!' in the file name is not a language code" in bad
    (close,) = _about(diags, "policy.cyy.md")
    assert "did you mean 'cy'?" in close


def test_the_front_matter_is_checked_at_each_key(project: Path) -> None:
    path = project / POLICY / "policy.pl.md"
    path.write_text(
        "---\ntranslates:\n  version: 1.1\n  sha256: abc\ntranslator: Anna\n---\n" + WELSH_BODY
    )
    _content, diags = _checked(project)
    messages = _about(diags, "policy.pl.md")
    assert any(":3:" in m and "quote it" in m for m in messages)
    assert any(":4:" in m and "not a SHA-256" in m for m in messages)
    assert any(":5:" in m and "translator" in m for m in messages)
    assert any("translated_by" in m for m in messages)


def test_a_heading_without_an_id_is_an_error(project: Path) -> None:
    _translation(project, body=WELSH_BODY.replace(" {#staff-rules}", ""))
    _content, diags = _checked(project)
    messages = _about(diags, "policy.cy.md")
    assert any("heading 'I staff' has no id" in m for m in messages)


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        ("[cy, pl, cyy]", "did you mean 'cy'?"),
        ("[cy, en]", "'en' is the school's main language (language: en-GB)"),
        ("[pl, cy, PL]", "'PL' is listed twice in translations (first as item 1)"),
    ],
)
def test_translations_in_school_yml_are_checked(tmp_path: Path, listed: str, expected: str) -> None:
    root = make_project(tmp_path / "project", FIXTURES / "minimal" / "content")
    school = root / "content" / "school.yml"
    school.write_text(school.read_text() + f"translations: {listed}\n")
    _content, diags = _checked(root)
    (message,) = _about(diags, "school.yml")
    assert message.startswith("content/school.yml:19:")
    assert expected in message


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("translations: [pl]\nbilingual: cy\n", "bilingual: 'cy' is not among the translations"),
        ("bilingual: cy\n", "school.yml lists (none)"),
    ],
)
def test_bilingual_must_be_a_listed_translation(tmp_path: Path, lines: str, expected: str) -> None:
    root = make_project(tmp_path / "project", FIXTURES / "minimal" / "content")
    school = root / "content" / "school.yml"
    school.write_text(school.read_text() + lines)
    content, diags = _checked(root)
    (message,) = _about(diags, "school.yml")
    assert re.match(r"content/school.yml:\d+:12: ", message), message
    assert expected in message
    school.write_text(school.read_text().replace("[pl]", "[pl, cy]"))
    if "[pl, cy]" in school.read_text():
        content, diags = _checked(root)
        assert content is not None and content.school.bilingual == "cy"


def test_a_welsh_medium_school_publishes_english_and_polish_translations(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path / "project", FIXTURES / "minimal" / "content")
    school = root / "content" / "school.yml"
    school.write_text(school.read_text() + "language: cy\ntranslations: [en, pl]\n")
    for language in ("pl", "en"):
        _translation(root, language=language)
    content, diags = _checked(root)
    assert content is not None, _messages(diags)
    assert not _messages(diags, errors=False)
    assert content.school.language == "cy"
    assert content.school.translations == ("en", "pl")
    # in the order school.yml lists them, whatever the files' order
    assert [t.language for t in content.translations_of("internet-use")] == ["en", "pl"]


def test_the_studio_s_details_form_keeps_the_translations(tmp_path: Path) -> None:
    project = make_project(tmp_path, REPO / "content")
    school = project / "content" / "school.yml"  # the sample lists translations: [cy, pl, ur]
    with client_for(project) as client:
        let_in(client)
        form = form_fields(client.get("/school").text)
        form["name"] = "Larkspur Lane Primary Academy"
        assert client.post("/school", data=form).status_code == 200
    saved = yaml.safe_load(school.read_text("utf-8"))
    assert saved["name"] == "Larkspur Lane Primary Academy"
    assert saved["translations"] == ["cy", "pl", "ur"]


def test_a_translation_is_read_within_the_limits_of_every_file(project: Path) -> None:
    huge = _translation(project, language="pl")
    huge.write_text(huge.read_text() + "x" * (6 * 1024 * 1024))
    aliased = project / POLICY / "policy.cy.md"
    aliased.write_text(
        "---\ntranslates: &same\n  version: '1.1'\n  sha256: " + SHA_1_1 + "\n"
        "also: *same\ntranslated_by: Anna\n---\n" + WELSH_BODY
    )
    content, diags = _checked(project)
    assert content is None
    (too_large,) = _about(diags, "policy.pl.md")
    assert "file is larger than 5.0 MB (it is 6.0 MB)" in too_large
    alias = _about(diags, "policy.cy.md")
    assert alias and all("Traceback" not in m for m in alias)
    assert any(":5:" in m and "alias" in m for m in alias)


def _pseudo_translated(snapshot: str, version: str, sha256: str, *, scope: str = "full") -> str:
    """An approved text "translated": its front matter replaced, every line of its body kept
    with its headings and ids (a stand-in for a translator's work, of the same shape)."""
    body = snapshot.split("\n---\n", 1)[1]
    return (
        f'---\ntranslates:\n  version: "{version}"\n  sha256: {sha256}\n'
        f"translated_by: Tłumacze Szkolni\nscope: {scope}\n---\n"
        + re.sub(r"^(?!#)(\S.*)$", r"[pl] \1", body, flags=re.MULTILINE)
    )


def test_every_sample_policy_translated_in_full_loads_clean(tmp_path: Path) -> None:
    """The sample's policies: more clauses, three levels of headings, several versions."""
    root = make_project(tmp_path / "project", REPO / "content")  # it lists pl among translations
    sizes = {}
    for folder in sorted((root / "content" / "policies").iterdir()):
        newest = yaml.safe_load((folder / "history.yml").read_text("utf-8"))["versions"][-1]
        snapshot = (folder / "versions" / f"{newest['version']}.md").read_text("utf-8")
        translated = _pseudo_translated(snapshot, newest["version"], newest["sha256"])
        (folder / "policy.pl.md").write_text(translated, encoding="utf-8")
        sizes[folder.name] = len(re.findall(r"^#{2,4} .*\{#", snapshot, flags=re.MULTILINE))
    content, diags = _checked(root)
    assert content is not None, _messages(diags)
    assert not [w for w in _messages(diags, errors=False) if "policy.pl.md" in w]
    for slug, count in sizes.items():
        (polish,) = [t for t in content.translations_of(slug) if t.language == "pl"]
        latest = content.latest_approved(slug)
        assert latest is not None
        assert [c.id for c in polish.clauses] == [c.id for c in latest.all_clauses]
        assert len(polish.clauses) == count > 3
        assert polish.is_current and polish.untranslated == ()
        assert max(c.depth for c in polish.clauses) >= 2


def test_a_summary_translation_is_stale_only_in_the_clauses_it_gives(
    project: Path, run_cli: RunCli
) -> None:
    """Summary scope: a changed clause it gives is stale; one it leaves out, or one added
    since, is untranslated (it never promised them)."""
    _translation(
        project,
        # a key subsection given on its own, as a section: the English decides its place
        body="\n## I ddisgyblion {#pupil-rules}\n\nMae disgyblion yn dweud.\n",
        extra="scope: summary\n",
    )
    policy = project / POLICY / "policy.md"
    text = policy.read_text()
    text = text.replace("worries them.", "worries or upsets them.")
    text = text.replace("keeps internet use safe.", "keeps internet use safe and kind.")
    text += "\n## Reporting {#reporting}\n\nConcerns go to the Designated Safeguarding Lead.\n"
    policy.write_text(text)
    approved = run_cli(
        "approve",
        "internet-use",
        "--by",
        "Full Governing Board",
        "--meeting",
        "2026-10-20",
        "--note",
        "Reporting added.",
        "--minor",
        "--project",
        project,
    )
    assert approved.code == 0, approved.err
    content, diags = _checked(project)
    assert content is not None, _messages(diags)
    (welsh,) = content.translations_of("internet-use")
    assert welsh.stale == ("pupil-rules",)
    assert welsh.untranslated == ("purpose", "rules", "staff-rules", "reporting")
    (warning,) = _about(diags, "policy.cy.md", errors=False)
    assert "1 clause changed since version 1.1 was translated: 2.1 For pupils;" in warning


def test_the_welsh_fixture_translates_the_sample_s_mobile_devices_policy(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", REPO / "content")  # it lists cy among translations
    fixture = FIXTURES / "translations" / "mobile-devices" / "policy.cy.md"
    shutil.copy(fixture, root / "content" / "policies" / "mobile-devices" / "policy.cy.md")
    content, diags = _checked(root)
    assert content is not None, _messages(diags)
    assert not [m for m in _messages(diags, errors=False) if "policy.cy.md" in m]
    (welsh,) = content.translations_of("mobile-devices")
    english = content.latest_approved("mobile-devices")
    assert english is not None and welsh.version == english.current.number
    assert welsh.title == "Polisi Ffonau Symudol a Dyfeisiau Personol"
    assert welsh.summary is not None and welsh.summary.startswith("Mae'r polisi hwn")
    assert [c.id for c in welsh.clauses] == [c.id for c in english.all_clauses]
    assert welsh.is_current and welsh.untranslated == ()
    wearables = welsh.clause("wearables")
    assert wearables is not None and wearables.title == "Oriorau clyfar a dyfeisiau gwisgadwy"


def test_a_translation_s_links_are_checked_where_they_are(project: Path) -> None:
    body = WELSH_BODY.replace(
        "Mae disgyblion yn dweud", "Gweler [y pwrpas](#purpse). Mae disgyblion yn dweud"
    ).replace("Mae staff yn adrodd", "![logo](logo.png)\n\nMae staff yn adrodd")
    _translation(project, body=body)
    _content, diags = _checked(project)
    lines = ("---\n" * 2 + "\n" * 5 + body).split("\n")  # the front matter takes 7 lines
    link_line, link_col = next(
        (n, line.index("#purpse") + 1) for n, line in enumerate(lines, 1) if "#purpse" in line
    )
    image_line = next(n for n, line in enumerate(lines, 1) if "logo.png" in line)
    messages = _about(diags, "policy.cy.md")
    assert any(
        m.startswith(f"content/policies/internet-use/policy.cy.md:{link_line}:{link_col}: ")
        and "no clause 'purpse'" in m
        and "did you mean 'purpose'?" in m
        for m in messages
    ), messages
    assert any(
        f"policy.cy.md:{image_line}:" in m and "cannot show images of its own" in m
        for m in messages
    ), messages


def test_a_model_s_translation_is_the_trust_s_not_its_schools(tmp_path: Path) -> None:
    """A group school's text is its adoption (its local sections, its own hash), so the
    translation of the trust's model is checked with the models and is not the school's."""
    root = tmp_path / "trust"
    shutil.copytree(REPO / "examples" / "trust", root, ignore=shutil.ignore_patterns("build"))
    model = root / "content" / "policies" / "online-safety"
    newest = yaml.safe_load((model / "history.yml").read_text("utf-8"))["versions"][-1]
    snapshot = (model / "versions" / f"{newest['version']}.md").read_text("utf-8")
    (model / "policy.pl.md").write_text(
        _pseudo_translated(snapshot, newest["version"], newest["sha256"]), encoding="utf-8"
    )
    models, diags = _checked(root)
    assert models is not None, _messages(diags)
    assert [(t.slug, t.language, t.is_current) for t in models.translations] == [
        ("online-safety", "pl", True)
    ]
    school, diags = check(Project.at(root).for_school("ashby-road-junior"))
    assert school is not None, _messages(diags)
    assert school.translations == ()
