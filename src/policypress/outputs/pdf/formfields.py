"""Make WeasyPrint's form fields read back the same in every reader (pypdf, pdf.js, qpdf, pdftk,
viewers), as part of the incremental update :func:`render.finish_structure` writes.

WeasyPrint 70 writes each radio group as a parent field whose widgets repeat its /T and are
listed in /AcroForm /Fields beside it: readers then see each widget as a field of its own
("photos.photos"), read every choice as Off, and qpdf reports a loop. Its appearance states
are the options' positions (/0, /1), so a group's value reads "0" rather than "yes". And each
text field's /DA names a two-byte font no other tool can encode a typed value into.

Here, with pyHanko's objects (untyped, hence ``Any``):

- each radio widget becomes a plain widget of its group (no /T, /FT or /V of its own);
- /AcroForm /Fields lists each top-level field once;
- appearance states, /AS and the group's /V use the option's own name (/yes, not /0);
- every text field's /DA names :mod:`formfont`'s simple, WinAnsi-encoded font, added to /DR.
"""

from __future__ import annotations

import re
from typing import Any

from policypress.outputs.pdf.formfont import FIRST_CODE, LAST_CODE, form_font

FONT_RESOURCE = "/PPFormSans"  # the form font's name in /AcroForm /DR /Font
_RADIO = 1 << 15
_DEPTH = 32  # deeper field trees than this are not forms people fill: stop, never loop
# What makes a widget a field of its own. /TU stays: it is the widget's accessible name too
# (pdf.js reads it from the widget, not the group).
_FIELD_KEYS = ("/T", "/TM", "/FT", "/Ff", "/V", "/DV", "/DA", "/Opt")
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s+Tf")
_COLOUR = re.compile(r"(?:\d+(?:\.\d+)?\s+){3}rg|(?:\d+(?:\.\d+)?\s+)g(?=\s|$)")


def tidy_form(writer: Any, objects: Any) -> None:
    """Fix the AcroForm of the PDF ``writer`` holds (``objects``: pyHanko's generic module)."""
    acroform = writer.root["/AcroForm"]
    top = _top_level_fields(acroform.raw_get("/Fields"))
    acroform[objects.NameObject("/Fields")] = objects.ArrayObject(top)
    font_ref = _add_form_font(writer, objects)
    for ref in top:
        _tidy_field(writer, ref.get_object(), objects)
    acroform[objects.NameObject("/DA")] = objects.TextStringObject(f"{FONT_RESOURCE} 0 Tf 0 g")
    dr = acroform["/DR"]
    if "/Font" not in dr:
        dr[objects.NameObject("/Font")] = objects.DictionaryObject()
    fonts = dr["/Font"]
    fonts[objects.NameObject(FONT_RESOURCE)] = font_ref
    for changed in (acroform, dr, fonts):
        writer.update_container(changed)


def _top_level_fields(listed: Any) -> list[Any]:
    """Each field in /Fields climbed to its top-level ancestor, once each, in order."""
    found: dict[int, Any] = {}
    for ref in listed.get_object():
        seen = {ref.idnum}
        while "/Parent" in ref.get_object():
            ref = ref.get_object().raw_get("/Parent")
            if ref.idnum in seen:  # a cycle: stop rather than loop
                break
            seen.add(ref.idnum)
        found.setdefault(ref.idnum, ref)
    return list(found.values())


def _tidy_field(writer: Any, field: Any, objects: Any, depth: int = 0) -> None:
    kind = _inherited(field, "/FT")
    if kind == "/Btn" and int(_inherited(field, "/Ff") or 0) & _RADIO:
        _tidy_radio_group(writer, field, objects)
    elif kind in ("/Tx", "/Ch"):
        field[objects.NameObject("/DA")] = objects.TextStringObject(_form_da(field))
        writer.update_container(field)
    for kid in field.get("/Kids", []):
        if "/T" in kid.get_object() and depth < _DEPTH:  # a field of its own: tidy it too
            _tidy_field(writer, kid.get_object(), objects, depth + 1)


def _inherited(field: Any, key: str) -> Any:
    for _ in range(_DEPTH):
        if field is None or key in field:
            return None if field is None else field[key]
        field = field.get("/Parent")
    return None


def _form_da(field: Any) -> str:
    """The field's size and colour, in the form font."""
    old = str(_inherited(field, "/DA") or "")
    size = match.group(1) if (match := _SIZE.search(old)) else "0"  # 0: fit the box
    colour = match.group(0).strip() if (match := _COLOUR.search(old)) else "0 g"
    return f"{FONT_RESOURCE} {size} Tf {colour}"


def _tidy_radio_group(writer: Any, group: Any, objects: Any) -> None:
    """One field, its widgets plain widgets, each state named after its option."""
    options = [str(option) for option in group.get("/Opt", [])]

    def named(state: Any) -> Any:
        text = str(state).removeprefix("/")
        if text.isdigit() and int(text) < len(options) and options[int(text)]:
            return objects.NameObject("/" + options[int(text)])  # pyHanko escapes it
        return objects.NameObject(str(state))

    for kid_ref in group.get("/Kids", []):
        kid = kid_ref.get_object()
        if "/T" in kid and kid["/T"] != group.get("/T"):
            continue  # a field of its own, not a widget repeating the group's name
        for key in _FIELD_KEYS:
            if key in kid:
                del kid[key]
        appearances = kid.get("/AP", {})
        for kind in ("/N", "/D"):
            states = appearances.get(kind)
            if states is None or not hasattr(states, "items"):
                continue
            renamed = {named(state): states.raw_get(state) for state in list(states)}
            appearances[objects.NameObject(kind)] = objects.DictionaryObject(renamed)
        if "/AS" in kid:
            kid[objects.NameObject("/AS")] = named(kid["/AS"])
        writer.update_container(kid)
    group[objects.NameObject("/V")] = named(group.get("/V", "/Off"))
    writer.update_container(group)


def _add_form_font(writer: Any, objects: Any) -> Any:
    font = form_font()
    program = objects.StreamObject(
        {objects.NameObject("/Length1"): objects.NumberObject(len(font.program))},
        stream_data=font.program,
    )
    program.compress()
    name = objects.NameObject("/" + font.base_font)
    descriptor = objects.DictionaryObject(
        {
            objects.NameObject("/Type"): objects.NameObject("/FontDescriptor"),
            objects.NameObject("/FontName"): name,
            objects.NameObject("/Flags"): objects.NumberObject(32),  # non-symbolic
            objects.NameObject("/FontBBox"): objects.ArrayObject(
                [objects.NumberObject(v) for v in font.bbox]
            ),
            objects.NameObject("/ItalicAngle"): objects.NumberObject(0),
            objects.NameObject("/Ascent"): objects.NumberObject(font.ascent),
            objects.NameObject("/Descent"): objects.NumberObject(font.descent),
            objects.NameObject("/CapHeight"): objects.NumberObject(font.cap_height),
            objects.NameObject("/StemV"): objects.NumberObject(80),
            objects.NameObject("/FontFile2"): writer.add_object(program),
        }
    )
    return writer.add_object(
        objects.DictionaryObject(
            {
                objects.NameObject("/Type"): objects.NameObject("/Font"),
                objects.NameObject("/Subtype"): objects.NameObject("/TrueType"),
                objects.NameObject("/BaseFont"): name,
                objects.NameObject("/FirstChar"): objects.NumberObject(FIRST_CODE),
                objects.NameObject("/LastChar"): objects.NumberObject(LAST_CODE),
                objects.NameObject("/Widths"): objects.ArrayObject(
                    [objects.NumberObject(w) for w in font.widths]
                ),
                objects.NameObject("/Encoding"): objects.NameObject("/WinAnsiEncoding"),
                objects.NameObject("/FontDescriptor"): writer.add_object(descriptor),
            }
        )
    )
