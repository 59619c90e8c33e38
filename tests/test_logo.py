"""The logo checks beyond the bad-input fixtures: PNG headers, DTDs, styles, animations."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from policypress.content.logo import MAX_BYTES, Subject, image_message, logo_data_problems

_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{}</svg>'


def _png(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(header))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


def _problems(tmp_path: Path, name: str, data: bytes | str) -> list[str]:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    # Each sentence names the logo first; what follows is what the tests below compare.
    said = [
        image_message(problem, Subject.LOGO, name)
        for problem in logo_data_problems(path.read_bytes(), path.suffix)
    ]
    subject = f"logo '{name}' "
    assert all(sentence.startswith(subject) for sentence in said), said
    return [sentence.removeprefix(subject) for sentence in said]


def test_a_sane_png_and_a_plain_svg_pass(tmp_path: Path) -> None:
    assert _problems(tmp_path, "logo.png", _png(200, 80)) == []
    plain = _SVG.format(
        '<defs><linearGradient id="g"/></defs><style>rect { fill: url(#g) }</style>'
        '<rect width="10" height="10" style="stroke: url(#g)"/><use href="#g"/>'
        '<image href="data:image/png;base64,AAAA"/>'
    )
    assert _problems(tmp_path, "logo.svg", plain) == []


@pytest.mark.parametrize(("width", "height"), [(0, 10), (10, 0), (10_001, 10), (10, 4_000_000_000)])
def test_a_png_of_silly_size_is_refused(tmp_path: Path, width: int, height: int) -> None:
    assert _problems(tmp_path, "logo.png", _png(width, height)) == [
        f"is a PNG of {width}×{height} pixels; expected each side between 1 and 10000 pixels"
    ]


def test_a_truncated_png_and_a_jpeg_named_png_are_refused(tmp_path: Path) -> None:
    assert _problems(tmp_path, "logo.png", _png(10, 10)[:20]) == [
        "is a damaged PNG (no image header); expected a complete PNG image"
    ]
    assert _problems(tmp_path, "logo.png", b"\xff\xd8\xff\xe0rest") == [
        "is named .png but contains a JPEG image; expected a .png image (save it again in "
        "that format)"
    ]


def test_a_logo_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    assert _problems(tmp_path, "logo.png", _png(10, 10) + bytes(MAX_BYTES)) == [
        "is larger than 1 MB; expected a smaller image"
    ]


def test_entities_and_doctypes_are_refused_before_expanding(tmp_path: Path) -> None:
    laughs = '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]><svg>&a;</svg>'
    assert _problems(tmp_path, "logo.svg", laughs) == [
        "has a <!DOCTYPE> or <!ENTITY> declaration; expected an SVG without one "
        "(declarations can expand to huge text or read other files)"
    ]


def test_the_root_must_be_svg_in_the_svg_namespace(tmp_path: Path) -> None:
    assert _problems(tmp_path, "logo.svg", "<svg><rect/></svg>") == [
        'has root element <svg> without a namespace; expected <svg xmlns="http://www.w3.org/2000/svg">'
    ]
    html = '<html xmlns="http://www.w3.org/1999/xhtml"/>'
    assert _problems(tmp_path, "logo.svg", html) == [
        "has root element <html> in namespace http://www.w3.org/1999/xhtml; expected "
        '<svg xmlns="http://www.w3.org/2000/svg">'
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml"/></foreignObject>',
            "contains a <foreignObject> element; expected an SVG without scripts or embedded "
            "HTML (they would run on the school's website)",
        ),
        (
            '<rect ONCLICK="x()"/>',
            'has an event handler ONCLICK="…" on <rect>; expected an SVG without scripts '
            "(it would run on the school's website)",
        ),
        (
            '<a><set attributeName="href" to="javascript:alert(1)"/></a>',
            "has <set> changing href; expected animations of drawing attributes only "
            "(changing a link or handler can run script)",
        ),
        (
            '<image href=" file:///etc/passwd"/>',
            'has href=" file:///etc/passwd" on <image>; expected only links within the '
            "file (#id) or embedded images (data:image/…)",
        ),
        (
            "<style>@import 'https://cdn.example/a.css';</style>",
            "has @import in a <style> element; expected styles inside the file",
        ),
        (
            '<rect fill="URL(https://tracker.example/x#g)"/>',
            'has url(https://tracker.example/x#g) in fill="…" on <rect>; expected only '
            "url(#id) references within the file",
        ),
    ],
)
def test_scripted_or_fetching_svgs_are_refused(tmp_path: Path, body: str, expected: str) -> None:
    assert _problems(tmp_path, "logo.svg", _SVG.format(body)) == [expected]


def test_a_stylesheet_instruction_is_refused(tmp_path: Path) -> None:
    text = '<?xml-stylesheet href="https://cdn.example/a.css"?>' + _SVG.format("")
    assert _problems(tmp_path, "logo.svg", text) == [
        "has an <?xml-stylesheet?> instruction, which loads a style sheet from another file; "
        "expected an SVG with its styles inside it"
    ]
