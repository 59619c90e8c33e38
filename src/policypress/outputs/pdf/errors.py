"""The error a PDF render reports, importable without importing WeasyPrint."""

from __future__ import annotations


class PdfRenderError(Exception):
    """WeasyPrint reported a problem with the input; the message lists what it said.
    ``unfit`` names the elements that did not fit inside the page's frame (posters);
    ``missing_glyphs`` the characters no installed font has."""

    def __init__(
        self, message: str, unfit: tuple[str, ...] = (), missing_glyphs: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.unfit = unfit
        self.missing_glyphs = missing_glyphs

    def __reduce__(
        self,
    ) -> tuple[type[PdfRenderError], tuple[str, tuple[str, ...], tuple[str, ...]]]:
        # It crosses from the PDF workers' processes with its details.
        return (PdfRenderError, (str(self), self.unfit, self.missing_glyphs))
