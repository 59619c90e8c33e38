"""Returned forms and staff lists made to deceive: a form whose statements are hidden under
drawn boxes or notes, or cropped away, is not counted; a name never becomes an address."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, RectangleObject

from conftest import FIXTURES, REPO, RunCli, make_project
from test_register import DATA, fill, register, school  # noqa: F401 (the fixture)


@pytest.fixture
def private(school: Path, tmp_path: Path, run_cli: RunCli) -> Path:  # noqa: F811
    """A private folder whose staff export has a name written to look like addresses."""
    folder = tmp_path / "private"
    folder.mkdir()
    shutil.copyfile(DATA / "register.yml", folder / "register.yml")
    staff = (DATA / "staff.csv").read_text(encoding="utf-8-sig")
    staff += (
        'S009,"Eve <eve@example>, Mallory",eve.m@staff.example.org,Class teacher,2020-09-01,,P-9\n'
    )
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


@pytest.mark.builds  # the register's school, built once for the session
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
    assert result.err.splitlines()[-1] == "4 errors, 0 warnings"


@pytest.mark.builds  # the register's school, built once for the session
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
@pytest.mark.builds  # the register's school, built once for the session
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
        (
            '<a><set attributeName="xlink:href" to="javascript:alert(1)"/></a>',
            "changing xlink:href",
        ),
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
    from policypress.content.logo import Subject, image_message, logo_data_problems

    logo = tmp_path / "logo.svg"
    logo.write_text(_SVG.format(body), encoding="utf-8")
    problems = [
        image_message(p, Subject.LOGO, "logo.svg")
        for p in logo_data_problems(logo.read_bytes(), logo.suffix)
    ]
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
    from policypress.content.logo import logo_data_problems

    logo = tmp_path / "logo.svg"
    logo.write_text(_SVG.format(body), encoding="utf-8")
    assert logo_data_problems(logo.read_bytes(), logo.suffix) == []


# -- a group's school folders ----------------------------------------------------------------


@pytest.mark.parametrize("where", ["outside", "inside"])
def test_a_group_build_refuses_a_linked_school_folder_as_check_does(
    tmp_path: Path, run_cli: RunCli, where: str
) -> None:
    project = tmp_path / "trust"
    shutil.copytree(REPO / "examples" / "trust", project, symlinks=False)
    linked = project / "schools" / "millpond-primary"
    target = tmp_path / "elsewhere" if where == "outside" else project / "spare-school"
    shutil.move(linked, target)
    linked.symlink_to(target, target_is_directory=True)
    checked = run_cli("check", "--project", project)
    built = run_cli("build", "--project", project)
    assert checked.code == built.code == 1
    refusal = next(line for line in checked.err.splitlines() if "schools/millpond-primary" in line)
    assert "is a symlink to" in refusal
    assert refusal in built.err.splitlines()
    assert "Built" not in built.out
    assert not (project / "build" / "schools").exists()


# -- what reaches the terminal ------------------------------------------------------------------

_HOSTILE = [
    "\x1b[2J\x1b[H",  # clear the screen
    "\x1b[31;1m",  # colour
    "\x1b]0;owned\x07",  # window title
    "\x1b]52;c;cm0gLXJmIH4=\x07",  # write the clipboard
    "\x9b2J",  # C1 control sequence introducer
    "\u202egnp.exe",  # right-to-left override
    "\u2066x\u2069",  # isolates
    "\x7f\x08\r",
]


def test_escape_sequences_in_a_document_never_reach_the_terminal(
    tmp_path: Path, run_cli: RunCli
) -> None:
    project = make_project(tmp_path / "school", REPO / "content")
    source = tmp_path / "hostile.txt"
    lines = ["Walking To School Policy", ""]
    for number, bad in enumerate(_HOSTILE, 1):
        lines += [f"{number}. Section {bad} number {number}", "", f"Text of part {number}.", ""]
    source.write_text("\n".join(lines), encoding="utf-8")
    result = run_cli("import", source, "--project", project)
    assert result.code == 0, result.err
    shown = result.out + result.err
    for forbidden in ("\x1b", "\x9b", "\x07", "\x7f", "\x08", "\r", "\u202e", "\u2066", "\u2069"):
        assert forbidden not in shown
    assert "Section \\x1b[2J\\x1b[H number 1" in shown
    assert "\\u202egnp.exe" in shown


def test_printable_is_the_one_rule() -> None:
    from policypress.core.diagnostics import printable

    assert printable("a\x1b]0;t\x07b\u202ec\n") == "a\\x1b]0;t\\x07b\\u202ec\n"
    assert printable("\x00\x9f\u2069") == "\\x00\\x9f\\u2069"
    assert printable("Née – café ✓") == "Née – café ✓"


# -- Word and OpenDocument packages -----------------------------------------------------------


def _repack(source: Path, out: Path, rename: dict[str, str], rels: dict[bytes, bytes]) -> Path:
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(out, "w") as target:
        for name in package.namelist():
            data = package.read(name)
            if name.endswith(".rels"):
                for old, new in rels.items():
                    data = data.replace(old, new)
            target.writestr(zipfile.ZipInfo(rename.get(name, name)), data)
    return out


@pytest.mark.parametrize(
    ("member", "target", "expected"),
    [
        ("word/media/../evil.png", "media/../evil.png", "outside the package"),
        ("word/media/../../../tmp/evil.png", "media/x.png", "outside the package"),
        ("word/media\\evil.png", "media\\evil.png", "outside the package"),
        ("/word/media/evil.png", "/word/media/evil.png", "outside the package"),
        ("word/media/image1.png", "media/missing.png", "which is not in the package"),
    ],
)
def test_media_names_outside_the_package_are_refused(
    tmp_path: Path, run_cli: RunCli, member: str, target: str, expected: str
) -> None:
    project = make_project(tmp_path / "school", REPO / "content")
    source = FIXTURES / "import" / "docx-bold" / "policy.docx"
    hostile = _repack(
        source,
        tmp_path / "policy.docx",
        {"word/media/image1.png": member},
        {b'Target="media/image1.png"': f'Target="{target}"'.encode()},
    )
    result = run_cli("import", hostile, "--project", project)
    assert result.code == 1
    assert "internal error" not in result.err
    assert result.err.startswith(f"policypress: {hostile}: ")
    assert expected in result.err


def lying_zip(
    out: Path, inflates_mb: int, declared: int = 4096, part: str = "word/document.xml"
) -> Path:
    """A package whose ``part`` inflates to ``inflates_mb`` MB while its headers (both of
    them, and the checksum of what the headers' size would give) say ``declared`` bytes."""
    chunk = b" " * (1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    # after a full flush the compressor starts afresh, so each megabyte compresses the same
    first = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    again = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    body = first + again * (inflates_mb - 1) + deflate.flush()
    files = [("[Content_Types].xml", b"<Types/>", 0, zlib.crc32(b"<Types/>"), 8),
             (part, body, 8, zlib.crc32(chunk[:declared]), declared)]  # fmt: skip
    blob, central = bytearray(), bytearray()
    for name, data, method, crc, size in files:
        encoded, offset = name.encode(), len(blob)
        blob += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0, crc,
                            len(data), size, len(encoded), 0) + encoded + data  # fmt: skip
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, method, 0,
                               0, crc, len(data), size, len(encoded), 0, 0, 0, 0, 0,
                               offset)  # fmt: skip
        central += encoded
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 2, 2, len(central), len(blob), 0)
    out.write_bytes(bytes(blob + central + end))
    return out


_UNDER_1_GB = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from policypress.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("update", [False, True])
def test_a_zip_that_lies_about_its_size_is_refused_within_1_gb(
    tmp_path: Path, update: bool
) -> None:
    project = make_project(tmp_path / "school", REPO / "content")
    bomb = lying_zip(tmp_path / "policy.docx", 1500)
    assert bomb.stat().st_size < 3_000_000
    more = ["--update", "online-safety"] if update else []
    result = subprocess.run(
        [sys.executable, "-c", _UNDER_1_GB, "import", str(bomb), *more, "--project", str(project)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        timeout=300,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "unpacks to more than the 4,096 bytes its headers say" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_honest_but_huge_part_is_refused_too(tmp_path: Path) -> None:
    from policypress.importer.package import MAX_PART_BYTES, package_problem

    big = lying_zip(tmp_path / "big.odt", 120, declared=120 << 20, part="content.xml")
    problem = package_problem(big, "content.xml", "OpenDocument")
    assert problem == (
        f"part 'content.xml' unpacks to more than {MAX_PART_BYTES:,} bytes; expected a "
        "smaller document"
    )
