"""What pandoc does not keep from a .docx: a paragraph that is bold because of its Word style
(a school's own "Policy Subheading" style, say) rather than because its text was made bold.
python-docx reads the style chain; paragraphs are matched to pandoc's blocks by their text."""

from __future__ import annotations

import io
from typing import Any


def word_document(data: bytes) -> Any:
    """python-docx's document of a .docx file's bytes (checked by package.py): parsed once,
    for the styles and the tabs alike."""
    import docx  # imported here: only a .docx import needs it

    return docx.Document(io.BytesIO(data))


def _style_bold(style: Any) -> bool | None:
    while style is not None:
        if style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return None


def _is_bold(paragraph: Any) -> bool:
    runs = [run for run in paragraph.runs if run.text.strip()]
    if not runs:
        return False
    by_style = _style_bold(paragraph.style)
    for run in runs:
        bold = run.bold
        if bold is None and run.style is not None:
            bold = _style_bold(run.style)
        if bold is None:
            bold = by_style
        if not bold:
            return False
    return True


def bold_paragraphs(document: Any) -> set[str]:
    """The texts of the document's paragraphs that Word shows all in bold."""
    return {" ".join(p.text.split()) for p in document.paragraphs if _is_bold(p)}
