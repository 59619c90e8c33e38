"""Every agreement form, filled in by a tool, reads back what was typed and chosen in every
reader: pypdf, pdf.js (Firefox's reader) and qpdf (which draws the values, as pdftk and
viewers do, then prints them into the page).

Two ways a typed value reaches the page are checked. A viewer or qpdf draws it in the form's
font (the form asks them to: /NeedAppearances), and those tools can only write one byte per
character in WinAnsi, so those values stay within it (Welsh â, French é, German ü). Or the
filling tool draws it, from the font program the form embeds: then Welsh ŵ ŷ and Polish ł ą
show too.
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path
from typing import Any, cast

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from conftest import REPO
from pdftext import words
from policypress.outputs.pdf.formfields import FONT_RESOURCE
from policypress.outputs.pdf.render import render_pdf

JS = Path(__file__).parent / "js"
# Every form the sample builds, and every form each school of the example trust builds (the
# trust's forms that fit the school's ages, made once per school with the school's name and
# contacts): 13 in all.
SAMPLE_FORMS = sorted(
    path.stem
    for path in (REPO / "content" / "agreements").glob("*.md")
    if "." not in path.stem  # not a translation (ks2-pupils.cy.md)
)
TRUST_FORMS = {
    "ashby-road-infant": ["ks1-pupils", "staff"],
    "ashby-road-junior": ["ks2-pupils", "staff"],
    "millpond-primary": ["ks1-pupils", "ks2-pupils", "staff"],
}
SAMPLE_FORM_NAMES = [f"sample/{slug}" for slug in SAMPLE_FORMS]
TRUST_FORM_NAMES = [f"{school}/{slug}" for school, slugs in TRUST_FORMS.items() for slug in slugs]
# Marked here: the fixture asks for the builds by name, so conftest cannot see which it uses
# (the trust's is a second build, beyond the sample's the quick run shares).
FORMS = [pytest.param(name, marks=pytest.mark.pdf) for name in SAMPLE_FORM_NAMES] + [
    pytest.param(name, marks=[pytest.mark.pdf, pytest.mark.slow]) for name in TRUST_FORM_NAMES
]
_RADIO = 1 << 15
# One value each way a value is drawn (see the module's docstring); every field gets its own.
# Short enough to fit the narrowest field: text past a field's edge is cut, not printed.
DRAWN_BY_QPDF = "Siân Éloïse Núñez-Müller"
DRAWN_BY_FILLER = "Ŵyn ap Hŷwel, Łucja Ząbek"


@pytest.fixture
def built_form(request: pytest.FixtureRequest) -> Path:
    """The PDF of the form named ``where/slug`` (``sample/staff``, ``millpond-primary/staff``),
    from the one build of the sample or of the example trust."""
    where, slug = str(request.param).split("/")
    if where == "sample":
        site = cast(Path, request.getfixturevalue("sample_build")) / "site"
    else:
        site = cast(Path, request.getfixturevalue("trust_build")) / "build/schools" / where / "site"
    return site / "forms" / slug / f"{slug}.pdf"


def _terminal_fields(root: Any) -> list[Any]:
    """Every field with a value of its own (text, radio group, check box, signature) under
    /AcroForm /Fields; a radio group's widgets are not fields."""
    found: list[Any] = []
    for ref in root["/AcroForm"]["/Fields"]:
        stack = [ref.get_object()]
        while stack:
            field = stack.pop()
            kids = [k.get_object() for k in field.get("/Kids", [])]
            named = [k for k in kids if "/T" in k]
            if named:
                stack.extend(named)
            else:
                found.append(field)
    return found


def _fill(source: Path, target: Path, text: str, *, tool_draws: bool) -> dict[str, str]:
    """Fill every field with pypdf: each text field with ``text`` and a number of its own,
    each radio group with its options in turn (never only the first), each check box ticked.
    Returns the value each field should read back (radio and check box values as names)."""
    writer = PdfWriter(clone_from=source)
    values: dict[str, str] = {}
    groups: list[tuple[Any, NameObject]] = []
    for field in _terminal_fields(cast(Any, writer.root_object)):
        name, kind = str(field["/T"]), field.get("/FT")
        if kind == "/Tx":
            values[name] = f"{text} {len(values) + 1}"
        elif kind == "/Btn" and int(field.get("/Ff", 0)) & _RADIO:
            states = [s for k in field["/Kids"] for s in k.get_object()["/AP"]["/N"] if s != "/Off"]
            values[name] = states[(len(groups) + 1) % len(states)]
            groups.append((field, NameObject(values[name])))
        elif kind == "/Btn":
            values[name] = next(s for s in field["/AP"]["/N"] if s != "/Off")
    typed = {n: v for n, v in values.items() if n not in {str(f["/T"]) for f, _ in groups}}
    # auto_regenerate keeps /NeedAppearances: viewers and qpdf redraw every value themselves.
    writer.update_page_form_field_values(None, typed, auto_regenerate=not tool_draws)
    for group, choice in groups:
        # A radio group by its objects: pypdf 7.1's update_page_form_field_values writes the
        # group's /V as a string and gives each button a /V of its own, which qpdf (rightly)
        # reads as no choice at all.
        group[NameObject("/V")] = choice
        for kid in group["/Kids"]:
            on = choice in kid.get_object()["/AP"]["/N"]
            kid.get_object()[NameObject("/AS")] = choice if on else NameObject("/Off")
    with target.open("wb") as out:
        writer.write(out)
    return values


def _pdfjs(path: Path) -> dict[str, list[dict[str, Any]]]:
    result = subprocess.run(
        ["node", str(JS / "read-form.mjs"), str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=JS,
    )
    return cast(dict[str, list[dict[str, Any]]], json.loads(result.stdout))


def _pdfjs_values(path: Path) -> dict[str, str]:
    """Each field's value as pdf.js reads it. pdf.js gives a radio group's value on each of
    its widgets, Off on all but the chosen one: the group's value is what is not Off."""
    values = {}
    for name, widgets in _pdfjs(path).items():
        if widgets and widgets[0]["type"] in ("radiobutton", "checkbox"):
            chosen = {w["value"] for w in widgets if w["value"] == w["exportValue"]}
            values[name] = "/" + chosen.pop() if len(chosen) == 1 else "/Off"
        elif widgets and widgets[0]["type"] == "text":
            [values[name]] = [w["value"] for w in widgets]
    return values


def _qpdf(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["qpdf", *args], capture_output=True, text=True, check=False)


def _page_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_every_form_of_the_sample_and_the_trust_is_checked(
    sample_build: Path, trust_build: Path
) -> None:
    built = [f"sample/{p.parent.name}" for p in (sample_build / "site" / "forms").glob("*/*.pdf")]
    schools = trust_build / "build" / "schools"
    built += [f"{p.parents[3].name}/{p.parent.name}" for p in schools.glob("*/site/forms/*/*.pdf")]
    every = SAMPLE_FORM_NAMES + TRUST_FORM_NAMES
    assert sorted(built) == sorted(every) and len(every) >= 13


@pytest.mark.parametrize("built_form", FORMS, indirect=True)
def test_each_field_is_listed_once_and_radio_widgets_are_not_fields(built_form: Path) -> None:
    path = built_form
    slug = path.stem
    check = _qpdf("--check", str(path))
    assert check.returncode == 0 and "WARNING" not in check.stdout + check.stderr, check
    root: Any = PdfReader(path).trailer["/Root"]
    listed = [ref.get_object() for ref in root["/AcroForm"]["/Fields"]]
    assert all("/Parent" not in field for field in listed)
    names = [str(field["/T"]) for field in _terminal_fields(root)]
    assert len(names) == len(set(names)), names
    groups = [f for f in listed if int(f.get("/Ff", 0)) & _RADIO]
    if slug == "parents":
        assert len(groups) == 5
    for group in groups:
        options = [str(option) for option in group["/Opt"]]
        assert group["/FT"] == "/Btn" and group["/V"] == "/Off"
        kids = [k.get_object() for k in group["/Kids"]]
        for option, kid in zip(options, kids, strict=True):
            assert not {"/T", "/FT", "/V"} & set(kid), kid.keys()
            assert set(kid["/AP"]["/N"]) - {"/Off"} == {f"/{option}"}
            assert kid["/AS"] == "/Off" and "/StructParent" in kid  # still tagged
    for field in _terminal_fields(root):
        if field.get("/FT") == "/Tx":
            assert str(field["/DA"]).startswith(f"{FONT_RESOURCE} ")
            font = root["/AcroForm"]["/DR"]["/Font"][FONT_RESOURCE].get_object()
            assert font["/Subtype"] == "/TrueType" and font["/Encoding"] == "/WinAnsiEncoding"
            assert "/StructParent" in field


def _embedded_font_has(root: Any, text: str) -> set[str]:
    """The characters of ``text`` the form font's program has no glyph for (a box)."""
    font = root["/AcroForm"]["/DR"]["/Font"][FONT_RESOURCE].get_object()
    program = font["/FontDescriptor"]["/FontFile2"].get_data()
    cmap = TTFont(io.BytesIO(program)).getBestCmap()
    return {c for c in text if not c.isspace() and ord(c) not in cmap}


@pytest.mark.parametrize("tool_draws", [False, True], ids=["qpdf-draws", "filler-draws"])
@pytest.mark.parametrize("built_form", FORMS, indirect=True)
def test_a_filled_form_reads_back_in_pypdf_pdfjs_and_qpdf(
    built_form: Path, tmp_path: Path, tool_draws: bool
) -> None:
    source = built_form
    slug = source.stem
    text = DRAWN_BY_FILLER if tool_draws else DRAWN_BY_QPDF
    assert not _embedded_font_has(PdfReader(source).trailer["/Root"], text)
    filled = tmp_path / "filled.pdf"
    values = _fill(source, filled, text, tool_draws=tool_draws)
    typed = {name: value for name, value in values.items() if not value.startswith("/")}
    chosen = {name: value for name, value in values.items() if value.startswith("/")}
    assert typed, "every form has a name or date to type"
    if slug == "parents":
        assert {v for v in chosen.values()} == {"/yes", "/no"} and len(chosen) == 5

    # (a) pypdf: every value, each consent group as one field.
    fields = PdfReader(filled).get_fields() or {}
    assert {name: fields[name].get("/V") for name in values} == values
    assert not [name for name in fields if "." in name]  # no widget read as a field

    # (b) pdf.js: the same values, no widget read as a field of its own.
    assert _pdfjs_values(filled) == values
    assert not [name for name in _pdfjs(filled) if "." in name]

    # (c) qpdf draws what it must, prints it into the page, and warns of nothing.
    flat = tmp_path / "flat.pdf"
    result = _qpdf("--generate-appearances", "--flatten-annotations=all", str(filled), str(flat))
    assert result.returncode == 0 and not result.stderr, result.stderr
    page_text = _page_text(flat)
    for value in typed.values():
        assert value in page_text, (value, [line for line in page_text.splitlines() if line])
    assert "?" not in " ".join(typed.values()) and "\ufffd" not in page_text
    for path in (filled, flat):
        check = _qpdf("--check", str(path))
        assert check.returncode == 0 and "WARNING" not in check.stdout + check.stderr

    # qpdf keeps each radio widget's state in step with its group's choice.
    redrawn = tmp_path / "redrawn.pdf"
    assert _qpdf("--generate-appearances", str(filled), str(redrawn)).returncode == 0
    for field in _terminal_fields(PdfReader(redrawn).trailer["/Root"]):
        if str(field["/T"]) in chosen and "/Kids" in field:
            states = [k.get_object()["/AS"] for k in field["/Kids"]]
            assert sorted(states) == sorted(
                [chosen[str(field["/T"])], *["/Off"] * (len(states) - 1)]
            )


@pytest.mark.pdf
def test_check_boxes_and_radio_groups_of_any_form_read_back(tmp_path: Path) -> None:
    """The agreement templates make no check boxes; a template that does gets them right."""
    html = """<!DOCTYPE html><html lang="cy"><head><title>Ffurflen</title></head><body><form>
<p><input type="checkbox" name="agree" title="Rwy'n cytuno"></p>
<p><input type="checkbox" name="later" title="Anfon copi ataf"></p>
<fieldset><legend>Lluniau</legend>
<input type="radio" name="photos" value="ie" title="Lluniau"><input type="radio" name="photos"
 value="na" title="Lluniau"><input type="radio" name="photos" value="weithiau" title="Lluniau">
</fieldset>
<p><input type="text" name="enw" title="Enw"></p><textarea name="notes" title="Nodiadau"></textarea>
</form></body></html>"""
    source = tmp_path / "form.pdf"
    source.write_bytes(render_pdf(html, tmp_path, (tmp_path,), forms=True).pdf)
    filled = tmp_path / "filled.pdf"
    values = _fill(source, filled, "Dŵr ŷd", tool_draws=True)
    assert values == {
        "agree": "/on",
        "later": "/on",
        "photos": "/na",
        "enw": "Dŵr ŷd 4",
        "notes": "Dŵr ŷd 5",
    }
    fields = PdfReader(filled).get_fields() or {}
    assert {name: fields[name].get("/V") for name in values} == values
    assert _pdfjs_values(filled) == values
    flat = tmp_path / "flat.pdf"
    assert not _qpdf(
        "--generate-appearances", "--flatten-annotations=all", str(filled), str(flat)
    ).stderr
    assert words("Dŵr ŷd 4 Dŵr ŷd 5") == words(
        " ".join(line for line in _page_text(flat).splitlines() if "Dŵr" in line)
    )
