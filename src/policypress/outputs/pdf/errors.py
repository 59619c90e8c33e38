"""The error a PDF render reports, importable without importing WeasyPrint."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class LostReason(StrEnum):
    """Why a piece of text is not drawn where it can be read. The values are for tests and
    logs; the message that tells a person is picked whole for each (outputs/pdf/generator.py)."""

    MARGIN = "runs into the page's margin"
    RIGHT_MARGIN = "runs past the right margin"
    OUTSIDE_PAGE = "lies outside the page"
    SECOND_PAGE = "is on a second page of a one-page poster"
    OUTSIDE_FRAME = "falls outside the poster's frame"
    CUT_OFF = "is cut off by a box that hides what does not fit in it"
    HIDDEN = "is hidden"
    NOT_DRAWN = "is not drawn on any page"


@dataclass(frozen=True)
class Undrawn:
    """Approved text a rendered PDF does not draw inside its pages' content area: the index of
    the first sentence lost (in the job's ``expected``), the words lost, and why."""

    sentence: int
    words: str
    why: LostReason


class PdfRenderError(Exception):
    """WeasyPrint reported a problem with the input; the message lists what it said.
    ``unfit`` names the elements that did not fit inside the page's frame (posters);
    ``missing_glyphs`` the characters no installed font has; ``undrawn`` the approved text
    the pages would not show."""

    def __init__(
        self,
        message: str,
        unfit: tuple[str, ...] = (),
        missing_glyphs: tuple[str, ...] = (),
        undrawn: Undrawn | None = None,
    ) -> None:
        super().__init__(message)
        self.unfit = unfit
        self.missing_glyphs = missing_glyphs
        self.undrawn = undrawn

    def __reduce__(
        self,
    ) -> tuple[type[PdfRenderError], tuple[str, tuple[str, ...], tuple[str, ...], Undrawn | None]]:
        # It crosses from the PDF workers' processes with its details.
        return (PdfRenderError, (str(self), self.unfit, self.missing_glyphs, self.undrawn))
