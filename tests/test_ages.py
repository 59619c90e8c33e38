"""Ages: a school's phase or age range decides which pupils' forms, posters and quizzes it
gets, and check warns of an age it teaches that no pupils' form or poster is for."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import get_args

import pytest

from conftest import REPO, RunCli, make_project
from policypress.build import check, check_everything
from policypress.content.schema import Phase
from policypress.content.school import check_school_file
from policypress.core.diagnostics import Diagnostics
from policypress.core.project import Project
from policypress.model import Content
from policypress.model.ages import PHASE_AGES, PHASE_LIMITS, STAGES, stages_taught, tier_fits
from policypress.quizzes import quizzes_for

EXAMPLE = REPO / "examples" / "trust"


@pytest.mark.parametrize(
    ("phase", "stages"),
    [
        ("nursery", {"nursery"}),
        ("infant", {"reception", "ks1"}),
        ("junior", {"lks2", "uks2"}),
        ("primary", {"reception", "ks1", "lks2", "uks2"}),
        ("middle", {"lks2", "uks2", "ks3"}),
        ("secondary", {"ks3", "ks4", "ks5"}),
        ("all-through", {"reception", "ks1", "lks2", "uks2", "ks3", "ks4", "ks5"}),
        ("special", set(STAGES)),
        ("to-confirm", set(STAGES)),  # not known yet: nothing is left out
    ],
)
def test_each_phase_teaches_its_stages(phase: str, stages: set[str]) -> None:
    assert stages_taught(phase, None) == stages


def test_every_phase_of_school_yml_has_its_ages() -> None:
    assert set(PHASE_AGES) == set(get_args(Phase)) == set(PHASE_LIMITS)


@pytest.mark.parametrize(
    ("phase", "ages", "stages"),
    [
        ("middle", (9, 13), {"uks2", "ks3"}),  # a 9-13 middle school has no Years 3-4
        ("middle", (8, 12), {"lks2", "uks2", "ks3"}),
        ("special", (11, 19), {"ks3", "ks4", "ks5"}),
        ("special", (2, 7), {"nursery", "reception", "ks1"}),
        ("all-through", (11, 16), {"ks3", "ks4"}),
        ("primary", (4, 9), {"reception", "ks1", "lks2"}),  # a first school
        ("primary", (3, 11), {"nursery", "reception", "ks1", "lks2", "uks2"}),
        ("to-confirm", (7, 11), {"lks2", "uks2"}),  # the ages say it, though the phase does not
    ],
)
def test_an_age_range_decides_instead_of_the_phase(
    phase: str, ages: tuple[int, int], stages: set[str]
) -> None:
    assert stages_taught(phase, ages) == stages


@pytest.mark.parametrize(
    ("tier", "infant", "junior", "secondary"),
    [
        ("ks1", True, False, False),
        ("ks2", False, True, False),
        ("lks2", False, True, False),
        ("uks2", False, True, False),
        ("staff", True, True, True),
        (None, True, True, True),  # a form for adults, a poster for everyone
    ],
)
def test_a_tier_fits_the_schools_that_teach_it(
    tier: str | None, infant: bool, junior: bool, secondary: bool
) -> None:
    found = [tier_fits(tier, stages_taught(p, None)) for p in ("infant", "junior", "secondary")]
    assert found == [infant, junior, secondary]


def _as(content: Content, phase: str, ages: tuple[int, int] | None = None) -> Content:
    school = dataclasses.replace(content.school, phase=phase, ages=ages)
    return dataclasses.replace(content, school=school).for_its_ages()


def test_the_content_of_an_infant_school_has_only_its_pupils_material(content: Content) -> None:
    infant = _as(content, "infant")
    assert sorted(a.slug for a in infant.agreements) == [
        "governors",
        "ks1-pupils",
        "parents",
        "staff",
        "supply-and-visitors",
    ]
    assert sorted(p.slug for p in infant.posters) == [
        "ks1-rules",
        "staff-dos-and-donts",
        "who-can-i-tell",
    ]
    assert {t for p in infant.points for t in p.tiers} == {"ks1", "staff"}
    quizzes = [q.id for q in quizzes_for(infant).curriculum]
    assert "ks1" in quizzes and not {"lks2", "uks2"} & set(quizzes)
    assert any(q.startswith("staff-") for q in quizzes)


def test_a_junior_and_a_middle_school_get_their_key_stage_2_tiers(content: Content) -> None:
    junior = _as(content, "junior")
    assert "ks1-pupils" not in {a.slug for a in junior.agreements}
    assert "ks2-pupils" in {a.slug for a in junior.agreements}
    assert {p.slug for p in junior.posters} == {
        "ks2-rules",
        "staff-dos-and-donts",
        "who-can-i-tell",
    }
    assert {t for p in junior.points for t in p.tiers} == {"lks2", "uks2", "staff"}
    middle = _as(content, "middle", (9, 13))
    assert {t for p in middle.points for t in p.tiers} == {"uks2", "staff"}
    assert "ks2-pupils" in {a.slug for a in middle.agreements}


def test_a_secondary_school_gets_the_adults_material_only(content: Content) -> None:
    secondary = _as(content, "secondary")
    assert not any(a.is_pupil_form for a in secondary.agreements)
    assert {p.audience for p in secondary.posters} == {"staff", "everyone"}
    assert {t for p in secondary.points for t in p.tiers} == {"staff"}


def test_the_sample_primary_school_keeps_everything(content: Content) -> None:
    assert content.school.phase == "primary"
    assert content.for_its_ages() == content
    assert len(content.agreements) == 6 and len(content.posters) == 4
    assert {q.id for q in quizzes_for(content).curriculum} >= {"ks1", "lks2", "uks2"}


# -- school.yml: the age range, and what check says of it ----------------------------------


def _school_yml(tmp_path: Path, lines: str) -> Path:
    source = (REPO / "content" / "school.yml").read_text(encoding="utf-8")
    source = "".join(line for line in source.splitlines(True) if not line.startswith("logo:"))
    path = tmp_path / "school.yml"
    path.write_text(source.replace("phase: primary\n", lines), encoding="utf-8")
    return path


def _said(tmp_path: Path, lines: str) -> tuple[list[str], list[str], int]:
    """The errors and warnings check gives for the sample's school.yml with ``lines`` in
    place of its phase, and the line the first of ``lines`` is on."""
    path = _school_yml(tmp_path, lines)
    diags = Diagnostics(tmp_path)
    check_school_file(tmp_path, path, diags)
    line = path.read_text(encoding="utf-8").splitlines().index(lines.splitlines()[0]) + 1
    return [str(d) for d in diags.errors], [str(d) for d in diags.warnings], line


@pytest.mark.parametrize(
    ("ages", "message"),
    [
        ("11-4", "ages: 11-4: the youngest age is not below the age pupils leave at"),
        ("7-7", "ages: 7-7: the youngest age is not below the age pupils leave at"),
        ("1-5", "ages: 1-5: expected ages from 2 (a nursery's youngest) to 19"),
        ("11-21", "ages: 11-21: expected ages from 2 (a nursery's youngest) to 19"),
        ("four to seven", "ages: 'four to seven' is not an age range; expected the youngest"),
        ("4", "ages: '4' is not an age range; expected the youngest pupils' age"),
        ("[4, 7]", "ages: '[4, 7]' is not an age range"),
    ],
)
def test_a_bad_age_range_is_an_error_at_its_place(tmp_path: Path, ages: str, message: str) -> None:
    errors, _, line = _said(tmp_path, f"phase: special\nages: {ages}\n")
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"school.yml:{line + 1}:7: {message}"), errors


@pytest.mark.parametrize("ages", ["4-7", "4 - 7", "4\u20137", "'4-7'"])
def test_an_age_range_is_written_with_a_hyphen_or_a_dash(tmp_path: Path, ages: str) -> None:
    errors, warnings, _ = _said(tmp_path, f"phase: infant\nages: {ages}\n")
    assert errors == [] and warnings == []


def test_ages_contradicting_the_phase_are_a_warning_at_the_ages(tmp_path: Path) -> None:
    errors, warnings, line = _said(tmp_path, "phase: infant\nages: 7-11\n")
    assert errors == []
    assert warnings == [
        f"school.yml:{line + 1}:7: warning: ages 7-11 do not fit phase 'infant' (a school of "
        "that phase teaches ages within 2-8); correct the phase or the ages: the ages decide "
        "which pupils' forms, posters and quizzes the school gets"
    ]
    _, fitting, _ = _said(tmp_path, "phase: primary\nages: 3-11\n")  # with a nursery class
    assert fitting == []


# -- check: an age the school teaches that no pupils' form or poster is for ----------------


def _warnings(root: Path) -> list[str]:
    return [str(d) for d in check_everything(Project.at(root)).warnings]


def test_the_example_trust_as_shipped_has_a_form_and_poster_for_every_age() -> None:
    said = _warnings(EXAMPLE)
    assert not [w for w in said if "the school teaches" in w], said


@pytest.fixture
def trust(tmp_path: Path) -> Path:
    root = tmp_path / "trust"
    shutil.copytree(EXAMPLE, root, symlinks=True, ignore=shutil.ignore_patterns("build"))
    return root


def test_check_warns_at_the_phase_of_each_school_with_no_form_for_its_ages(
    trust: Path, run_cli: RunCli
) -> None:
    (trust / "content" / "agreements" / "ks1-pupils.md").unlink()
    result = run_cli("check", "--project", trust)
    assert result.code == 0, result.err  # a warning, not an error
    said = [line for line in result.err.splitlines() if "the school teaches" in line]
    message = (
        "warning: the school teaches Reception and Key Stage 1 (ages 4-7), but none of its "
        "pupils' agreement forms is for them; add one with 'audience: ks1-pupils' to the "
        "agreements, or correct the phase or ages here"
    )
    # at phase: (line 8, column 8) of each school.yml; the junior school teaches no KS1
    assert said == [
        f"schools/ashby-road-infant/school.yml:8:8: {message}",
        f"schools/millpond-primary/school.yml:8:8: {message}",
    ]


def test_check_warns_at_the_ages_of_a_school_with_no_poster_for_them(trust: Path) -> None:
    (trust / "content" / "posters" / "ks2-rules.yml").unlink()
    school = trust / "schools" / "ashby-road-junior" / "school.yml"
    text = school.read_text(encoding="utf-8")
    school.write_text(text.replace("phase: junior\n", "phase: middle\nages: 9-13\n"))
    said = [w for w in _warnings(trust) if "the school teaches" in w]
    message = (
        "warning: the school teaches Key Stage 2 (ages 7-11), but none of its pupils' posters "
        "is for them; add one with 'audience: ks2' to the posters, or correct the phase or "
        "ages here"
    )
    assert said == [
        # the ages decide, so the warning is at them (line 9, column 7)
        f"schools/ashby-road-junior/school.yml:9:7: {message}",
        f"schools/millpond-primary/school.yml:8:8: {message}",
    ]


def test_a_single_school_is_warned_as_each_school_of_a_group(tmp_path: Path) -> None:
    root = make_project(tmp_path, REPO / "content")
    (root / "content" / "agreements" / "ks2-pupils.md").unlink()
    school = root / "content" / "school.yml"
    school.write_text(school.read_text(encoding="utf-8").replace("phase: primary", "phase: junior"))
    said = [w for w in _warnings(root) if "the school teaches" in w]
    assert len(said) == 1 and said[0].startswith("content/school.yml:"), said
    assert "Key Stage 2 (ages 7-11), but none of its pupils' agreement forms" in said[0]
    loaded, _ = check(Project.at(root))
    assert loaded is not None and not any(a.is_pupil_form for a in loaded.agreements)


def test_a_school_that_writes_no_pupils_forms_is_not_warned(tmp_path: Path) -> None:
    root = make_project(tmp_path, REPO / "content")
    for slug in ("ks1-pupils", "ks2-pupils"):
        (root / "content" / "agreements" / f"{slug}.md").unlink()
    assert not [w for w in _warnings(root) if "agreement forms is for them" in w]
