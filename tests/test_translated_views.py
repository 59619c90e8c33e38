"""What a translated page or PDF shows (outputs/views.translated_clause_views) and what the
fidelity check expects of it (outputs/fidelity.translation_expected): one choice, read by both."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, make_project
from policypress.build import check
from policypress.core.project import Project
from policypress.outputs.fidelity import translation_expected
from policypress.outputs.views import public_clause_href, translated_clause_views
from test_translations import POLICY, SHA_1_0, SHA_1_1, WELSH_BODY

SUMMARY_BODY = """
## I ddisgyblion {#pupil-rules}

Mae disgyblion yn dweud wrth oedolyn y maent yn ymddiried ynddo.
"""


def _translation(
    root: Path, *, sha256: str, version: str = "1.1", body: str = WELSH_BODY, extra: str = ""
) -> None:
    (root / POLICY / "policy.cy.md").write_text(
        f'---\ntranslates:\n  version: "{version}"\n  sha256: {sha256}\n'
        f"translated_by: Cyfieithydd\n{extra}---\n{body}",
        encoding="utf-8",
    )


def _project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project", FIXTURES / "minimal" / "content")
    school = root / "content" / "school.yml"
    school.write_text(school.read_text() + "translations: [cy]\n")
    return root


def _views(root: Path) -> tuple[list[tuple[str, str, str, int]], list[str]]:
    content, diags = check(Project.at(root))
    assert content is not None, [str(d) for d in diags.errors]
    policy = content.latest_approved("internet-use")
    assert policy is not None
    (welsh,) = content.translations_of("internet-use")
    views = translated_clause_views(
        content, policy, welsh, public_clause_href(content), lambda image: image.frozen_name
    )
    expected = [s.text for s in translation_expected(policy, welsh)]
    return [(v.clause.id, v.state, v.title, v.level) for v in views], expected


def test_a_current_full_translation_shows_every_clause_translated(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _translation(root, sha256=SHA_1_1)
    views, expected = _views(root)
    assert [(i, s) for i, s, _t, _l in views] == [
        ("purpose", "translated"),
        ("rules", "translated"),
        ("pupil-rules", "translated"),
        ("staff-rules", "translated"),
    ]
    assert expected[0] == "1 Pwrpas"
    assert any(text.startswith("Mae staff yn adrodd pryderon") for text in expected)
    assert not any("Pupils" in text or "Staff " in text for text in expected)


def test_a_clause_changed_since_is_shown_in_approved_english(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _translation(root, version="1.0", sha256=SHA_1_0)
    views, expected = _views(root)
    states = {i: (s, t) for i, s, t, _l in views}
    assert states["staff-rules"] == ("being-updated", "For staff")
    assert states["pupil-rules"][0] == "translated"
    assert "2.2 For staff" in expected  # the English title, under its number
    assert "2.1 I ddisgyblion" in expected
    # the English text is expected in the order the page shows it: after the pupils' rules
    assert expected.index("2.2 For staff") > expected.index("2.1 I ddisgyblion")


def test_a_summary_shows_only_what_it_translates_at_its_own_level(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _translation(root, sha256=SHA_1_1, body=SUMMARY_BODY, extra="scope: summary\n")
    views, expected = _views(root)
    assert views == [("pupil-rules", "translated", "I ddisgyblion", 2)]
    assert expected == [
        "2.1 I ddisgyblion",
        "Mae disgyblion yn dweud wrth oedolyn y maent yn ymddiried ynddo.",
    ]
