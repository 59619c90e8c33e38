"""The font a form's text fields are typed in: one every PDF tool can encode into.

WeasyPrint names its own subset of the page font in each field's /DA: a two-byte (Identity-H)
font holding only the glyphs the page prints, so a tool that draws a typed value (qpdf, pdftk,
viewers) writes codes that font cannot show and prints boxes. Tools can only write one byte per
character, in an encoding they know by name, so the form font is a *simple* TrueType font with
/WinAnsiEncoding (qpdf's appearance writer encodes into nothing else). Its embedded program,
DejaVu Sans cut down to the letters below, also holds the Latin letters WinAnsi lacks (Welsh ŵ
ŷ, Polish ł ą, Czech, Romanian, Turkish ...): tools that re-encode from the font program
(pypdf) draw those too. Scripts needing shaping (Arabic, Bengali, CJK) cannot live in a simple
font; typed values in them still read back as text, but tools draw them only with a font of
their own.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from policypress.core.messages import gettext as _
from policypress.environment import EnvironmentProblem

FAMILY = "DejaVu Sans"
FIRST_CODE, LAST_CODE = 32, 255
# The letters of the Latin alphabets of Europe: Latin-1 and Extended-A (Welsh ŵ ŷ, Polish,
# Czech, Hungarian, Turkish ...), Romanian ș ț, Welsh ẁ ẃ ẅ ỳ, and WinAnsi's punctuation.
_RANGES = (
    (0x20, 0x7E),
    (0xA0, 0x17F),
    (0x192, 0x192),
    (0x218, 0x21B),
    (0x2C6, 0x2DD),
    (0x1E80, 0x1E85),
    (0x1EF2, 0x1EF3),
    (0x2013, 0x2026),
    (0x2030, 0x203A),
    (0x20AC, 0x20AC),
    (0x2122, 0x2122),
)


@dataclass(frozen=True)
class FormFont:
    """What the PDF font dictionary needs, in PDF units (1000 per em)."""

    base_font: str  # subset tag + PostScript name, e.g. "QWERTY+DejaVuSans"
    program: bytes  # the TrueType font file (FontFile2)
    widths: tuple[int, ...]  # for codes FIRST_CODE..LAST_CODE in WinAnsiEncoding
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int


def _font_file() -> Path:
    """DejaVu Sans's file, as Fontconfig (which WeasyPrint uses too) finds it."""
    if shutil.which("fc-match") is None:
        raise EnvironmentProblem(
            _("fc-match (Debian package fontconfig) is needed for form fields")
        )
    found = subprocess.run(
        ["fc-match", "--format=%{family}\n%{file}", f"{FAMILY}:style=Book"],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = found.stdout.splitlines()
    # fc-match names a substitute when the family is missing: check it is the real one.
    if found.returncode != 0 or len(lines) < 2 or FAMILY not in lines[0].split(","):
        raise EnvironmentProblem(
            _("font family '%(family)s' (fonts-dejavu-core) not found") % {"family": FAMILY}
        )
    return Path(lines[1])


@cache
def form_font() -> FormFont:
    """The cut-down DejaVu Sans, made once per process (the same bytes every time)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # recalcTimestamp=False: saving would otherwise stamp today's date into the font.
    font = TTFont(_font_file(), recalcTimestamp=False)
    options = subset.Options()
    options.hinting = False  # smaller; screens and printers hint TrueType themselves
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.glyph_names = True  # tools map WinAnsi codes to glyphs by name
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: nothing reads them
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for start, end in _RANGES for c in range(start, end + 1)])
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    program = out.getvalue()

    scale = 1000 / font["head"].unitsPerEm
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    widths = []
    for code in range(FIRST_CODE, LAST_CODE + 1):
        try:
            glyph = cmap.get(ord(bytes([code]).decode("cp1252")))
        except UnicodeDecodeError:  # the five codes WinAnsi leaves unused
            glyph = None
        widths.append(round(metrics[glyph][0] * scale) if glyph else 0)
    head, os2 = font["head"], font["OS/2"]
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(program).digest()[:6])
    return FormFont(
        base_font=f"{tag}+{font['name'].getDebugName(6)}",
        program=program,
        widths=tuple(widths),
        bbox=tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
        ascent=round(os2.sTypoAscender * scale),
        descent=round(os2.sTypoDescender * scale),
        cap_height=round(getattr(os2, "sCapHeight", os2.sTypoAscender) * scale),
    )
