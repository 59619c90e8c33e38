"""What a PDF really shows: the text of WeasyPrint's laid-out boxes, read back in one pass.

The HTML of a document can hold every approved word and the page still lose some: a line that
cannot wrap runs off the right margin, a box with hidden overflow cuts text off, a positioned
element lands outside the page. So each text box is compared with the area its words must lie
in: the page's content area (a poster: its frame), narrowed by every ancestor that clips its
overflow. The words inside are what the page shows; the rest are returned, with the reason, for
the build's message. The words are then matched against the approved sentences by the same
matcher that checks the HTML (:mod:`policypress.outputs.fidelity`).

This module works on a rendered ``weasyprint.Document``; only the PDF workers import it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from weasyprint.formatting_structure.boxes import MarginBox, ReplacedBox, TextBox

from policypress.outputs.fidelity import Words, first_lost, shorten
from policypress.outputs.pdf.errors import LostReason, Undrawn

# Layout rounds to fractions of a CSS pixel: a line that ends exactly at the margin is inside.
_TOLERANCE = 1.0
_WORD = re.compile(r"\w")


def _is_word(char: str) -> bool:
    return _WORD.match(char) is not None


@dataclass(frozen=True)
class _Area:
    left: float
    top: float
    right: float
    bottom: float
    why: LostReason  # what a text box outside it is told

    def narrowed(
        self, left: float, top: float, right: float, bottom: float, why: LostReason
    ) -> _Area:
        return _Area(
            max(self.left, left),
            max(self.top, top),
            min(self.right, right),
            min(self.bottom, bottom),
            why,
        )


@dataclass
class Reading:
    """The text a document draws where it can be read, in order, and the pieces it does not."""

    drawn: list[str] = field(default_factory=list)
    lost: list[tuple[str, LostReason]] = field(default_factory=list)  # (text, why)


def read_drawn(document: Any, frame: str | None = None) -> Reading:
    """The text of every page of ``document`` (a ``weasyprint.Document``), split into what lies
    inside the page's content area and what does not. With ``frame`` (a one-page poster), the
    element with that id is the area, and anything on a later page is lost."""
    reading = Reading()
    for index, page in enumerate(document.pages):
        page_box = page._page_box
        area = _Area(
            page_box.content_box_x(),
            page_box.content_box_y(),
            page_box.content_box_x() + page_box.width,
            page_box.content_box_y() + page_box.height,
            LostReason.MARGIN,
        )
        if frame is not None and index > 0:
            area = _Area(0, 0, 0, 0, LostReason.SECOND_PAGE)
        stack: list[tuple[Any, _Area]] = [
            (box, area) for box in reversed(page_box.children) if not isinstance(box, MarginBox)
        ]
        while stack:
            box, clip = stack.pop()
            if isinstance(box, TextBox):
                _read_text(box, clip, page.width, page.height, reading)
                continue
            if isinstance(box, ReplacedBox):
                _read_image(box, clip, page.width, page.height, reading)
                continue
            clip = _clip_of(box, clip, frame)
            stack.extend((child, clip) for child in reversed(getattr(box, "children", ()) or ()))
    return reading


def _clip_of(box: Any, clip: _Area, frame: str | None) -> _Area:
    """The area ``box``'s descendants must lie in: its own clip, narrowed to the frame (when
    it is the poster's frame) and to its padding box (when it hides its overflow)."""
    element = getattr(box, "element", None)
    if (
        frame is not None
        and element is not None
        and getattr(box, "element_tag", None) is not None
        and element.get("id") == frame
    ):
        x, y = box.border_box_x(), box.border_box_y()
        right, bottom = x + box.border_width(), y + box.border_height()
        clip = clip.narrowed(x, y, right, bottom, LostReason.OUTSIDE_FRAME)
    if box.style["overflow"] != "visible":
        x, y = box.padding_box_x(), box.padding_box_y()
        clip = clip.narrowed(
            x,
            y,
            x + box.padding_width(),
            y + box.padding_height(),
            LostReason.CUT_OFF,
        )
    return clip


def _read_text(box: Any, clip: _Area, width: float, height: float, reading: Reading) -> None:
    text: str = box.text
    if box.style["visibility"] != "visible":
        reading.lost.append((text, LostReason.HIDDEN))
        return
    left, right = box.position_x, box.position_x + box.width
    middle = box.position_y + box.height / 2
    if not (clip.top - _TOLERANCE <= middle <= clip.bottom + _TOLERANCE):
        reading.lost.append((text, _why(left, right, middle, width, height, clip)))
        return
    # Characters are spread over the box's width in proportion: exact for the monospaced
    # text that most often runs off (preformatted lines), close enough otherwise to name the
    # words lost. Whether any are lost never depends on this estimate.
    first, last = 0, len(text)
    if box.width > 0:
        if left < clip.left - _TOLERANCE:
            first = math.ceil((clip.left - left) / box.width * len(text))
        if right > clip.right + _TOLERANCE:
            last = math.floor((clip.right - left) / box.width * len(text))
    if first == 0 and last == len(text):
        reading.drawn.append(text)
        return
    last = max(first, last)
    # A word the edge cuts through is lost whole: the page shows only part of it.
    shown_start, shown_end = first, last
    if 0 < first < len(text) and _is_word(text[first - 1]):
        while shown_start < last and _is_word(text[shown_start]):
            shown_start += 1
    if last < len(text) and _is_word(text[last]):
        while shown_end > shown_start and _is_word(text[shown_end - 1]):
            shown_end -= 1
    reading.drawn.append(text[shown_start:shown_end])
    why = _why(left, right, middle, width, height, clip)
    for piece in (text[:shown_start], text[shown_end:]):
        if piece.strip():
            reading.lost.append((" ".join(piece.split()), why))


def _read_image(box: Any, clip: _Area, width: float, height: float, reading: Reading) -> None:
    """A picture's alternative text is approved text (what a screen reader reads, tagged with
    the picture in the PDF): it counts as drawn where the whole picture is drawn, as the HTML
    check counts an ``<img>``'s ``alt``."""
    element = getattr(box, "element", None)
    alt = (element.get("alt") or "") if element is not None else ""
    if not alt.strip():
        return
    left, right = box.border_box_x(), box.border_box_x() + box.border_width()
    middle = box.border_box_y() + box.border_height() / 2
    if box.style["visibility"] != "visible":
        reading.lost.append((alt, LostReason.HIDDEN))
    elif (
        clip.top - _TOLERANCE <= middle <= clip.bottom + _TOLERANCE
        and clip.left - _TOLERANCE <= left
        and right <= clip.right + _TOLERANCE
    ):
        reading.drawn.append(f" {alt} ")
    else:
        reading.lost.append((alt, _why(left, right, middle, width, height, clip)))


def _why(
    left: float, right: float, middle: float, width: float, height: float, clip: _Area
) -> LostReason:
    if right <= 0 or left >= width or not 0 <= middle <= height:
        return LostReason.OUTSIDE_PAGE
    if right > clip.right + _TOLERANCE and clip.why is LostReason.MARGIN:
        return LostReason.RIGHT_MARGIN
    return clip.why


def undrawn(document: Any, expected: tuple[str, ...], frame: str | None = None) -> Undrawn | None:
    """The first of ``expected`` the pages do not draw, in order, inside their content area
    (None when every one is drawn), with the words lost and why."""
    if not expected:
        return None
    reading = read_drawn(document, frame)
    index = first_lost(expected, Words(reading.drawn))
    if index is None:
        return None
    sentence = Words([expected[index]])
    pieces = [
        (text, why)
        for text, why in reading.lost
        if _WORD.search(text) and sentence.find(text, 0) >= 0
    ]
    if pieces:
        return Undrawn(index, shorten(" ".join(text for text, _ in pieces)), pieces[0][1])
    # No whole word of it is lost on its own (a column so narrow that each line holds a
    # letter): the sentence is named whole, with why the first of its letters went.
    why = next(
        (
            why
            for text, why in reading.lost
            if (chars := Words([text]).text) in sentence.text and chars
        ),
        LostReason.NOT_DRAWN,
    )
    return Undrawn(index, shorten(expected[index]), why)
