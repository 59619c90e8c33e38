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
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from policypress.core.messages import gettext as _
from policypress.core.safefile import Refusal, RefusalReason, refusal
from policypress.environment import EnvironmentProblem
from policypress.environment.notices import environment_notice
from policypress.outputs.pdf import languages, linear
from policypress.outputs.pdf.drawn import undrawn
from policypress.outputs.pdf.errors import PdfRenderError

try:
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError, URLFetcher
except (ImportError, OSError) as exc:  # OSError: cffi could not load Pango or GObject
    raise EnvironmentProblem(_("WeasyPrint cannot start: %(exc)s") % {"exc": exc}) from None

linear.install()
languages.install()

PDF_VARIANT = "pdf/ua-1"
# WeasyPrint's words when no installed font has a character: the PDF would show a box.
_NOTDEF = re.compile(r'\.notdef glyph rendered for Unicode string unsupported by fonts: "(.+?)"')


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
    """Serves ``file:`` URLs under the allowed folders and ``data:`` URLs; refuses the rest.

    A file missing under ``base`` is looked for at the same place in each of ``fallbacks``
    in turn: a project's templates/ overrides the package's file by file, so a stylesheet or
    icon the project does not keep is the package's."""

    def __init__(
        self, allowed: tuple[Path, ...], base: Path | None = None, fallbacks: tuple[Path, ...] = ()
    ) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self.allowed = tuple(p.resolve() for p in allowed)
        self.base = base.resolve() if base is not None else None
        self.fallbacks = tuple(p.resolve() for p in fallbacks)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> object:
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = self._in_effect(Path(unquote(parts.path)))
            url = path.as_uri()
            if not any(path.resolve().is_relative_to(root) for root in self.allowed):
                raise FatalURLFetchingError(
                    _("refused to load %(url)s: outside the project") % {"url": url}
                )
            # a FIFO or device among the templates would hang the worker once opened
            problem = refusal(path, self.allowed)
            if problem is not None:
                raise FatalURLFetchingError(_refused(url, problem))
        elif parts.scheme != "data":
            raise FatalURLFetchingError(
                _("refused to load %(url)s: only project files may be used") % {"url": url}
            )
        return super().fetch(url, headers)

    def _in_effect(self, path: Path) -> Path:
        """``path``, or the first fallback's file in its place when it is under ``base``
        and missing (anything there at all, even a symlink, is the project's and is kept)."""
        if self.base is None or os.path.lexists(path) or not path.is_relative_to(self.base):
            return path
        relative = path.relative_to(self.base)
        for folder in self.fallbacks:
            if os.path.lexists(folder / relative):
                return folder / relative
        return path


def _refused(url: str, problem: Refusal) -> str:
    """The whole sentence saying why the file at ``url`` was not loaded."""
    if problem.reason is RefusalReason.BROKEN_LINK:
        return _("refused to load %(url)s: it is a broken symlink (or a loop of them)") % {
            "url": url
        }
    if problem.reason is RefusalReason.OUTSIDE:
        return _("refused to load %(url)s: it resolves to %(target)s, outside the project") % {
            "url": url,
            "target": problem.target,
        }
    return _(
        "refused to load %(url)s: it is not a regular file (a folder, a FIFO, a device or a socket)"
    ) % {"url": url}


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
    fallbacks: tuple[Path, ...] = (),
    forms: bool = False,
    signature_elements: tuple[tuple[str, str], ...] = (),
    fit: tuple[str, ...] = (),
    expected: tuple[str, ...] = (),
    frame: str | None = None,
) -> RenderedPdf:
    """Render ``html`` to PDF bytes; for each (id, name) in ``signature_elements``, add an
    empty signature field over that element's box, named and tagged for PDF/UA. Elements
    whose ids are in ``fit`` must lie wholly inside the element with id ``frame`` on the first
    page (a one-page poster): if any does not, nothing is written and :class:`PdfRenderError`
    names them — text that does not fit is never silently cut. Likewise the pages must draw
    every one of ``expected`` (the approved text), in order, inside their content area (with
    ``frame``: inside that element), or nothing is written. A file missing under
    ``base_url`` is looked for in each of ``fallbacks`` (see :class:`ProjectOnlyFetcher`)."""
    fetcher = ProjectOnlyFetcher(allowed, base_url, fallbacks)
    with _weasyprint_log() as log:
        try:
            document = weasyprint.HTML(
                string=html, base_url=base_url.resolve().as_uri() + "/", url_fetcher=fetcher
            ).render(pdf_variant=PDF_VARIANT, pdf_forms=forms)
            boxes = [_find_box(document, element) for element, _ in signature_elements]
            unfit = _unfit(document, fit)
            if unfit:
                raise PdfRenderError(
                    _("%(unfit)s of %(items)s items do not fit")
                    % {"unfit": len(unfit), "items": len(fit)},
                    unfit,
                )
            lost = undrawn(document, expected, frame)
            if lost is not None:
                raise PdfRenderError(f"'{lost.words}' {lost.why}", undrawn=lost)
            pdf = document.write_pdf(
                pdf_variant=PDF_VARIANT, pdf_forms=forms, finisher=_scope_table_headers
            )
        except FatalURLFetchingError as exc:
            raise PdfRenderError(str(exc)) from None
    notices = [environment_notice(message) for message in log.messages]
    problems = [m for m, notice in zip(log.messages, notices, strict=True) if notice is None]
    missing = [match.group(1) for m in problems if (match := _NOTDEF.search(m))]
    others = [m for m in problems if not _NOTDEF.search(m)]
    if others:
        raise PdfRenderError("; ".join(dict.fromkeys(others)))
    if missing:
        chars = tuple(dict.fromkeys(missing))
        raise PdfRenderError(
            _("characters no installed font has: %(items)s") % {"items": " ".join(chars)}, (), chars
        )
    assert isinstance(pdf, bytes)
    signatures = []
    for (element, name), box in zip(signature_elements, boxes, strict=True):
        if box is None:
            raise PdfRenderError(
                _("no element with id '%(element)s' for a signature field") % {"element": element}
            )
        signatures.append((box, name))
    if signatures or forms:
        pdf = finish_structure(pdf, signatures)
    return RenderedPdf(pdf, tuple(dict.fromkeys(n for n in notices if n is not None)))


def _unfit(document: weasyprint.Document, ids: tuple[str, ...]) -> tuple[str, ...]:
    """Which of ``ids`` are not wholly inside the ``frame`` element on the first page, above
    the ``small-print`` element if it has one (an item touching the small print has run into
    it: the flex layout leaves every fitting item clear of it)."""
    if not ids:
        return ()
    frame = _find_box(document, "frame")
    if frame is None or frame.page != 0:
        return ids
    bottom = frame.box[1]  # PDF points from the page's foot: lower is further down
    small_print = _find_box(document, "small-print")
    if small_print is not None and small_print.page == 0:
        bottom = max(bottom, small_print.box[3] + 1)
    unfit = []
    for element_id in ids:
        box = _find_box(document, element_id)
        if box is None or box.page != 0 or box.box[1] < bottom - 0.5:
            unfit.append(element_id)
    return tuple(unfit)


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


def finish_structure(pdf: bytes, signatures: list[tuple[SignatureBox, str]]) -> bytes:
    """One incremental update (pyHanko) for what WeasyPrint's forms lack: fields every reader
    reads back alike (:mod:`formfields`), and an empty, fillable signature field over each
    box, with its accessible name (/TU) and a /Form structure element pointing at it
    (WeasyPrint cannot make /Sig fields)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    from policypress.outputs.pdf.formfields import tidy_form

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
    tree = writer.root["/StructTreeRoot"]
    if "/AcroForm" in writer.root:
        # Viewers and tools that fill the form (pdftk, qpdf, pdf.js, Preview) redraw each
        # filled field themselves instead of keeping WeasyPrint's empty appearance.
        acroform = writer.root["/AcroForm"]
        objects: Any = generic  # pyHanko's object classes carry no type hints
        acroform[objects.NameObject("/NeedAppearances")] = objects.BooleanObject(True)
        writer.update_container(acroform)
        tidy_form(writer, objects)
    for box, name in signatures:
        # pyHanko's hint says int, but it writes the box as given: keep fractions of a point.
        rounded: Any = tuple(round(v, 2) for v in box.box)
        append_signature_field(
            writer, SigFieldSpec(sig_field_name=box.name, on_page=box.page, box=rounded)
        )
        field_ref = next(
            ref for ref in writer.root["/AcroForm"]["/Fields"] if ref.get_object()["/T"] == box.name
        )
        _tag_widget(writer, tree, field_ref, box.page, name)
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    return out.getvalue()


def _tag_widget(writer: Any, tree: Any, field_ref: Any, page: int, name: str) -> None:
    """Name the field and hang it in the structure tree as a /Form element (PDF/UA 7.18.4)."""
    from pyhanko.pdf_utils import generic

    objects: Any = generic  # pyHanko's object classes carry no type hints

    field = field_ref.get_object()
    field["/TU"] = objects.TextStringObject(name)
    page_ref = writer.find_page_for_modification(page)[0]
    parent_tree = tree["/ParentTree"]
    nums = parent_tree["/Nums"]
    key = max(int(nums[i]) for i in range(0, len(nums), 2)) + 1
    document_ref = tree.raw_get("/K")[0] if isinstance(tree["/K"], list) else tree.raw_get("/K")
    document = document_ref.get_object()
    objr = objects.DictionaryObject(
        {
            objects.NameObject("/Type"): objects.NameObject("/OBJR"),
            objects.NameObject("/Obj"): field_ref,
            objects.NameObject("/Pg"): page_ref,
        }
    )
    form = objects.DictionaryObject(
        {
            objects.NameObject("/Type"): objects.NameObject("/StructElem"),
            objects.NameObject("/S"): objects.NameObject("/Form"),
            objects.NameObject("/P"): document_ref,
            objects.NameObject("/Pg"): page_ref,
            objects.NameObject("/Alt"): objects.TextStringObject(name),
            objects.NameObject("/K"): objects.ArrayObject([objr]),
        }
    )
    form_ref = writer.add_object(form)
    document["/K"].append(form_ref)
    nums.extend([objects.NumberObject(key), form_ref])
    field["/StructParent"] = objects.NumberObject(key)
    for changed in (field, document, parent_tree):
        writer.update_container(changed)


def _scope_table_headers(document: weasyprint.Document, pdf: Any) -> None:
    """Give every table header cell a /Scope (PDF/UA 7.5): /Column in a header row, /Row
    elsewhere. Runs as WeasyPrint's finisher, on its objects before they are written."""
    objects: list[Any] = [obj for obj in pdf.objects if isinstance(obj, dict)]
    by_number = {obj.number: obj for obj in objects}

    def parent(element: Any) -> Any:
        reference = element.get("P")
        return by_number.get(int(reference.split()[0])) if reference else None

    for element in by_number.values():
        if element.get("Type") != "/StructElem" or element.get("S") != "/TH":
            continue
        scope, ancestor = "/Row", parent(element)
        while ancestor is not None:
            if ancestor.get("S") == "/THead":
                scope = "/Column"
                break
            ancestor = parent(ancestor)
        # A dictionary of WeasyPrint's own PDF library (pydyf), made like the element itself.
        attributes = element.setdefault("A", type(element)({"O": "/Table"}))
        attributes["Scope"] = scope
