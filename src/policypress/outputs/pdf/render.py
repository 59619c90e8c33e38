"""WeasyPrint, configured the way every policypress PDF needs it.

- PDF/UA-1 (tagged, with title and language) for every document.
- Resources may only come from inside the project: the URL fetcher refuses anything else, so a
  template can never make the build reach the network or read arbitrary files.
- Anything WeasyPrint logs at warning level or above fails the render, except remarks about the
  machine (:mod:`policypress.environment.notices`), which come back as notices.

This module imports WeasyPrint, so only the PDF workers and commands that render import it.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from policypress.environment import EnvironmentProblem
from policypress.environment.notices import environment_notice
from policypress.outputs.pdf.errors import PdfRenderError

try:
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError, URLFetcher
except (ImportError, OSError) as exc:  # OSError: cffi could not load Pango or GObject
    raise EnvironmentProblem(f"WeasyPrint cannot start: {exc}") from None

PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    notices: tuple[str, ...] = ()  # remarks about the machine, not about the input


@dataclass(frozen=True)
class SignatureBox:
    """Where an empty signature field goes: page index and box in PDF points."""

    name: str
    page: int
    box: tuple[float, float, float, float]


class ProjectOnlyFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no types
    """Serves ``file:`` URLs under the allowed folders and ``data:`` URLs; refuses the rest."""

    def __init__(self, allowed: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self.allowed = tuple(p.resolve() for p in allowed)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> object:
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.allowed):
                raise FatalURLFetchingError(f"refused to load {url}: outside the project")
        elif parts.scheme != "data":
            raise FatalURLFetchingError(f"refused to load {url}: only project files may be used")
        return super().fetch(url, headers)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _weasyprint_log() -> Iterator[_Collect]:
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def render_pdf(
    html: str,
    base_url: Path,
    allowed: tuple[Path, ...],
    *,
    forms: bool = False,
    signature_elements: tuple[str, ...] = (),
) -> RenderedPdf:
    """Render ``html`` to PDF bytes; for each id in ``signature_elements``, add an empty
    signature field over that element's box."""
    fetcher = ProjectOnlyFetcher(allowed)
    with _weasyprint_log() as log:
        try:
            document = weasyprint.HTML(
                string=html, base_url=base_url.resolve().as_uri() + "/", url_fetcher=fetcher
            ).render(pdf_variant=PDF_VARIANT, pdf_forms=forms)
            boxes = [_find_box(document, element) for element in signature_elements]
            pdf = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_forms=forms)
        except FatalURLFetchingError as exc:
            raise PdfRenderError(str(exc)) from None
    notices = [environment_notice(message) for message in log.messages]
    problems = [m for m, notice in zip(log.messages, notices, strict=True) if notice is None]
    if problems:
        raise PdfRenderError("; ".join(dict.fromkeys(problems)))
    assert isinstance(pdf, bytes)
    for element, box in zip(signature_elements, boxes, strict=True):
        if box is None:
            raise PdfRenderError(f"no element with id '{element}' for a signature field")
        pdf = add_signature_field(pdf, box)
    return RenderedPdf(pdf, tuple(dict.fromkeys(n for n in notices if n is not None)))


def _find_box(document: weasyprint.Document, element_id: str) -> SignatureBox | None:
    """The page box of the element with ``element_id``, converted to PDF points."""
    px_to_pt = 0.75
    for index, page in enumerate(document.pages):
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            element = getattr(box, "element", None)
            if (
                element is not None
                and element.get("id") == element_id
                and getattr(box, "element_tag", None) is not None
            ):
                x, y = box.border_box_x(), box.border_box_y()
                width, height = box.border_width(), box.border_height()
                page_height = page.height
                return SignatureBox(
                    element_id,
                    index,
                    (
                        x * px_to_pt,
                        (page_height - y - height) * px_to_pt,
                        (x + width) * px_to_pt,
                        (page_height - y) * px_to_pt,
                    ),
                )
            stack.extend(reversed(getattr(box, "children", []) or []))
    return None


def add_signature_field(pdf: bytes, box: SignatureBox) -> bytes:
    """Append an empty, fillable signature field (pyHanko) as an incremental update."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    class KeepMetadataWriter(IncrementalPdfFileWriter):
        """Leaves WeasyPrint's Info and XMP metadata as they are: pyHanko would stamp the
        current time into them (breaking reproducible builds) and only partly update XMP."""

        def _update_meta(self) -> None:
            pass

    writer = KeepMetadataWriter(io.BytesIO(pdf))
    # pyHanko picks a random trailer /ID; derive it from the content so builds are reproducible.
    digest = hashlib.sha256(pdf).digest()
    writer._document_id = generic.ArrayObject(
        [generic.ByteStringObject(digest[:16]), generic.ByteStringObject(digest[16:])]
    )
    # pyHanko's hint says int, but it writes the box as given: keep fractions of a point.
    rounded: Any = tuple(round(v, 2) for v in box.box)
    append_signature_field(
        writer, SigFieldSpec(sig_field_name=box.name, on_page=box.page, box=rounded)
    )
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    return out.getvalue()
