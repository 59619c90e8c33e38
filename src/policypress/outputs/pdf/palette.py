"""The posters' colours: the school's own, wherever text on them stays readable, in colour and
printed on a black-and-white printer; a safe dark or light where it would not.

Every pair of text and background colour a poster uses is checked against WCAG AA (4.5:1, or
3:1 for large text) twice: as designed, and with both colours turned to the grey a
black-and-white printer makes of them (Rec. 601 luma of the sRGB values, what printer drivers
use), because a pair can pass in colour and merge in grey.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from policypress.core.colour import contrast_ratio
from policypress.core.diagnostics import Diagnostics, Position
from policypress.core.messages import N_
from policypress.core.messages import gettext as _
from policypress.model import School

DARK, LIGHT = "#1a1a1a", "#ffffff"
NORMAL_TEXT, LARGE_TEXT = 4.5, 3.0  # WCAG 2 AA, 1.4.3
TINT = 0.14  # how much of a school colour a card's pale background holds


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _hex(rgb: Iterable[float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def tint(colour: str, share: float) -> str:
    """``share`` of ``colour`` mixed into white (as paint mixes, in sRGB values)."""
    return _hex(255 + (c - 255) * share for c in _rgb(colour))


def greyscale(colour: str) -> str:
    """The grey a black-and-white printer prints for ``colour``."""
    r, g, b = _rgb(colour)
    grey = 0.299 * r + 0.587 * g + 0.114 * b
    return _hex((grey, grey, grey))


def readable_contrast(text: str, background: str) -> float:
    """The lower of the pair's contrast in colour and in grey."""
    return min(
        contrast_ratio(text, background),
        contrast_ratio(greyscale(text), greyscale(background)),
    )


@dataclass(frozen=True)
class Fallback:
    """A school colour the posters could not use for one role, and what they use instead."""

    key: str  # "primary" or "accent": colours.<key> in school.yml
    colour: str
    role: str
    ratio: float
    needed: float
    used: str


def fallback_warnings(fallbacks: tuple[Fallback, ...]) -> list[tuple[str, str]]:
    """One warning per school colour, as (key, message), naming every part it gave way in."""
    warnings = []
    for key in dict.fromkeys(f.key for f in fallbacks):
        mine = [f for f in fallbacks if f.key == key]
        # a list of the parts, each a whole phrase in the catalogue, in the sentence below
        parts = "; ".join(
            _(
                "%(role)s (contrast %(ratio)s:1 in colour or printed in grey, expected at least "
                "%(needed)s:1)"
            )
            % {"role": _(f.role), "ratio": f"{f.ratio:.2f}", "needed": f.needed}
            for f in mine
        )
        used = _(" and ").join(dict.fromkeys(f.used for f in mine))
        warnings.append(
            (
                key,
                _(
                    "colours.%(key)s %(colour)s cannot be used on posters for %(parts)s; they "
                    "use %(used)s there instead (choose a darker colour to see yours)"
                )
                % {"key": key, "colour": mine[0].colour, "parts": parts, "used": used},
            )
        )
    return warnings


def check_poster_colours(school: School, diags: Diagnostics) -> None:
    """One warning per school colour the posters cannot use, at that colour in the school's
    details (a group school's own ``schools/<id>/school.yml``). ``check`` runs it for content
    with posters, so ``--strict`` sees it before anything is built."""
    palette = poster_palette(school.primary_colour, school.accent_colour)
    where = {"primary": school.primary_colour_at, "accent": school.accent_colour_at}
    for key, message in fallback_warnings(palette.fallbacks):
        line, col = where[key]
        diags.warning(school.details, Position(line, col), message)


@dataclass(frozen=True)
class Palette:
    """Each colour a poster's stylesheet uses; every text colour is checked on its background."""

    band: str  # the title band and the Do / Don't headings: school colour, light text
    band_text: str
    second_band: str  # the second heading band: the accent colour
    second_band_text: str
    cards: tuple[str, str]  # the items' pale backgrounds, alternating
    card_text: str
    # Names printed on a card in the school colour: large and bold, but held to 4.5:1, not
    # WCAG's 3:1 for large text, as they are what a child reads from across the room.
    ink: str
    edges: tuple[str, str]  # card borders (decoration: the text never depends on them)
    fallbacks: tuple[Fallback, ...]


def poster_palette(primary: str, accent: str) -> Palette:
    fallbacks: list[Fallback] = []

    def checked(key: str, colour: str, role: str, on: str, needed: float, safe: str) -> str:
        """``colour`` as text on ``on`` (or, for a background, ``on`` as text on it)."""
        ratio = readable_contrast(colour, on)
        if ratio >= needed:
            return colour
        fallbacks.append(Fallback(key, colour, role, ratio, needed, safe))
        return safe

    # the parts of a poster a colour is used for, named in the warning when it gives way
    title_band = N_("the title band behind white text")
    heading_band = N_("a heading band behind white text")
    card_names = N_("names on its pale cards")
    band = checked("primary", primary, title_band, LIGHT, LARGE_TEXT, DARK)
    second = checked("accent", accent, heading_band, LIGHT, LARGE_TEXT, DARK)
    cards = (_card(primary), _card(accent))
    ink = checked("primary", primary, card_names, _darker(cards), NORMAL_TEXT, DARK)
    return Palette(
        band=band,
        band_text=LIGHT,
        second_band=second,
        second_band_text=LIGHT,
        cards=cards,
        card_text=DARK,
        ink=ink,
        edges=(band, second),
        fallbacks=tuple(fallbacks),
    )


def _card(colour: str) -> str:
    """A pale card in ``colour`` that body text in the dark colour reads well on."""
    card = tint(colour, TINT)
    return card if readable_contrast(DARK, card) >= NORMAL_TEXT else "#f2f2f2"


def _darker(colours: tuple[str, str]) -> str:
    """The card the ink must be read on at worst: the darker of the two."""
    return min(colours, key=lambda c: contrast_ratio(c, DARK))
