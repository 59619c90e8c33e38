"""Titles and review histories as schools write them: the date, term, school-year and range
parser; review and approval lines; the school's name on the title line; no title from a file
name; and the two real school policies the project learns from (kept beside the repository,
in ../shared/seeds/, or where POLICYPRESS_SEEDS says; never copied into it), which must
import with their title and history found."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, RunCli, make_project
from policypress.build import check
from policypress.content.notation import parse_date_as_given
from policypress.core.project import Project
from policypress.importer import convert
from policypress.importer.coverlines import fields, label_key, split_approval, title_tail
from policypress.importer.covertitle import names_policy
from policypress.importer.dates import parse_date, parse_range
from policypress.importer.titles import is_file_name, without_school
from policypress.importer.writer import body_markdown

SEEDS = Path(os.environ.get("POLICYPRESS_SEEDS") or REPO.parent / "shared" / "seeds")


@pytest.mark.parametrize(
    ("text", "given", "earliest", "exact"),
    [
        ("03/02/21", "2021-02-03", dt.date(2021, 2, 3), True),
        ("14/09/22", "2022-09-14", dt.date(2022, 9, 14), True),
        ("3.2.2021", "2021-02-03", dt.date(2021, 2, 3), True),
        ("03.07.2023", "2023-07-03", dt.date(2023, 7, 3), True),
        ("3 / 2 / 2021", "2021-02-03", dt.date(2021, 2, 3), True),
        ("12th March 2022", "2022-03-12", dt.date(2022, 3, 12), True),
        ("1st of June 2020", "2020-06-01", dt.date(2020, 6, 1), True),
        ("3rd Feb. 2021", "2021-02-03", dt.date(2021, 2, 3), True),
        ("March 12th, 2022", "2022-03-12", dt.date(2022, 3, 12), True),
        ("2021-03-04", "2021-03-04", dt.date(2021, 3, 4), True),
        ("Spring 2024", "Spring 2024", dt.date(2024, 1, 1), False),
        ("Autumn term 2023", "Autumn term 2023", dt.date(2023, 9, 1), False),
        ("Summer Term 2022", "Summer term 2022", dt.date(2022, 4, 1), False),
        ("SUMMER, 2022", "Summer 2022", dt.date(2022, 4, 1), False),
        ("Autumn 23", "Autumn 2023", dt.date(2023, 9, 1), False),
        ("Spring Term 24", "Spring term 2024", dt.date(2024, 1, 1), False),
        ("2023/24", "2023/24", dt.date(2023, 9, 1), False),
        ("2023-2024", "2023-2024", dt.date(2023, 9, 1), False),
        ("2023-24", "2023-24", dt.date(2023, 9, 1), False),
        ("1999/2000", "1999/2000", dt.date(1999, 9, 1), False),
        ("July 2019", "July 2019", dt.date(2019, 7, 1), False),
        ("Sept 2019", "Sept 2019", dt.date(2019, 9, 1), False),
        ("2020", "2020", dt.date(2020, 1, 1), False),
    ],
)
def test_dates_terms_and_school_years_as_schools_write_them(
    text: str, given: str, earliest: dt.date, exact: bool
) -> None:
    parsed = parse_date(text, search=True)
    assert parsed is not None
    assert (parsed.given, parsed.earliest, parsed.day is not None) == (given, earliest, exact)
    # What the importer writes, the history reads back as the same first day.
    as_given = parse_date_as_given(parsed.given)
    assert as_given is not None and as_given.earliest == earliest


@pytest.mark.parametrize(
    "text",
    [
        "09/14/22",  # month first: no 14th month, and never guessed the American way
        "31/02/21",  # no such day
        "13/13/2021",
        "2023/25",  # no school year
        "2023-22",
        "Sep-23",  # a month and two digits: the 23rd, or 2023?
        "September 23",
        "Spring",
        "Summer 1066",
        "TBC",
        "as and when needed",
        "1.2.3",
        "",
    ],
)
def test_dates_that_cannot_be_read_for_sure_are_not_read(text: str) -> None:
    assert parse_date(text, search=True) is None


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        ("2020 - Review 2023", "2020", "2023"),
        ("2019 \u2013 2022", "2019", "2022"),
        ("2019 - review 2022", "2019", "2022"),
        ("Spring 2021 to Spring 2022", "Spring 2021", "Spring 2022"),
        ("2020 \u2014 Next review: 2021", "2020", "2021"),
        ("03/02/21 - Review date 03/02/22", "2021-02-03", "2022-02-03"),
    ],
)
def test_ranges_give_the_date_and_the_next_review(text: str, first: str, second: str) -> None:
    found = parse_range(text)
    assert found is not None
    assert (found[0].given, found[1].given) == (first, second)


@pytest.mark.parametrize(
    "text", ["2022 - 2019", "2020 - 2020", "2020", "2023-2024", "2020 - Review soon", "2020 2023"]
)
def test_not_a_range(text: str) -> None:
    assert parse_range(text) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Reviewed: Spring 2024", [("reviewed", "Spring 2024")]),
        ("Last reviewed Autumn term 2023", [("reviewed", "Autumn term 2023")]),
        ("Date of review - 03/02/21", [("review_either", "03/02/21")]),
        ("Next review: 2023/24", [("review", "2023/24")]),
        ("Review date\u00b2: Summer Term 2022", [("review", "Summer Term 2022")]),
        ("Approved by LGB: 14/09/22", [("approved_by", "LGB: 14/09/22")]),
        ("Ratified by FGB 3.2.2021", [("approved_by", "FGB 3.2.2021")]),
        ("Adopted: September 2023", [("approved_on", "September 2023")]),
        ("Date agreed 12th March 2022", [("approved_on", "12th March 2022")]),
        (
            "Reviewed Summer 2023 Next Review Summer 2024",
            [("reviewed", "Summer 2023"), ("review", "Summer 2024")],
        ),
        (
            "Approved by the Trust Board | Review due: Autumn 2025",
            [("approved_by", "the Trust Board"), ("review", "Autumn 2025")],
        ),
    ],
)
def test_review_and_approval_lines(line: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.key, f.value) for f in fields(line)] == expected


@pytest.mark.parametrize(
    "line",
    [
        "Reviewed annually by the governing body.",  # no ':' and no date: body text
        "Approved by governors before it is shared",
        "This policy was reviewed in 2021.",  # does not start with a label
        "Policy statement",
        "Version control and the review cycle",
    ],
)
def test_body_text_is_no_review_line(line: str) -> None:
    assert fields(line) == []


@pytest.mark.parametrize(
    ("value", "body", "date"),
    [
        ("LGB: 14/09/22", "LGB", "14/09/22"),
        ("the Headteacher on 3.2.2021", "Headteacher", "3.2.2021"),
        ("Full Governing Body, Spring term 2023", "Full Governing Body", "Spring term 2023"),
        ("Trust Board \u2013 September 2023", "Trust Board", "September 2023"),
        ("the governors", "governors", ""),
    ],
)
def test_the_approver_and_the_date_are_told_apart(value: str, body: str, date: str) -> None:
    assert split_approval(value) == (body, date)


def test_a_label_with_the_approver_in_it() -> None:
    assert label_key("Approved by the Full Governing Body") == "approved_by"
    assert label_key("Ratified by FGB") == "approved_by"
    assert label_key("DATE OF NEXT REVIEW") == "review"
    assert label_key("Purpose") == ""


@pytest.mark.parametrize(
    ("line", "title", "found"),
    [
        (
            "Quillmoor Primary School Mobile Devices Policy Reviewed Summer 2023 Next Review "
            "Summer 2024",
            "Quillmoor Primary School Mobile Devices Policy",
            [("reviewed", "Summer 2023"), ("review", "Summer 2024")],
        ),
        (
            "E-Safety Policy 2019 - Review 2022",
            "E-Safety Policy",
            [("reviewed", "2019"), ("review", "2022")],
        ),
        ("Online Safety Policy 2023/24", "Online Safety Policy", [("reviewed", "2023/24")]),
        (
            "Anti-Bullying Policy \u2013 Approved by LGB: 14/09/22",
            "Anti-Bullying Policy",
            [("approved_by", "LGB: 14/09/22")],
        ),
        ("Online Safety Policy", "Online Safety Policy", []),
        ("Online Safety Policy for 2023 and after", "Online Safety Policy for 2023 and after", []),
    ],
)
def test_the_title_line_gives_up_its_dates(
    line: str, title: str, found: list[tuple[str, str]]
) -> None:
    got_title, got = title_tail(line)
    assert (got_title, [(f.key, f.value) for f in got]) == (title, found)


@pytest.mark.parametrize(
    ("title", "without", "school"),
    [
        (
            "Quillmoor Primary School Mobile Devices Policy",
            "Mobile Devices Policy",
            "Quillmoor Primary School",
        ),
        (
            "ST ODRAN'S RC PRIMARY SCHOOL ONLINE SAFETY POLICY",
            "ONLINE SAFETY POLICY",
            "ST ODRAN'S RC PRIMARY SCHOOL",
        ),
        (
            "Brambleholt Academy's Acceptable Use Policy",
            "Acceptable Use Policy",
            "Brambleholt Academy",
        ),
        (
            "Marrowdene Federation \u2013 Remote Learning Policy",
            "Remote Learning Policy",
            "Marrowdene Federation",
        ),
        ("Whole School Behaviour Policy", "Whole School Behaviour Policy", ""),
        ("Forest School Policy", "Forest School Policy", ""),
        ("Primary School Admissions Policy", "Primary School Admissions Policy", ""),
        ("Quillmoor Primary School", "Quillmoor Primary School", ""),
        (
            "Larchquay Infant School and Nursery Remote Learning Policy",
            "Remote Learning Policy",
            "Larchquay Infant School and Nursery",
        ),
        ("Little Pebbles Nursery Cameras Policy", "Cameras Policy", "Little Pebbles Nursery"),
        ("Early Years and Nursery Policy", "Early Years and Nursery Policy", ""),
        ("Nursery Admissions Policy", "Nursery Admissions Policy", ""),
        ("Quillmoor School Policy", "Quillmoor School Policy", ""),
        # the school's name after the title: the same rule at the other end
        (
            "Attendance Policy Fernbrook Primary Academy",
            "Attendance Policy",
            "Fernbrook Primary Academy",
        ),
        (
            "Behaviour Policy – Ashgrove Church of England Primary School",
            "Behaviour Policy",
            "Ashgrove Church of England Primary School",
        ),
        ("Mobile Devices Policy: Ridgeway Juniors", "Mobile Devices Policy", "Ridgeway Juniors"),
        ("Policy for Hollins Academy", "Policy for Hollins Academy", ""),
        # the wordings schools use, at either end, found by the one rule in core.schoolnames
        (
            "The Marrowdene Federation Remote Learning Policy",
            "Remote Learning Policy",
            "The Marrowdene Federation",
        ),
        (
            "Remote Learning Policy - The Marrowdene Federation",
            "Remote Learning Policy",
            "The Marrowdene Federation",
        ),
        ("Policy for the Marrowdene Federation", "Policy for the Marrowdene Federation", ""),
        (
            "Marrowdene Schools Federation Remote Learning Policy",
            "Remote Learning Policy",
            "Marrowdene Schools Federation",
        ),
        (
            "Little Acorns Nursery School Intimate Care Policy",
            "Intimate Care Policy",
            "Little Acorns Nursery School",
        ),
        (
            "Intimate Care Policy: Little Acorns Nursery School",
            "Intimate Care Policy",
            "Little Acorns Nursery School",
        ),
        (
            "St Mary's C of E Primary Academy Charging Policy",
            "Charging Policy",
            "St Mary's C of E Primary Academy",
        ),
        (
            "Charging Policy St Mary's C of E Primary Academy",
            "Charging Policy",
            "St Mary's C of E Primary Academy",
        ),
        (
            "BRACKENWOOD NURSERY AND INFANT SCHOOL ONLINE SAFETY POLICY",
            "ONLINE SAFETY POLICY",
            "BRACKENWOOD NURSERY AND INFANT SCHOOL",
        ),
        ("Ysgol y Graig Polisi Diogelu", "Polisi Diogelu", "Ysgol y Graig"),
        ("Polisi Diogelu Ysgol Gynradd Llanfair", "Polisi Diogelu", "Ysgol Gynradd Llanfair"),
        ("Polisi ar gyfer Ysgol y Graig", "Polisi ar gyfer Ysgol y Graig", ""),
        ("Ysgol Bro Dinefwr - Safeguarding Policy", "Safeguarding Policy", "Ysgol Bro Dinefwr"),
        ("Safeguarding Policy: Ysgol Bro Dinefwr", "Safeguarding Policy", "Ysgol Bro Dinefwr"),
        # where the name ends cannot be told without a separator: the title stays whole
        (
            "Ysgol Bro Dinefwr Safeguarding Policy",
            "Ysgol Bro Dinefwr Safeguarding Policy",
            "",
        ),
        ("Ysgol Gynradd Polisi Diogelu", "Ysgol Gynradd Polisi Diogelu", ""),
    ],
)
def test_the_schools_name_comes_off_the_title(title: str, without: str, school: str) -> None:
    assert without_school(title) == (without, school)


def test_another_schools_name_stays_in_the_title_for_the_report() -> None:
    own = "Ridgeway Infant School"
    for title in (
        "Ridgeway Junior School Mobile Devices Policy",
        "Mobile Devices Policy: Ridgeway Juniors",
    ):
        assert without_school(title, own) == (title, "")
    assert without_school("RIDGEWAY INFANT SCHOOL Mobile Devices Policy", own) == (
        "Mobile Devices Policy",
        "RIDGEWAY INFANT SCHOOL",
    )
    assert without_school("Mobile Devices Policy - Ridgeway Infants", own) == (
        "Mobile Devices Policy",
        "Ridgeway Infants",
    )


def test_the_name_in_school_yml_comes_off_the_title_too() -> None:
    name = "Little Pebbles Nursery"
    assert without_school("Little Pebbles Nursery: Cameras Policy", name) == (
        "Cameras Policy",
        name,
    )
    # school.yml says where a Welsh name ends, which the title alone cannot
    welsh = "Ysgol Bro Dinefwr"
    assert without_school("Ysgol Bro Dinefwr Safeguarding Policy", welsh) == (
        "Safeguarding Policy",
        welsh,
    )
    assert without_school("Ysgol y Graig Polisi Diogelu", welsh) == (
        "Ysgol y Graig Polisi Diogelu",
        "",
    )  # another school's: it stays, for the report to flag it
    assert without_school(
        "The Marrowdene Federation Remote Learning Policy", "Oakfield Federation"
    ) == (
        "The Marrowdene Federation Remote Learning Policy",
        "",
    )


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("5f0c3e9a71b2", True),
        ("c0ffee00-1234-4abc", True),
        ("online-safety-v3.docx", True),
        ("Online Safety Policy", False),
        ("Accessed", False),
    ],
)
def test_a_file_name_is_no_title(title: str, expected: bool) -> None:
    assert is_file_name(title, "download") is expected


def test_a_page_title_naming_the_file_is_not_the_title(tmp_path: Path) -> None:
    source = tmp_path / "8e2f4a0c9d1b.html"
    source.write_text(
        "<html><head><title>8e2f4a0c9d1b</title></head><body><h2>1. Purpose</h2>"
        "<p>Pupils use the school's tablets only in lessons.</p></body></html>"
    )
    doc = convert(source)
    assert doc.front["title"] == "to-confirm"
    lines = doc.report.lines()
    assert "document: to confirm: title: none found in the document; write it in" in lines
    assert "document: dropped: document title '8e2f4a0c9d1b': only a file name" in lines


def test_long_lines_are_read_in_bounded_time() -> None:
    """No pattern can backtrack its way into minutes: worst-case lines take milliseconds."""
    lines = [
        "Reviewed " * 20_000,
        "1" * 50_000,
        "2020 - " * 10_000,
        "Policy " * 20_000 + "Reviewed Summer 2023",
        "12th " * 20_000,
    ]
    started = time.perf_counter()
    for line in lines:
        parse_date(line, search=True)
        parse_range(line)
        fields(line)
        title_tail(line)
        without_school(line)
    assert time.perf_counter() - started < 2


def _legacy(path: Path) -> tuple[str, object, list[tuple[str, str]]]:
    doc = convert(path)
    return (
        str(doc.front["title"]),
        doc.front.get("next_review"),
        [(e.version, e.date.given) for e in doc.legacy],
    )


def test_real_policy_a_imports_with_its_title_and_history() -> None:
    if not SEEDS.is_dir():
        pytest.skip("the real policies are not on this machine")
    path = SEEDS / "school-a-acceptable-use-and-esafety-policy.txt"
    title, next_review, legacy = _legacy(path)
    assert title == "Acceptable Use and E-Safety Policy"
    assert next_review == dt.date(2024, 9, 1)  # the cover table's next review
    assert legacy == [("", "June 2023")]  # the adoption line after the text
    doc = convert(path)
    assert doc.legacy[0].body not in ("", "to-confirm")
    assert doc.cover.reviewed is not None and doc.cover.reviewed.given == "April 2023"


def test_real_policy_b_imports_with_its_title_and_history() -> None:
    if not SEEDS.is_dir():
        pytest.skip("the real policies are not on this machine")
    path = SEEDS / "school-b-online-safety-policy-and-procedures.txt"
    title, next_review, legacy = _legacy(path)
    assert title == "Online Safety Policy & Procedures"
    assert next_review is None  # its cover leaves the review date blank
    assert legacy == [
        ("1", "February 2012"),
        ("2", "March 2013"),
        ("3", "November 2013"),
        ("4", "April 2014"),
        ("5", "September 2015"),
        ("6", "March 2016"),
        ("7", "August 2016"),
        ("8", "April 2018"),
        ("9", "September 2018"),
    ]


def _imported(tmp_path: Path, front: str) -> Path:
    project = make_project(tmp_path / "p", FIXTURES / "minimal" / "content")
    policy = project / "content" / "policies" / "internet-use" / "policy.md"
    text = policy.read_text()
    policy.write_text(text.replace("title: Internet Use Policy", front, 1))
    return project


@pytest.mark.parametrize("title", ["internet-use", "Internet use", "INTERNET USE", "policy"])
def test_check_warns_of_a_title_nobody_chose(tmp_path: Path, run_cli: RunCli, title: str) -> None:
    project = _imported(tmp_path, f"title: {title}")
    result = run_cli("check", "--project", project)
    assert result.code == 0, result.err
    assert (
        f"content/policies/internet-use/policy.md:2:8: warning: title '{title}' is only the "
        "name of the policy's folder or file; expected the policy's own title, as its readers "
        "know it (such as 'Online Safety Policy')"
    ) in result.err.splitlines()
    strict = run_cli("check", "--strict", "--project", project)
    assert strict.code == 1


def test_check_is_quiet_about_a_chosen_title(tmp_path: Path, run_cli: RunCli) -> None:
    project = _imported(tmp_path, "title: Internet Use Policy")
    result = run_cli("check", "--project", project)
    assert result.code == 0, result.err
    assert "is only the name of the policy's folder" not in result.err


def test_check_lists_a_title_to_confirm(tmp_path: Path, run_cli: RunCli) -> None:
    project = _imported(tmp_path, "title: to-confirm")
    result = run_cli("check", "--project", project)
    assert result.code == 0, result.err
    assert (
        "content/policies/internet-use/policy.md:2:8: warning: to confirm: the title of "
        "internet-use is not known yet; write it in place of 'to-confirm' (the preview shows "
        "'to be confirmed'; approve refuses until then)"
    ) in result.err.splitlines()


def test_the_preview_names_a_title_to_confirm_as_such(tmp_path: Path) -> None:
    project = _imported(tmp_path, "title: to-confirm")
    loaded, diags = check(Project.at(project), "preview")
    assert loaded is not None, [str(d) for d in diags.items]
    assert [p.title for p in loaded.policies] == ["to be confirmed"]


def test_cover_lines_in_a_plain_text_policy(tmp_path: Path) -> None:
    """A range as a label's value gives the next review too; a second approval date is
    reported, not lost; body text that starts like a label stays in the text."""
    source = tmp_path / "download.txt"
    source.write_text(
        "Attendance and Online Registers Policy\n\n"
        "Reviewed: 2021 - Review 2024\n"
        "Approved by: the Headteacher, 3.2.2021\n\n"
        "1. Purpose\n\nReviewed annually by the governing body.\n\n"
        "Date agreed: 4.2.2021\n"
    )
    doc = convert(source)
    assert doc.front["title"] == "Attendance and Online Registers Policy"
    assert doc.front["next_review"] == dt.date(2024, 1, 1)
    assert [(e.date.given, e.body) for e in doc.legacy] == [("2021-02-03", "Headteacher")]
    lines = doc.report.lines()
    assert (
        "line 10: not placed: 'Date agreed: 4.2.2021': a second approved on date; "
        "'2021-02-03' (given first) is kept"
    ) in lines
    assert "Reviewed annually by the governing body." in body_markdown(doc)


# Cover wordings beyond the fixtures: the title, the last version's date and next_review each
# must come out of every one of them (invented; a body of two numbered sections follows).
_COVER_BODY = (
    "\n\n1. Purpose\n\nPupils use tablets in lessons only.\n\n"
    "2. Reporting\n\nStaff report concerns the same day.\n"
)


@pytest.mark.parametrize(
    ("head", "title", "date", "next_review"),
    [
        (
            "Pennyfield Brook Primary School Mobile Devices "
            "Policy Reviewed Summer 2023 Next Review Summer 2024",
            "Mobile Devices Policy",
            "Summer 2023",
            "2024-04-01",
        ),
        (
            "PENNYFIELD BROOK PRIMARY SCHOOL\n\nMOBILE DEVICES POLICY\n\nApproved by LGB: 14/09/22",
            "Mobile Devices Policy",
            "2022-09-14",
            None,
        ),
        ("Mobile Devices Policy 2019 - Review 2022", "Mobile Devices Policy", "2019", "2022-01-01"),
        (
            "Pennyfield Brook Primary School - Mobile Devices Policy\n"
            "Approved by FGB 03/02/21\nReview date: Spring 2022",
            "Mobile Devices Policy",
            "2021-02-03",
            "2022-01-01",
        ),
        (
            "Mobile Devices Policy\n\nDate of review: Autumn term 2023\n"
            "Next review: Autumn term 2024",
            "Mobile Devices Policy",
            "Autumn term 2023",
            "2024-09-01",
        ),
        (
            "Mobile Devices Policy\n\nLast reviewed: 12th March 2022\nNext review due: March 2023",
            "Mobile Devices Policy",
            "2022-03-12",
            "2023-03-01",
        ),
        (
            "Mobile Devices Policy\n\nAdopted: 3.2.2021\nReview: 2022/23",
            "Mobile Devices Policy",
            "2021-02-03",
            "2022-09-01",
        ),
        (
            "Mobile Devices Policy\n\nRatified by the Full Governing Body: Summer Term 2022",
            "Mobile Devices Policy",
            "Summer term 2022",
            None,
        ),
        (
            "Mobile Devices Policy\n\nDate agreed: 9th October 2023\nTo be reviewed: October 2024",
            "Mobile Devices Policy",
            "2023-10-09",
            "2024-10-01",
        ),
        (
            "Mobile Devices Policy\n\n2020 – Review 2023",
            "Mobile Devices Policy",
            "2020",
            "2023-01-01",
        ),
        (
            "St Luke's CE Primary School Mobile Devices Policy 2023-2024",
            "Mobile Devices Policy",
            "2023-2024",
            None,
        ),
        (
            "Mobile Devices Policy\n\nApproved by the Headteacher\nDate: 03/02/21",
            "Mobile Devices Policy",
            "2021-02-03",
            None,
        ),
        (
            "Mobile Devices Policy\n\nReviewed by: Governors\nDate reviewed: Spring 2023",
            "Mobile Devices Policy",
            "Spring 2023",
            None,
        ),
        (
            "Mobile Devices Policy (Reviewed Autumn 2022)",
            "Mobile Devices Policy",
            "Autumn 2022",
            None,
        ),
        (
            "Mobile Devices Policy\n\nReview Date: 01.09.2024\n"
            "Approved by Trust Board on 1st September 2023",
            "Mobile Devices Policy",
            "2023-09-01",
            "2024-09-01",
        ),
        (
            "Mobile Devices Policy\n\n"
            "Policy adopted by governors: Spring 2023\nNext review: Spring 2024",
            "Mobile Devices Policy",
            "Spring 2023",
            "2024-01-01",
        ),
        (
            "Mobile Devices Policy\n\n"
            "Approved by Governors – September 2023 – Review September 2024",
            "Mobile Devices Policy",
            "September 2023",
            "2024-09-01",
        ),
        (
            "Mobile Devices Policy\n\nDate ratified: 14/9/2022\nDate of next review: 14/9/2023",
            "Mobile Devices Policy",
            "2022-09-14",
            "2023-09-14",
        ),
        (
            "Mobile Devices Policy\n\n"
            "This policy was adopted by the Governing Body on 12 May 2022.",
            "Mobile Devices Policy",
            "2022-05-12",
            None,
        ),
        (
            "Mobile Devices Policy\n\nLast updated: January 2024",
            "Mobile Devices Policy",
            "January 2024",
            None,
        ),
        (
            "Learning together, growing together\n\nBrightwater Primary School\n"
            "\nMobile Devices Policy\n\nDate issued: Sept 2023",
            "Mobile Devices Policy",
            "Sept 2023",
            None,
        ),
        (
            "Policy for the Use of Mobile Devices\n\nReviewed: Autumn 2023",
            "Policy for the Use of Mobile Devices",
            "Autumn 2023",
            None,
        ),
        (
            "MOBILE DEVICES POLICY – REVIEWED SPRING 2024 – NEXT REVIEW SPRING 2025",
            "Mobile Devices Policy",
            "Spring 2024",
            "2025-01-01",
        ),
        (
            "Mobile Devices Policy\nApproved: 14.09.2022\nReview: Autumn 2023\nSigned: ________",
            "Mobile Devices Policy",
            "2022-09-14",
            "2023-09-01",
        ),
        (
            "Mobile Devices Policy\n\nReviewed: 14/09/2022 (Resources Committee)",
            "Mobile Devices Policy",
            "2022-09-14",
            None,
        ),
        (
            "Mobile Devices Policy\n\nPolicy reviewed: Spring Term 2024\n"
            "Date of next review: Spring Term 2025",
            "Mobile Devices Policy",
            "Spring term 2024",
            "2025-01-01",
        ),
        (
            "Mobile Devices Policy\n\n"
            "Approved by Full Governing Body 12th July 2023\nNext Review July 2024",
            "Mobile Devices Policy",
            "2023-07-12",
            "2024-07-01",
        ),
        (
            "Mobile Devices Policy\n\nReview cycle: annual\nLast review: 2023",
            "Mobile Devices Policy",
            "2023",
            None,
        ),
    ],
)
def test_cover_wordings(
    tmp_path: Path, head: str, title: str, date: str | None, next_review: str | None
) -> None:
    source = tmp_path / "3a9c.txt"
    source.write_text(head + _COVER_BODY)
    doc = convert(source)
    found = doc.front.get("next_review")
    assert (
        doc.front["title"],
        doc.legacy[-1].date.given if doc.legacy else None,
        str(found) if found else None,
    ) == (title, date, next_review)
    assert [s.title for s in doc.sections] == ["Purpose", "Reporting"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "Reviewed: Spring 2023 / Spring 2024",
            "line 3: to confirm: 'Reviewed: Spring 2023 / Spring 2024' gives two dates; add the "
            "version to history.yml by hand if it is one",
        ),
        (
            "Next review date: 2024/26",
            "line 3: to confirm: 'Next review date: 2024/26' is not a date policypress can read "
            "for sure; next_review is left out: write it in policy.md",
        ),
        (
            "Date ratified: 30/02/2023",
            "line 3: to confirm: 'Date ratified: 30/02/2023' is not a date policypress can read "
            "for sure; add the version to history.yml by hand if it is one",
        ),
    ],
)
def test_a_date_not_read_for_sure_is_left_to_confirm(
    tmp_path: Path, line: str, message: str
) -> None:
    source = tmp_path / "policy.txt"
    source.write_text(f"Behaviour Online Policy\n\n{line}{_COVER_BODY}")
    doc = convert(source)
    assert message in doc.report.lines()
    assert doc.legacy == [] and "next_review" not in doc.front


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Next review: Spring 2025 or sooner if guidance is updated",
            [("review", "Spring 2025 or sooner if guidance is updated")],
        ),
        (
            "Approved by LGB: 14/09/22 (reviewed and adopted as written)",
            [("approved_by", "LGB: 14/09/22 (reviewed and adopted as written")],
        ),
        (
            "Reviewed: Summer 2023 and updated for the new Act; Next review: Summer 2024",
            [("reviewed", "Summer 2023 and updated for the new Act"), ("review", "Summer 2024")],
        ),
    ],
)
def test_label_words_inside_a_value_stay_in_it(line: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.key, f.value) for f in fields(line)] == expected


def test_approve_refuses_a_title_to_confirm(tmp_path: Path, run_cli: RunCli) -> None:
    project = _imported(tmp_path, "title: to-confirm")
    result = run_cli(
        "approve",
        "internet-use",
        "--by",
        "Headteacher",
        "--meeting",
        "2026-10-20",
        "--major",
        "--note",
        "First version.",
        "--project",
        project,
    )
    assert result.code == 1
    assert (
        "policypress: cannot approve: content/policies/internet-use/policy.md:2:8: the title is "
        "still 'to-confirm'; write it in before approving"
    ) in result.err.splitlines()


@pytest.mark.parametrize(
    "heading",
    ["Policy statement", "Aims of this policy", "Other related policies", "Policy review"],
)
def test_a_section_about_the_policy_is_no_title(tmp_path: Path, heading: str) -> None:
    source = tmp_path / "policy.html"
    source.write_text(
        f"<html><body><h1>{heading}</h1><p>Pupils are safe online.</p>"
        "<h1>Reporting</h1><p>Staff report concerns the same day.</p></body></html>"
    )
    doc = convert(source)
    assert doc.front["title"] == "to-confirm"
    assert [s.title for s in doc.sections][-1] == "Reporting"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cameras and Mobile Phones Policy", True),
        ("POLICY FOR ONLINE SAFETY", True),
        ("Home-School Agreement", True),
        ("Policy Statement", False),
        ("Scope of This Policy", False),
        ("This policy applies to all staff", False),
        ("Purpose", False),
    ],
)
def test_what_names_a_policy(text: str, expected: bool) -> None:
    assert names_policy(text) is expected


@pytest.mark.parametrize(
    ("first", "title"),
    [
        ("Online safety policy", "Online safety policy"),  # sentence case, as GOV.UK writes
        ("Acceptable use agreement for pupils", "Acceptable use agreement for pupils"),
        ("This policy applies to all staff", "to-confirm"),
        ("Staff must read the policy every year", "to-confirm"),
    ],
)
def test_a_first_line_in_sentence_case(tmp_path: Path, first: str, title: str) -> None:
    source = tmp_path / "policy.txt"
    source.write_text(first + _COVER_BODY)
    assert convert(source).front["title"] == title
