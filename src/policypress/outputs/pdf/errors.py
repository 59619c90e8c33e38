"""The error a PDF render reports, importable without importing WeasyPrint."""

from __future__ import annotations


class PdfRenderError(Exception):
    """WeasyPrint reported a problem with the input; the message lists what it said."""
