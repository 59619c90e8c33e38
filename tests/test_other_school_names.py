"""Names that are not this school's: the one rule (core/schoolnames.py), the importer's report
of it, and in a group of schools `check`'s warnings and `adopt`'s refusal."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from conftest import REPO, RunCli
from policypress.build import check_everything
from policypress.content.othernames import (
    MAX_LISTED,
    group_names,
    names_in_markdown,
    warn_model_names,
)
from policypress.core.diagnostics import Diagnostics
from policypress.core.project import Project
from policypress.core.schoolnames import MAX_SCANNED, SchoolNameRule, school_names
from policypress.importer.blocks import Block
from policypress.importer.headings import Section
from policypress.importer.placeholders import find_placeholders
from policypress.importer.report import Report

EXAMPLE = REPO / "examples" / "trust"


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Pupils at St Aldhelm's C of E Primary use tablets.", ["St Aldhelm's C of E Primary"]),
        (
            "Marlowe Academy and Hillcrest Junior School",
            ["Marlowe Academy", "Hillcrest Junior School"],
        ),
        ("Oakfield Primary School's governors meet termly.", ["Oakfield Primary School"]),
        # a title line runs the policy's name into the school's: the name starts after it
        ("Mobile Phone Policy Millbrook Primary School", ["Millbrook Primary School"]),
        ("ATTENDANCE POLICY FERNBROOK PRIMARY ACADEMY", ["FERNBROOK PRIMARY ACADEMY"]),
        ("Behaviour Procedures Reviewed Corrie Bank Primary", ["Corrie Bank Primary"]),
        (
            "Ashgrove Church of England Primary School",
            ["Ashgrove Church of England Primary School"],
        ),
        ("Pupils of Holmwood C of E Junior School", ["Holmwood C of E Junior School"]),
        ("THE HEADTEACHER OF OAKFIELD PRIMARY SCHOOL", ["OAKFIELD PRIMARY SCHOOL"]),
        ("LEAD: ST ALDHELM'S C OF E PRIMARY", ["ST ALDHELM'S C OF E PRIMARY"]),
        ("St. Mary’s Catholic Primary School opens at 8.", ["St. Mary’s Catholic Primary School"]),
        (
            "Heronsgate Infant and Nursery School, next door.",
            ["Heronsgate Infant and Nursery School"],
        ),
        (
            "Our Lady of Lourdes Catholic Primary School",
            ["Our Lady of Lourdes Catholic Primary School"],
        ),
        ("Pupils of Ridgeway Juniors bring no phones.", ["Ridgeway Juniors"]),
        ("The Head of Hillcrest Junior School agrees.", ["Hillcrest Junior School"]),
        ("Roles At Brook Lane Infants", ["Brook Lane Infants"]),
        ("Newcastle upon Tyne Primary Academy", ["Newcastle upon Tyne Primary Academy"]),
        ("Marlowe Academy Hillcrest Junior School", ["Marlowe Academy", "Hillcrest Junior School"]),
        ("Oakfield Infant and Junior School", ["Oakfield Infant and Junior School"]),
        ("Oakfield Infant & Nursery School", ["Oakfield Infant & Nursery School"]),
        ("Hollybrook & Vale Primary School", ["Hollybrook & Vale Primary School"]),
        ("Ofsted and Marlowe Academy", ["Marlowe Academy"]),
        ("Pupils of The Marrowdene Federation visit.", ["Marrowdene Federation"]),
        ("Oakfield Primary Federation", ["Oakfield Primary Federation"]),
        ("Marrowdene Schools Federation", ["Marrowdene Schools Federation"]),
        ("Little Acorns Nursery opens at 8.", ["Little Acorns Nursery"]),
        ("Little Acorns Nursery School opens at 8.", ["Little Acorns Nursery School"]),
        ("St Mary's C of E Primary Academy", ["St Mary's C of E Primary Academy"]),
        ("Ashby Road Schools share a hall.", ["Ashby Road Schools"]),
        ("HERONSGATE INFANT AND NURSERY SCHOOL", ["HERONSGATE INFANT AND NURSERY SCHOOL"]),
        # Welsh names start with Ysgol; English and Welsh sentences alike
        ("Pupils of Ysgol Bro Dinefwr visit.", ["Ysgol Bro Dinefwr"]),
        (
            "Disgyblion Ysgol y Graig ac Ysgol Gynradd Llanfair",
            ["Ysgol y Graig", "Ysgol Gynradd Llanfair"],
        ),
        ("Polisi Diogelu Ysgol Yr Hendre", ["Ysgol Yr Hendre"]),
        ("Ysgol Gymraeg Aberconwy Primary School", ["Ysgol Gymraeg Aberconwy Primary School"]),
        # not names: phases, kinds, roles, approaches, other organisations
        ("All primary school pupils and the school's secondary school staff.", []),
        ("Junior School pupils use tablets. Secondary School staff do not.", []),
        ("Roles Of The Primary School", []),
        ("The Head of School writes to the Church of England Academy.", []),
        ("Forest School sessions; the Virtual School Head; After School Club.", []),
        ("Ofsted inspects us; Oak National Academy lessons; a University College course.", []),
        ("Our Primary School and a Multi Academy Trust", []),
        ("Key Stage One Infant School pupils; Early Years Primary staff", []),
        ("Advice for Head Teachers and School Staff; Safety and Whole School", []),
        ("3. Associated School Policies; the Designated School", []),
        ("Wrenfield College students visit.", ["Wrenfield College"]),  # found; see colleges
        ("The Nursery and the Federation; Early Years and Nursery; Day Nursery staff", []),
        ("Ysgol Gynradd; yr Ysgol; Ysgol is Welsh for school; Ysgol y", []),
        ("Brookfield Vale Schools Trust and the Marlowe Schools Partnership", []),
    ],
)
def test_school_names_finds_proper_names_only(line: str, names: list[str]) -> None:
    assert [found.text for found in school_names(line)] == names


def test_columns_point_at_the_name() -> None:
    line = "At the gate of Marlowe Academy, staff wait."
    (found,) = school_names(line)
    assert line[found.col - 1 :].startswith("Marlowe Academy")


@pytest.mark.parametrize(
    ("own", "line", "others"),
    [
        ("Hillcrest Junior School", "Hillcrest Junior School and Marlowe Academy",
         ["Marlowe Academy"]),
        ("Hillcrest Junior School", "HILLCREST JUNIORS and hillcrest junior school", []),
        ("Hillcrest Junior School", "Visiting Hillcrest School is fun.", []),
        ("Hillcrest Junior School", "Non-Hillcrest Junior School devices are checked.", []),
        ("Hillcrest Junior School", "Non-Marlowe Academy devices", ["Marlowe Academy"]),
        ("Stoke-by-Nayland Primary", "STOKE-BY-NAYLAND SCHOOL", []),
        ("Ashby Road Infant School",
         "Ashby Road Infants share a hall with Ashby Road Junior School",
         ["Ashby Road Junior School"]),
        ("St Aldhelm's CE Primary School", "St Aldhelms C of E Primary and St Bede's Primary",
         ["St Bede's Primary"]),
        ("", "Marlowe Academy and Wrenfield College", ["Marlowe Academy"]),
        ("Ysgol Bro Dinefwr", "Ysgol Bro Dinefwr ac Ysgol y Graig", ["Ysgol y Graig"]),
        ("Ysgol Gynradd Llanfair", "Ysgol Llanfair a Ysgol Babanod Llanfair",
         ["Ysgol Babanod Llanfair"]),  # Welsh phases: an infant school is another school
        ("Ysgol Sant Illtud", "Pupils of Ysgol Saint Illtud", []),
        ("The Marrowdene Federation", "Marrowdene Federation and Oakfield Federation",
         ["Oakfield Federation"]),
    ],
)  # fmt: skip
def test_others_leaves_out_this_school(own: str, line: str, others: list[str]) -> None:
    assert [found.text for found in SchoolNameRule(own).others(line)] == others


def test_a_college_counts_when_it_is_of_the_group_or_this_school_is_one() -> None:
    line = "Students of Wrenfield College and Marlowe College visit."
    assert SchoolNameRule("Larch Hill Primary School").others(line) == []
    group = ["Larch Hill Primary School", "Marlowe College"]
    (found,) = SchoolNameRule("Larch Hill Primary School", group).others(line)
    assert (found.text, found.known) == ("Marlowe College", "Marlowe College")
    texts = [f.text for f in SchoolNameRule("Hillcrest College").others(line)]
    assert texts == ["Wrenfield College", "Marlowe College"]


def test_classify_marks_own_and_group_schools() -> None:
    group = ["Ashby Road Infant School", "Ashby Road Junior School", "Millpond Primary School"]
    line = "Ashby Road Infants, Millpond Primary and Oakfield Academy"
    marked = SchoolNameRule("Ashby Road Infant School", group).classify(line)
    assert [(f.text, f.own, f.known) for f in marked] == [
        ("Ashby Road Infants", True, None),
        ("Millpond Primary", False, "Millpond Primary School"),
        ("Oakfield Academy", False, None),
    ]


def test_the_rule_is_bounded() -> None:
    """A long line of capitalised words is read in linear time, and only its first
    MAX_SCANNED characters are read."""
    line = "Aaa " * 250_000 + "School"
    started = time.perf_counter()
    assert school_names(line) == []  # the name lies past what is scanned
    assert time.perf_counter() - started < 5
    near = "Aaa " * 1000 + "Marlowe Academy"
    assert [f.text for f in school_names(near)] == [
        "Aaa Aaa Aaa Aaa Aaa Aaa Aaa Aaa Aaa Marlowe Academy"
    ]
    assert len(near) < MAX_SCANNED


def test_the_importer_reports_own_and_other_names_and_rewrites_nothing() -> None:
    text = "LARCH HILL PRIMARY works with Wrenfield College and Ofsted; Oakfield Primary School"
    block = Block(kind="para", where="paragraph 3", plain=text)
    report = Report("policy.txt")
    section = Section(1, "Scope", "scope", "paragraph 2", blocks=[block])
    found = find_placeholders([section], "Larch Hill Primary School", report)
    assert found == []  # names are reported, not placeholders to fill
    assert report.lines() == [
        "paragraph 3: placeholder: the school's name 'LARCH HILL PRIMARY'; suggested variable: "
        "{{ school.name }}",
        "paragraph 3: placeholder: another school's name 'Oakfield Primary School' (not Larch "
        "Hill Primary School); suggested variable: {{ school.name }} if it means this school, "
        "otherwise leave it",
    ]
    assert block.plain == text


# A group of schools --------------------------------------------------------------------------


@pytest.fixture
def trust(tmp_path: Path) -> Path:
    """A scratch copy of the example trust whose mobile-devices model names sister schools."""
    root = tmp_path / "trust"
    shutil.copytree(EXAMPLE, root, symlinks=True, ignore=shutil.ignore_patterns("build"))
    return root


MODEL = "content/policies/mobile-devices/policy.md"
LOCAL = "schools/ashby-road-infant/local/mobile-devices.md"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def _name_model(trust: Path) -> None:
    """The model's summary and body name sister schools and one other school; a code span, a
    link's address and other organisations are left alone."""
    _edit(trust / MODEL, "devices at our school,", "devices at Hillcrest Junior School,")
    _edit(
        trust / MODEL,
        "during the school day.",
        "during the school day, as at Millpond Primary. Phones found at ASHBY ROAD JUNIOR "
        "SCHOOL go to the office of Hillcrest Academy; Ofsted and Wrenfield College agree. "
        "See `Ashby Road Infant School` and [the guide](https://millpond-primary.example/).",
    )


def _at(root: Path, path: str, word: str) -> str:
    """path:line:col of the first line holding ``word``, at ``word``."""
    lines = (root / path).read_text("utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, 1) if word in text)
    return f"{path}:{line}:{lines[line - 1].index(word) + 1}"


def _warnings(root: Path) -> list[str]:
    diags = check_everything(Project.at(root))
    assert not diags.errors, [str(e) for e in diags.errors]
    return [str(w) for w in diags.warnings if "school" in w.message and "name" in w.message]


def test_the_example_trust_names_no_school_where_it_should_not() -> None:
    assert _warnings(EXAMPLE) == []


def test_check_warns_where_a_model_names_a_school(trust: Path) -> None:
    _name_model(trust)
    at = {w.split(": warning: ")[0]: w.split(": warning: ")[1] for w in _warnings(trust)}
    assert set(at) == {
        _at(trust, MODEL, word) for word in ("Hillcrest Junior", "Millpond", "ASHBY", "Hillcrest A")
    }
    assert _at(trust, MODEL, "Hillcrest Junior").startswith(f"{MODEL}:5:")  # the summary
    millpond = at[_at(trust, MODEL, "Millpond")]
    assert "'Millpond Primary' (Millpond Primary School), a school of the group" in millpond
    assert "write {{ school.name }}" in millpond
    assert "'ASHBY ROAD JUNIOR SCHOOL' (Ashby Road Junior School)" in at[_at(trust, MODEL, "ASHBY")]
    hillcrest = at[_at(trust, MODEL, "Hillcrest A")]
    assert "'Hillcrest Academy' looks like a school's name" in hillcrest


def test_check_warns_where_a_school_names_a_sister_school(trust: Path) -> None:
    (trust / LOCAL).write_text(
        (trust / LOCAL).read_text("utf-8")
        + "\nAshby Road Infants pupils moving up to Ashby Road Junior School leave phones "
        "at home,\nas Wrenfield College students and Oakfield Academy visitors do.\n",
        "utf-8",
    )
    warnings = _warnings(trust)
    lines = (trust / LOCAL).read_text().split("\n")
    line = next(n for n, text in enumerate(lines, 1) if "Ashby Road Junior" in text)
    col = lines[line - 1].index("Ashby Road Junior") + 1
    assert warnings == [
        f"{LOCAL}:{line}:{col}: warning: 'Ashby Road Junior School' is another school of the "
        "group; write {{ school.name }} if it means Ashby Road Infant School, or leave it if "
        "the policy means to name the other school"
    ]


def test_adopt_refuses_a_model_version_naming_another_school(trust: Path, run_cli: RunCli) -> None:
    _name_model(trust)
    approved = run_cli(
        "approve", "mobile-devices", "--project", trust, "--by", "Trust Board",
        "--meeting", "2026-10-20", "--minor", "--note", "Phones found are handed in.",
    )  # fmt: skip
    assert approved.code == 0, approved.err
    history = trust / "schools/ashby-road-infant/policies/mobile-devices/history.yml"
    before = history.read_text("utf-8")
    result = run_cli(
        "adopt", "ashby-road-infant", "mobile-devices", "--project", trust,
        "--model-version", "1.1", "--by", "LGB", "--date", "2026-10-28",
    )  # fmt: skip
    assert result.code == 1
    version = "content/policies/mobile-devices/versions/1.1.md"
    refusals = [r for r in result.err.splitlines() if "another school of the group" in r]
    assert refusals == [
        f"policypress: cannot adopt: {_at(trust, version, word)}: model "
        f"version 1.1 names {named}, another school of the group; the trust should write "
        "{{ school.name }} there and approve a new model version, then adopt that"
        for word, named in (
            ("Millpond", "'Millpond Primary' (Millpond Primary School)"),
            ("ASHBY", "'ASHBY ROAD JUNIOR SCHOOL' (Ashby Road Junior School)"),
        )
    ]
    assert history.read_text("utf-8") == before  # nothing written
    assert not (history.parent / "versions/1.1.md").exists()
    # Millpond's own name is no other school's to Millpond, but Ashby Road Junior still is.
    millpond = run_cli(
        "adopt", "millpond-primary", "mobile-devices", "--project", trust,
        "--model-version", "1.1", "--by", "LGB", "--date", "2026-10-28",
    )  # fmt: skip
    assert millpond.code == 1
    assert "'Millpond Primary'" not in millpond.err and "ASHBY ROAD JUNIOR" in millpond.err


def test_adopt_accepts_a_model_naming_only_other_organisations(
    trust: Path, run_cli: RunCli
) -> None:
    _edit(
        trust / MODEL,
        "during the school day.",
        "during the school day. Ofsted, Wrenfield College and Oak National Academy agree.",
    )
    assert _warnings(trust) == []
    approved = run_cli(
        "approve", "mobile-devices", "--project", trust, "--by", "Trust Board",
        "--meeting", "2026-10-20", "--minor", "--note", "Partners named.",
    )  # fmt: skip
    assert approved.code == 0, approved.err
    adopted = run_cli(
        "adopt", "ashby-road-infant", "mobile-devices", "--project", trust,
        "--model-version", "1.1", "--by", "LGB", "--date", "2026-10-28",
    )  # fmt: skip
    assert adopted.code == 0, adopted.err


def test_a_file_naming_very_many_schools_lists_the_first_hundred(tmp_path: Path) -> None:
    path = tmp_path / "policy.md"
    text = "---\ntitle: T\n---\n\n" + "Pupils of Marlowe Academy and Oakfield Infants.\n" * 80
    diags = Diagnostics(tmp_path)
    warn_model_names(path, text, [], diags)
    assert len(diags.warnings) == MAX_LISTED + 1
    cut = [w for w in diags.warnings if "only the first 100 school names" in w.message]
    assert [(w.location.line, w.location.col) for w in cut] == [
        (54, 31)
    ]  # the 100th: the second name of the 50th line


@pytest.mark.parametrize(
    "line", ["](" * 5000, "{#" * 5000, "`a" * 5000, "{{a" * 3400, "[a](b) " * 1400]
)
def test_markdown_is_read_in_linear_time(line: str) -> None:
    """A 5 MB file (the largest content file) of marks that never close is read in seconds."""
    started = time.perf_counter()
    assert names_in_markdown((line + "\n") * 500, "Marlowe Academy") == []
    assert time.perf_counter() - started < 20


def test_code_link_addresses_heading_ids_and_variables_are_not_prose() -> None:
    text = (
        "## Roles at Hillcrest Academy {#hillcrest-academy}\n\n"
        "See [the guide](https://x.example/Marlowe_Academy) and `Oakfield School`, "
        "{{ school.name }}.\n\n```\nBrook Lane Infants\n```\n[Wrenfield Primary](#roles)\n"
    )
    assert [(at.line, at.col, at.found.text) for at in names_in_markdown(text)] == [
        (1, 13, "Hillcrest Academy"),
        (8, 2, "Wrenfield Primary"),  # a link's text is prose
    ]


def test_the_group_names_are_read_again_when_a_school_yml_changes(trust: Path) -> None:
    assert group_names(trust, Project.at(trust).school_ids()) == {
        "ashby-road-infant": "Ashby Road Infant School",
        "ashby-road-junior": "Ashby Road Junior School",
        "millpond-primary": "Millpond Primary School",
    }
    _edit(
        trust / "schools/millpond-primary/school.yml", "Millpond Primary", "Millpond C of E Primary"
    )
    assert (
        group_names(trust, Project.at(trust).school_ids())["millpond-primary"]
        == "Millpond C of E Primary School"
    )
