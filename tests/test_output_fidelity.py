"""Every output that shows approved text shows all of it, in source order, with its headings:
each sample form (web page and PDF) and each poster (A4 and A3), sentence by sentence."""

from __future__ import annotations

from pathlib import Path

from pdftext import pdf_body_text
from policypress.core.markdown import plain_text_of
from policypress.model import Agreement, Content
from policypress.outputs.urls import poster_pdf
from test_form_fidelity import _in_order, _Text


def _form_sentences(agreement: Agreement) -> list[str]:
    sentences = [plain_text_of(agreement.intro)] if agreement.intro else []
    for group in agreement.groups:
        sentences.append(group.title)
        if group.intro:
            sentences.append(plain_text_of(group.intro))
        # A statement that only quotes a clause shows the clause's words instead.
        sentences += [s.text for s in group.statements if s.quote is None and s.text]
        if group.after:
            sentences.append(plain_text_of(group.after))
    return [s for s in sentences if s.strip()]


def test_every_form_shows_all_its_text_in_order(sample_build: Path, content: Content) -> None:
    for agreement in content.agreements:
        sentences = _form_sentences(agreement)
        assert len(sentences) >= 3, agreement.slug
        folder = sample_build / "site" / "forms" / agreement.slug
        page = _Text()
        page.feed((folder / "index.html").read_text())
        _in_order(sentences, " ".join(page.parts))
        _in_order(sentences, pdf_body_text(folder / f"{agreement.slug}.pdf"))


def test_every_poster_shows_all_its_items_in_order(sample_build: Path, content: Content) -> None:
    for poster in content.posters:
        items = [
            *(item.text for item in poster.items),
            *poster.people,
            *(contact.name or contact.role for contact in poster.contacts),
            *(f"{name} {number}" for name, number in poster.helplines),
        ]
        assert items, poster.slug
        for size in ("A4", "A3"):
            text = " ".join(p for p in _pdf_text(sample_build / "site" / poster_pdf(poster, size)))
            _in_order([poster.title, *items], text)


def _pdf_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(path).pages]
