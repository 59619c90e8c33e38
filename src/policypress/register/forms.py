"""Reading a returned agreement form: who filled it in, when, which text it was, and whether
anything was changed after the project made it or after it was signed.

A form carries its stamp twice: in the PDF's keywords (machine-readable: the form's slug and
hash, each source policy's title, version and hash) and printed on every page and at its end.
The printed text lives in the pages' content streams, which filling in fields never touches;
the register keeps a fingerprint of those streams for every form a build published
(:func:`fingerprint`, catalogued from ``build/manifest.json``), so a return whose text or
printed stamp differs from the form it claims to be is a forgery, not a return.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import hashlib
import io
import logging
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from policypress.core.diagnostics import Diagnostics
from policypress.core.messages import gettext as _
from policypress.core.safefile import read_bytes
from policypress.core.surface import what_to_do

_T = TypeVar("_T")

# A filled three-page form is about 100 KB; a scan saved as PDF a few MB.
MAX_PDF_BYTES = 20 * 1024 * 1024
MAX_PAGES = 50

_FORM = re.compile(r"^agreement ([a-z0-9-]+), sha256 ([0-9a-f]{12})")
_SOURCE = re.compile(r", (.+?) version (\d+\.\d+) sha256 ([0-9a-f]{12})(?=, |$)")


class UnreadableForm(Exception):
    """The file cannot be read as a form; the message says why, for the user."""


@dataclass(frozen=True)
class PolicyStamp:
    title: str
    version: str
    digest: str  # the 12 hex digits printed on the form


@dataclass(frozen=True)
class FormStamp:
    form: str  # the agreement's slug
    digest: str  # the form's own short hash
    policies: tuple[PolicyStamp, ...]
    keywords: str

    @property
    def key(self) -> str:
        """Names this exact form (text and sources) in the register's catalogue."""
        return hashlib.sha256(self.keywords.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Signature:
    field: str
    signer: str
    intact: bool  # the signed bytes are unchanged and the signature is cryptographically good
    changed_after: bool  # something other than filling in fields was changed after signing
    trusted: bool  # the certificate chains to a trusted root (a self-made one does not)


@dataclass(frozen=True)
class ReadForm:
    stamp: FormStamp
    fields: dict[str, str]  # text field name → value typed in
    fingerprint: str
    signatures: tuple[Signature, ...]
    sha256: str  # of the file
    # what a reader sees besides the content streams, each a digest compared with the
    # published form's (see :func:`what_a_reader_sees`)
    seen: dict[str, str]


def read_pdf_bytes(path: Path, diags: Diagnostics) -> bytes | None:
    return read_bytes(path, diags, limit=MAX_PDF_BYTES, inside=(path.parent,))


def read_form(data: bytes) -> ReadForm:
    """The stamp, fields, text fingerprint and signatures of a form; raises
    :class:`UnreadableForm` with a message for the user."""
    if not data.startswith(b"%PDF-"):
        raise UnreadableForm(
            _("is not a PDF file (it does not start with %(magic)s)") % {"magic": "%PDF-"}
        )
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with _quiet("pypdf"):
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise UnreadableForm(
                    _("is encrypted; ask for a copy saved without a password or restrictions")
                )
            if len(reader.pages) > MAX_PAGES:
                raise UnreadableForm(
                    _("has %(count)s pages; a returned form has a few, at most %(max_pages)s")
                    % {"count": len(reader.pages), "max_pages": MAX_PAGES}
                )
            metadata = reader.metadata
            keywords = str(metadata.get("/Keywords") or "") if metadata else ""
            fields = _text_fields(reader.get_fields() or {})
            prints = fingerprint_pages(reader)
            seen = what_a_reader_sees(reader)
    except UnreadableForm:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError) as exc:  # fmt: skip
        raise UnreadableForm(
            _("is not a readable PDF (%(name)s)") % {"name": type(exc).__name__}
        ) from None
    stamp = parse_stamp(keywords)
    if stamp is None:
        raise UnreadableForm(
            _(
                "carries no policypress form stamp in its keywords; expected an "
                "agreement form downloaded from the school's site%(paper)s"
            )
            % {"paper": what_to_do(" " + _("(record a paper return with --paper)"), "")}
        )
    return ReadForm(
        stamp, fields, prints, _signatures(data), hashlib.sha256(data).hexdigest(), seen
    )


def parse_stamp(keywords: str) -> FormStamp | None:
    head = _FORM.match(keywords)
    if head is None:
        return None
    rest = keywords[head.end() :]
    policies = tuple(PolicyStamp(m[1], m[2], m[3]) for m in _SOURCE.finditer(rest))
    if "".join(m[0] for m in _SOURCE.finditer(rest)) != rest:
        return None  # something else is written there: not a stamp this project made
    return FormStamp(head[1], head[2], policies, keywords)


def fingerprint_pages(reader: Any) -> str:
    """SHA-256 over every page's content streams: the printed text and stamp. Filling in
    fields and signing add annotations and leave these as they were."""
    digest = hashlib.sha256()
    for page in reader.pages:
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


# The page boxes a viewer or printer uses: cropping every page to its top 3 cm leaves the
# content streams as they were and hides the statements.
_BOXES = ("/MediaBox", "/CropBox", "/TrimBox", "/ArtBox", "/BleedBox")

# What each check covers, in the words the register reports a difference with.
SEEN = {
    "boxes": "its pages are cropped, resized or turned differently",
    "marks": "it has marks drawn over the pages (notes, boxes, stamps, links or fields) "
    "that the form did not have",
    "text": "the text on its pages differs",
}


def what_a_reader_sees(reader: Any) -> dict[str, str]:
    """Digests of what the fingerprint of the content streams does not cover but a reader
    sees: each page's boxes and turn, the annotations drawn over it (a form's own fields
    and links have their name or target and place; anything else counts as a mark) and its
    text as extracted, which also reads the XObjects the content streams draw. Filling in
    fields and signing change none of these."""
    boxes, marks, text = [], [], []
    for page in reader.pages:
        boxes.append([_box(page.get(name)) for name in _BOXES] + [str(page.get("/Rotate", 0))])
        marks.append(sorted(_mark(annotation.get_object()) for annotation in _annotations(page)))
        text.append(page.extract_text())
    return {key: _digest(value) for key, value in (("boxes", boxes), ("marks", marks),
                                                  ("text", text))}  # fmt: skip


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()


def _box(value: Any) -> list[str]:
    if value is None:
        return []
    return [f"{float(n):.2f}" for n in value.get_object()]


def _annotations(page: Any) -> list[Any]:
    found = page.get("/Annots")
    return list(found.get_object()) if found is not None else []


def _mark(annotation: Any) -> str:
    """An annotation as its kind, place and what names it (a field's full name, a link's
    target): a field moved over the statements, or a note added, no longer matches."""
    kind = str(annotation.get("/Subtype", ""))
    rect = _box(annotation.get("/Rect"))
    if kind == "/Widget":
        names, node = [], annotation
        for _ in range(32):  # a field's name is its parents' names joined; bounded
            if node is None:
                break
            if "/T" in node:
                names.append(str(node["/T"]))
            parent = node.get("/Parent")
            node = parent.get_object() if parent is not None else None
        return f"{kind} {'.'.join(reversed(names))} {rect}"
    action = annotation.get("/A")
    target = action.get_object().get("/URI", "") if action is not None else ""
    return f"{kind} {target} {rect} {annotation.get('/Dest', '')}"


def _text_fields(fields: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in fields.items():
        if value.get("/FT") == "/Tx":
            found[str(name)] = " ".join(str(value.get("/V") or "").split())
    return found


@contextmanager
def _quiet(*loggers: str) -> Iterator[None]:
    """PDF libraries log what they tolerate (and pyHanko a traceback for a self-signed
    certificate); the register reports what matters in its own words."""
    saved = [(logging.getLogger(name), logging.getLogger(name).level) for name in loggers]
    for logger, _level in saved:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in saved:
            logger.setLevel(level)


def _outside_event_loop(call: Callable[[], _T]) -> _T:
    """``call()``, in a thread of its own where this one runs an asyncio loop: pyHanko's
    synchronous validation starts its own loop, which fails inside a running one (a program
    embedding policypress, or the browser tests' Playwright, runs one)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    # the thread starts with an empty context: it is given this one's, so that what it
    # says is in the language being written (core/messages.py's context variable)
    context = contextvars.copy_context()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(context.run, call).result()


def _signatures(data: bytes) -> tuple[Signature, ...]:
    """Every filled signature field, validated offline by pyHanko."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext

    found = []
    with _quiet("pyhanko", "pyhanko_certvalidator"):
        try:
            embedded = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
        except (PdfError, ValueError, KeyError, TypeError) as exc:
            raise UnreadableForm(
                _("has a signature pyHanko cannot read (%(exc)s)") % {"exc": exc}
            ) from None
        for signature in embedded:
            try:
                # offline, trusting no root: a school's staff sign with certificates they
                # made themselves, so "trusted" is recorded, not required
                context = ValidationContext(trust_roots=[], allow_fetching=False)
                status = _outside_event_loop(
                    functools.partial(validate_pdf_signature, signature, context)
                )
            except (SignatureValidationError, PdfError, ValueError, KeyError) as exc:
                found.append(
                    Signature(signature.field_name, f"unreadable: {exc}", False, True, False)
                )
                continue
            changed = (
                status.modification_level is None
                or status.modification_level > ModificationLevel.FORM_FILLING
                or not status.docmdp_ok
            )
            found.append(
                Signature(
                    signature.field_name,
                    status.signing_cert.subject.human_friendly,
                    bool(status.intact and status.valid),
                    changed,
                    bool(status.trusted),
                )
            )
    return tuple(found)
