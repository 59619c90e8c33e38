"""Returned forms and staff lists made to deceive: a form whose statements are hidden under
drawn boxes or notes, or cropped away, is not counted; a name never becomes an address."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, RectangleObject

from conftest import RunCli
from test_register import DATA, fill, register, school  # noqa: F401 (the fixture)


@pytest.fixture
def private(school: Path, tmp_path: Path, run_cli: RunCli) -> Path:  # noqa: F811
    """A private folder whose staff export has a name written to look like addresses."""
    folder = tmp_path / "private"
    folder.mkdir()
    shutil.copyfile(DATA / "register.yml", folder / "register.yml")
    staff = (DATA / "staff.csv").read_text(encoding="utf-8-sig")
    staff += 'S009,"Eve <eve@example>, Mallory",eve.m@staff.example.org,Class teacher,2020-09-01,,P-9\n'
    (tmp_path / "staff.csv").write_text(staff, encoding="utf-8")
    result = run_cli(
        "register", "staff", tmp_path / "staff.csv", "--project", school, "--private", folder
    )
    assert result.code == 0, result.err
    return folder


def _filled(school: Path, tmp_path: Path, name: str) -> Path:  # noqa: F811
    return fill(school, "staff", tmp_path / f"{name}.pdf", name=name, role="Teacher",
                date="2026-09-05")  # fmt: skip


def _annotate(source: Path, out: Path, kind: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(source))
    for number, page in enumerate(writer.pages):
        box = page.mediabox
        if kind == "note":
            note = FreeText(
                text="I DO NOT AGREE",
                rect=(50, 300, 500, 400),
                font_size="28pt",
                background_color="ffffff",
            )
            writer.add_annotation(page_number=number, annotation=note)
        else:  # a white box drawn over the statements
            square = DictionaryObject({
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Square"),
                NameObject("/Rect"): RectangleObject((0, 0, box.width, box.height - 120)),
                NameObject("/IC"): ArrayObject([FloatObject(1), FloatObject(1), FloatObject(1)]),
                NameObject("/C"): ArrayObject([FloatObject(1), FloatObject(1), FloatObject(1)]),
            })  # fmt: skip
            writer.add_annotation(page_number=number, annotation=square)
    writer.write(out)
    return out


def _crop_to_top(source: Path, out: Path, box: str = "/CropBox") -> Path:
    writer = PdfWriter(clone_from=PdfReader(source))
    top_3_cm = 3 / 2.54 * 72
    for page in writer.pages:
        media = page.mediabox
        rect = RectangleObject((media.left, media.top - top_3_cm, media.right, media.top))
        page[NameObject(box)] = rect
    writer.write(out)
    return out


def test_marks_over_the_statements_and_cropped_pages_are_not_counted(
    school: Path,  # noqa: F811
    private: Path,
    tmp_path: Path,
    run_cli: RunCli,
) -> None:
    honest = _filled(school, tmp_path, "Ada Lovelace")
    noted = _annotate(_filled(school, tmp_path, "Grace Hopper"), tmp_path / "noted.pdf", "note")
    boxed = _annotate(_filled(school, tmp_path, "Alan Turing"), tmp_path / "boxed.pdf", "box")
    cropped = _crop_to_top(_filled(school, tmp_path, "Edsger Dijkstra"), tmp_path / "crop.pdf")
    trimmed = _crop_to_top(
        _filled(school, tmp_path, "Barbara Liskov"), tmp_path / "trim.pdf", "/TrimBox"
    )
    result = register(run_cli, school, private, "add", honest, noted, boxed, cropped, trimmed)
    assert result.code == 1
    assert "recorded: Ada Lovelace, form staff" in result.out
    for name in ("Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov"):
        assert name not in result.out
    errors = {Path(line.split(":")[0]).name: line for line in result.err.splitlines()[:-1]}
    assert errors["noted.pdf"].endswith("that the form did not have; not counted")
    assert "marks drawn over the pages" in errors["boxed.pdf"]
    assert "cropped, resized or turned differently; not counted" in errors["crop.pdf"]
    assert "cropped, resized or turned differently; not counted" in errors["trim.pdf"]
    assert result.err.splitlines()[-1] == "4 error(s), 0 warning(s)"


def test_a_name_never_becomes_an_address(
    school: Path,  # noqa: F811
    private: Path,
    run_cli: RunCli,
) -> None:
    assert register(run_cli, school, private, "report").code == 0
    folder = school / "build" / "governors" / "register"
    text = (folder / "outstanding.txt").read_text()
    recipients = text.splitlines()[0].split("; ")
    assert "eve.m@staff.example.org" in recipients
    assert all("<" not in r and "," not in r and " " not in r for r in recipients)
    assert "eve@example" not in text.splitlines()[0]


@pytest.mark.parametrize(
    "address",
    [
        "Eve <eve@staff.example.org>",
        "eve@staff.example.org, mallory@staff.example.org",
        "eve@staff.example.org\nBcc: mallory@staff.example.org",
        '"Eve" eve@staff.example.org',
        "eve@staff.example.org;mallory@staff.example.org",
    ],
)
def test_a_staff_address_must_be_one_bare_address(
    school: Path,  # noqa: F811
    tmp_path: Path,
    run_cli: RunCli,
    address: str,
) -> None:
    folder = tmp_path / "private"
    folder.mkdir()
    shutil.copyfile(DATA / "register.yml", folder / "register.yml")
    quoted = address.replace('"', '""')
    staff = (DATA / "staff.csv").read_text(encoding="utf-8-sig")
    staff += f'S009,Eve Adams,"{quoted}",Class teacher,2020-09-01,,P-9\n'
    (tmp_path / "staff.csv").write_text(staff, encoding="utf-8")
    result = run_cli(
        "register", "staff", tmp_path / "staff.csv", "--project", school, "--private", folder
    )
    assert result.code == 1
    assert "is not one e-mail address; expected a bare address" in result.err
    assert not (folder / "register.json").exists()


# -- the logo ------------------------------------------------------------------------------

_SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ('<a><set attributeName="xlink:href" to="javascript:alert(1)"/></a>', "changing xlink:href"),
        ('<a><set attributeName="svg:HREF" to="#x"/></a>', "changing svg:HREF"),
        ('<a><animate attributeName=" href " values="#a;#b"/></a>', "changing  href "),
        ('<a><set attributeName="title" to=" JavaScript:alert(1)"/></a>', 'has to="'),
        ('<a><animate attributeName="x" values="1;javascript:alert(1)"/></a>', 'has values="'),
        ('<a><animateTransform attributeName="y" from="data:text/html,x"/></a>', 'has from="'),
        ('<a><animateMotion attributeName="y" by="vbscript:x"/></a>', 'has by="'),
        ('<rect style="fill: u\\72l(https://tracker.example/x)"/>', "url(https://tracker"),
        ('<rect style="fill: u\\000072 l(https://tracker.example/x)"/>', "url(https://tracker"),
        ('<rect style="fill: \\75 \\72 \\6c (https://t.example/x)"/>', "url(https://t.example"),
        ('<rect style="fill: u/**/rl(https://t.example/x)"/>', "url(https://t.example"),
        ('<rect style="fill: u\\rl(https://t.example/x)"/>', "url(https://t.example"),
        ("<style>@\\69mport 'https://cdn.example/a.css';</style>", "has @import"),
        ("<style>@im/* a note */port 'https://cdn.example/a.css';</style>", "has @import"),
        ("<style>@IMPORT 'https://cdn.example/a.css';</style>", "has @import"),
        ('<rect style="width: expr\\65ssion(alert(1))"/>', "has expression(…)"),
        ('<rect style="background: java\\73 cript:alert(1)"/>', "has javascript:"),
    ],
)
def test_the_logo_check_reads_animations_and_css_as_a_browser_does(
    tmp_path: Path, body: str, found: str
) -> None:
    from policypress.content.logo import logo_problems

    logo = tmp_path / "logo.svg"
    logo.write_text(_SVG.format(body), encoding="utf-8")
    problems = logo_problems(logo)
    assert len(problems) == 1, problems
    assert found in problems[0]


@pytest.mark.parametrize(
    "body",
    [
        '<rect style="fill: #ff0000; /* a note */ stroke: url(#edge)"/>',
        '<circle r="4"><animate attributeName="r" values="4;8;4" dur="2s"/></circle>',
        '<rect><set attributeName="fill" to="red"/></rect>',
        "<style>.a { fill: \\23 fff; }</style>",
    ],
)
def test_plain_drawing_and_animation_still_pass(tmp_path: Path, body: str) -> None:
    from policypress.content.logo import logo_problems

    logo = tmp_path / "logo.svg"
    logo.write_text(_SVG.format(body), encoding="utf-8")
    assert logo_problems(logo) == []
