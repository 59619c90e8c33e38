"""A group of schools: trust.yml, local sections, adoptions and each school's content."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, RunCli
from policypress.build import build, check, check_everything
from policypress.content.local import UNFILLED_TEXT, compose
from policypress.core.project import Project
from policypress.source.markdown import create_parser

EXAMPLE = REPO / "examples" / "trust"
SCHOOLS = {
    "ashby-road-infant": "Ashby Road Infant School",
    "ashby-road-junior": "Ashby Road Junior School",
    "millpond-primary": "Millpond Primary School",
}


@pytest.fixture
def trust(tmp_path: Path) -> Path:
    """A copy of the example trust (it uses the package's templates)."""
    root = tmp_path / "trust"
    shutil.copytree(EXAMPLE, root, symlinks=True, ignore=shutil.ignore_patterns("build"))
    return root


def _errors(root: Path) -> list[str]:
    return [str(d) for d in check_everything(Project.at(root)).errors]


def test_the_example_trust_passes_check(run_cli: RunCli) -> None:
    result = run_cli("check", "--project", EXAMPLE)
    assert result.code == 0, result.err
    project = Project.at(EXAMPLE)
    assert project.is_group
    assert project.school_ids() == sorted(SCHOOLS)
    school = project.for_school("millpond-primary")
    assert school.out == project.out / "schools" / "millpond-primary"
    assert school.cache == project.out / ".cache"


def test_a_single_school_project_is_not_a_group() -> None:
    project = Project.at(FIXTURES / "minimal")
    assert not project.is_group
    assert project.school_ids() == []


def test_a_school_content_is_its_adoptions_with_their_model_versions() -> None:
    project = Project.at(EXAMPLE)
    content, diags = check(project.for_school("ashby-road-junior"))
    assert content is not None, diags.errors
    assert content.school.name == SCHOOLS["ashby-road-junior"]
    assert content.trust is not None and content.trust.name == "Wrenfield Learning Trust"
    online = content.policy("online-safety")
    assert online is not None and online.model is not None
    assert str(online.model.version) == "1.1"
    assert str(online.current.number) == "1.1"
    assert online.adoption_due is None
    assert [str(p.model.version) for p in content.archive("online-safety") if p.model] == [
        "1.0",
        "1.1",
    ]
    local = online.clause("local-arrangements")
    assert local is not None and local.local
    assert "digital leaders" in " ".join(t.content for t in local.body)


def test_a_school_a_model_version_behind_has_adoption_due() -> None:
    content, _ = check(Project.at(EXAMPLE).for_school("millpond-primary"))
    assert content is not None
    online = content.policy("online-safety")
    assert online is not None and online.adoption_due is not None
    assert str(online.adoption_due.version) == "1.1"
    assert "network changes" in online.adoption_due.note
    assert str(online.current.number) == "1.0"  # the public text is still what it adopted


def test_compose_replaces_only_local_bodies_and_reports_unfilled() -> None:
    model = (
        "---\ntitle: T\n---\n\n## A {#a}\n\nModel text.\n\n## L {#l .local}\n\nGuidance.\n\n"
        "### Sub {#sub}\n\nKept.\n\n## M {#m .local}\n\nMore guidance.\n"
    )
    md = create_parser()
    composed = compose(md, model, {"l": "The school's own words."})
    assert "Guidance." not in composed.text and "More guidance." not in composed.text
    assert "The school's own words." in composed.text
    assert "## L {#l .local}" in composed.text and "### Sub {#sub}\n\nKept." in composed.text
    assert composed.unfilled == ("m",)
    assert UNFILLED_TEXT in composed.text.split("## M")[1]


@pytest.mark.parametrize("case", ["unknown-local-section", "heading-with-title"])
def test_bad_local_files(trust: Path, case: str) -> None:
    folder = FIXTURES / "group" / case
    shutil.copyfile(
        folder / "mobile-devices.md", trust / "schools/millpond-primary/local/mobile-devices.md"
    )
    expected = (folder / "expected.txt").read_text("utf-8").strip()
    assert expected in _errors(trust)


def test_unfilled_local_section_warns_and_adopt_refuses(trust: Path, run_cli: RunCli) -> None:
    local = trust / "schools/millpond-primary/local/staff-social-media.md"
    local.unlink()
    diags = check_everything(Project.at(trust))
    assert not diags.errors
    assert any(
        "local section 'school-accounts'" in str(w) and "staff-social-media.md:1:1" in str(w)
        for w in diags.warnings
    )
    preview, _ = check(Project.at(trust).for_school("millpond-primary"), "preview")
    assert preview is not None
    policy = preview.policy("staff-social-media")
    assert policy is not None and policy.is_draft
    clause = policy.clause("school-accounts")
    assert clause is not None and "To be written by the school" in str(
        [t.content for t in clause.body]
    )
    history = trust / "schools/millpond-primary/policies/staff-social-media/history.yml"
    before = history.read_bytes()
    result = run_cli(
        "adopt", "millpond-primary", "staff-social-media", "--project", trust,
        "--model-version", "1.0", "--by", "LGB", "--date", "2026-10-01", "--minor",
    )  # fmt: skip
    assert result.code == 1
    assert "local section 'school-accounts' is not written" in result.err
    assert "content/policies/staff-social-media/versions/1.0.md:" in result.err
    assert history.read_bytes() == before


def test_adopt_writes_a_chained_entry_with_the_model_ref(trust: Path, run_cli: RunCli) -> None:
    result = run_cli(
        "adopt", "millpond-primary", "online-safety", "--project", trust,
        "--model-version", "1.1", "--by", "Local Governing Body", "--date", "2026-10-14",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert "as its version 1.1 (minor" in result.out
    folder = trust / "schools/millpond-primary/policies/online-safety"
    history = (folder / "history.yml").read_text("utf-8")
    entry = history.split("- version: '1.1'")[1]
    assert re.search(r"model:\n\s+version: '1.1'\n\s+sha256: [0-9a-f]{64}", entry)
    snapshot = (folder / "versions/1.1.md").read_text("utf-8")
    assert "network changes" not in snapshot  # the change note is not the text
    assert "against the Department for Education" in snapshot  # the model 1.1 text
    assert "Safer Internet Day" in snapshot  # the school's local text
    assert "Describe how this school" not in snapshot  # the model's guidance is replaced
    content, _ = check(Project.at(trust).for_school("millpond-primary"))
    assert content is not None
    online = content.policy("online-safety")
    assert online is not None and online.adoption_due is None
    again = run_cli(
        "adopt", "millpond-primary", "online-safety", "--project", trust,
        "--model-version", "1.1", "--by", "LGB", "--date", "2026-10-15",
    )  # fmt: skip
    assert again.code == 1 and "nothing to adopt" in again.err


def test_adopt_refuses_an_unknown_model_version(trust: Path, run_cli: RunCli) -> None:
    result = run_cli(
        "adopt", "millpond-primary", "online-safety", "--project", trust,
        "--model-version", "3.0", "--by", "LGB", "--date", "2026-10-14",
    )  # fmt: skip
    assert result.code == 1
    assert "has not approved version 3.0" in result.err and "1.0, 1.1" in result.err


def test_tampered_model_ref_is_an_error(trust: Path) -> None:
    history = trust / "schools/ashby-road-infant/policies/online-safety/history.yml"
    text = history.read_text("utf-8")
    history.write_text(text.replace("      version: '1.1'", "      version: '1.0'", 1), "utf-8")
    errors = _errors(trust)
    assert any(
        "ashby-road-infant/policies/online-safety/history.yml:" in e
        and "chain hash does not match" in e
        for e in errors
    ), errors


def test_a_model_ref_naming_a_missing_model_version_is_an_error(trust: Path) -> None:
    # The trust's newest version taken out of its history (the chain before it still holds):
    # the two schools that adopted it now name a model version the trust does not have.
    model = trust / "content/policies/online-safety"
    text = (model / "history.yml").read_text("utf-8")
    (model / "history.yml").write_text(text[: text.index("  - version: '1.1'")], "utf-8")
    (model / "versions/1.1.md").unlink()
    errors = _errors(trust)
    for school in ("ashby-road-infant", "ashby-road-junior"):
        assert any(
            f"{school}/policies/online-safety/history.yml:" in e
            and "adopts model version 1.1, which the trust's history does not have" in e
            for e in errors
        ), errors


def test_tampered_adopted_text_is_an_error(trust: Path) -> None:
    snapshot = trust / "schools/ashby-road-junior/policies/mobile-devices/versions/1.0.md"
    snapshot.write_text(snapshot.read_text("utf-8").replace("Years 5 and 6", "Year 4"), "utf-8")
    errors = _errors(trust)
    assert any("version 1.0 was changed after approval" in e for e in errors), errors


def test_approving_a_new_model_version_makes_adoption_due(trust: Path, run_cli: RunCli) -> None:
    policy = trust / "content/policies/mobile-devices/policy.md"
    policy.write_text(
        policy.read_text("utf-8").replace("and are stored", "and are kept only"), "utf-8"
    )
    result = run_cli(
        "approve", "mobile-devices", "--project", trust, "--by", "Trust Board",
        "--meeting", "2026-10-20", "--major", "--note", "Photographs are kept, not stored.",
    )  # fmt: skip
    assert result.code == 0, result.err
    for school in SCHOOLS:
        content, _ = check(Project.at(trust).for_school(school))
        assert content is not None
        devices = content.policy("mobile-devices")
        assert devices is not None and devices.adoption_due is not None
        assert str(devices.adoption_due.version) == "2.0"
    adopted = run_cli(
        "adopt", "ashby-road-infant", "mobile-devices", "--project", trust,
        "--model-version", "2.0", "--by", "LGB", "--date", "2026-10-28",
    )  # fmt: skip
    assert adopted.code == 0, adopted.err
    assert "as its version 2.0 (major" in adopted.out  # a newer model major: the next major


@pytest.mark.builds
def test_a_school_preview_build_carries_only_its_own_name(trust: Path) -> None:
    project = Project.at(trust)
    result = build(project.for_school("ashby-road-infant"), preview=True, workers=1)
    out = project.out / "schools" / "ashby-road-infant" / "preview"
    assert result.site.is_relative_to(out)
    found = {name: 0 for name in SCHOOLS.values()}
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".md", ".json", ".ics", ".txt", ".xml"):
            text = path.read_text("utf-8", errors="replace")
            for name in found:
                found[name] += text.count(name)
    assert found["Ashby Road Infant School"] > 0
    assert found["Ashby Road Junior School"] == 0 and found["Millpond Primary School"] == 0
    page = (result.site / "policies" / "online-safety" / "index.html").read_text("utf-8")
    assert re.search(r"Adopted from Wrenfield Learning Trust(&#39;|')s model version 1\.1", page)


def test_a_missing_contact_names_the_file_that_lacks_it(trust: Path) -> None:
    """Trust-wide content is checked against the trust's contacts and each school's: the
    message says whose details lack the contact."""
    poster = trust / "content" / "posters" / "who-can-i-tell.yml"
    poster.write_text(
        poster.read_text(encoding="utf-8").replace("contacts: [dsl]", "contacts: [dsl, head]"),
        encoding="utf-8",
    )
    facts = trust / "schools" / "millpond-primary" / "school.yml"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("id: headteacher", "id: head"),
        encoding="utf-8",
    )
    errors = _errors(trust)
    where = "content/posters/who-can-i-tell.yml:11:17: no contact 'head' in"
    assert f"{where} trust.yml" in errors
    assert f"{where} schools/ashby-road-infant/school.yml" in errors
    assert f"{where} schools/millpond-primary/school.yml" not in errors
