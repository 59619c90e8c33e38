"""Images in policy texts: checked, and frozen with the text governors approve.

A policy shows an image with ``![alt text](images/name.png "Caption")`` on a line of its own.
Paths are relative to the file that holds them, and must name a file in the ``images/`` folder
beside it:

- the working text (``<slug>/policy.md``) uses ``<slug>/images/name.png``, which authors edit;
- an approved snapshot (``<slug>/versions/<v>.md``) uses ``<slug>/versions/images/<sha256>.png``,
  the frozen copy ``approve`` made of the image, named by the SHA-256 of its bytes.

So the snapshot's text, which the history hashes and chains, names the exact bytes of every
image it shows, and ``check`` verifies each frozen copy still hashes to its name. An image
edited later changes the working text's digest (a draft again), never an approved version.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
from collections.abc import Mapping
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from policypress.content.logo import (
    ImageFault,
    ImageProblem,
    Subject,
    image_message,
    png_problems,
    sniff,
    svg_problems,
)
from policypress.core.diagnostics import Diagnostics, Position, ProjectPlace
from policypress.core.messages import gettext as _
from policypress.core.safefile import Refusal, RefusalReason
from policypress.model import TO_CONFIRM, PolicyImage
from policypress.source.markdown import ParsedLink
from policypress.source.tree import SourceTree

IMAGES_DIR = "images"
# A diagram or a photograph of a poster is well under this; a larger file is a camera original.
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_SIDE = 10_000  # pixels a side
# Pixels decoded in all: WeasyPrint's image library calls more than ~89 million a bomb.
MAX_PIXELS = 40_000_000
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_FROZEN = re.compile(r"^([0-9a-f]{64})(\.png|\.jpg|\.svg)$")
IMAGE_SUFFIXES = {".png": ".png", ".jpg": ".jpg", ".jpeg": ".jpg", ".svg": ".svg"}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def check_images(
    source: Path, links: list[ParsedLink], diags: Diagnostics, tree: SourceTree, *, snapshot: bool
) -> tuple[PolicyImage, ...]:
    """Every image ``source`` shows, checked; problems are reported at the image's line and
    column in ``source``. A working text's images are checked for what they are (format,
    size, scripts); a snapshot's frozen copies for being the bytes their names record."""
    found: dict[str, PolicyImage] = {}
    for link in links:
        if not link.image:
            continue
        ok = _check_figure(source, link, diags, snapshot=snapshot)
        if link.href in found:
            continue
        path = _image_path(source, link, diags, tree, snapshot=snapshot)
        if path is None or not ok:
            continue
        image = (
            _frozen_image(source, link, path, diags, tree)
            if snapshot
            else _working_image(source, link, path, diags, tree)
        )
        if image is not None:
            found[link.href] = image
    return tuple(found.values())


def _check_figure(source: Path, link: ParsedLink, diags: Diagnostics, *, snapshot: bool) -> bool:
    """Alt text present, and the image on a line of its own."""
    ok = True
    if not link.alt:
        diags.error(
            source,
            link,
            _(
                "image '%(href)s' has no alternative text; expected a description of "
                "what it shows between the brackets, e.g. ![A chart of who to "
                'tell](images/chart.png "…") (screen readers read it out; write '
                "'to-confirm' to fill it in later)"
            )
            % {"href": link.href},
        )
        ok = False
    elif link.alt.lower() == TO_CONFIRM and not snapshot:
        diags.warning(
            source,
            link,
            _(
                "to confirm: alternative text of image '%(href)s' (describe what it "
                "shows before approval)"
            )
            % {"href": link.href},
        )
    if not link.alone:
        diags.error(
            source,
            link,
            _(
                "image '%(href)s' is inside other text; expected each image in a "
                "paragraph of its own (a line with blank lines around it): it is shown "
                "as a figure with its title as the caption"
            )
            % {"href": link.href},
        )
        ok = False
    return ok


def _image_path(
    source: Path, link: ParsedLink, diags: Diagnostics, tree: SourceTree, *, snapshot: bool
) -> Path | None:
    """The file an image names, if its path is one a policy may use."""
    folder = source.parent / IMAGES_DIR
    where = f"{ProjectPlace(diags.root, folder)}/"
    if _SCHEME.match(link.href):
        diags.error(
            source,
            link,
            _(
                "image '%(href)s' is on another website; expected a file in %(where)s "
                "(pages and PDFs never load anything from other sites: save the image "
                "there and write images/<name>)"
            )
            % {"href": link.href, "where": where},
        )
        return None
    parts = link.href.split("/")
    if len(parts) != 2 or parts[0] != IMAGES_DIR or not _NAME.match(parts[1]) or ".." in parts:
        diags.error(
            source,
            link,
            _(
                "image '%(href)s' is not a file in the policy's images folder; expected "
                "images/<name> (letters, digits, '.', '-', '_'; no '..' or sub-folders), "
                "for a file in %(where)s"
            )
            % {"href": link.href, "where": where},
        )
        return None
    path = folder / parts[1]
    if not os.path.lexists(path):
        diags.error(
            source,
            link,
            _("image file '%(href)s' not found; expected it at %(where)s%(name)s")
            % {"href": link.href, "where": where, "name": parts[1]},
        )
        return None
    problem = tree[path].refusal  # found without opening the file
    message = None if problem is None else _refused(link.href, problem)
    if message is None and not path.resolve().is_relative_to(folder.resolve()):
        message = _("image '%(href)s' resolves to %(target)s, outside the images folder") % {
            "href": link.href,
            "target": path.resolve(),
        }
    if message is not None:
        diags.error(source, link, message)
        return None
    return path


def _refused(href: str, problem: Refusal) -> str:
    """The whole sentence saying why the image file ``href`` names is not read."""
    if problem.reason is RefusalReason.BROKEN_LINK:
        return _(
            "image '%(href)s' is a broken symlink (or a loop of them); expected an image file"
        ) % {"href": href}
    if problem.reason is RefusalReason.OUTSIDE:
        return _(
            "image '%(href)s' resolves to %(target)s, outside the project; expected an image "
            "file in the policy's images folder"
        ) % {"href": href, "target": problem.target}
    return _(
        "image '%(href)s' is not a regular file (a folder, a FIFO, a device or a socket); "
        "expected an image file"
    ) % {"href": href}


def _working_image(
    source: Path, link: ParsedLink, path: Path, diags: Diagnostics, tree: SourceTree
) -> PolicyImage | None:
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        diags.error(
            source,
            link,
            _(
                "image '%(href)s' is %(megabytes).1f MB; expected at most %(limit)s MB "
                "(save it smaller, e.g. at screen size)"
            )
            % {
                "href": link.href,
                "megabytes": size / (1024 * 1024),
                "limit": MAX_IMAGE_BYTES // (1024 * 1024),
            },
        )
        return None
    data = tree[path].data(diags, limit=MAX_IMAGE_BYTES)
    if data is None:
        return None
    suffix = IMAGE_SUFFIXES.get(path.suffix.lower())
    if suffix is None:
        diags.error(
            source,
            link,
            _("image '%(href)s' is not a .png, .jpg, .jpeg or .svg file; expected one of those")
            % {"href": link.href},
        )
        return None
    problems = image_problems(data, suffix)
    for problem in problems:
        diags.error(source, link, image_message(problem, Subject.IMAGE, link.href))
    if problems:
        return None
    return PolicyImage(link.href, path, hashlib.sha256(data).hexdigest(), suffix)


def _frozen_image(
    source: Path, link: ParsedLink, path: Path, diags: Diagnostics, tree: SourceTree
) -> PolicyImage | None:
    match = _FROZEN.match(path.name)
    if match is None:
        diags.error(
            source,
            link,
            _(
                "image '%(href)s' in an approved text is not a frozen copy; expected "
                "images/<sha256>.png|.jpg|.svg, as 'policypress approve' writes them"
            )
            % {"href": link.href},
        )
        return None
    data = tree[path].data(diags, limit=MAX_IMAGE_BYTES)
    if data is None:
        return None
    found = hashlib.sha256(data).hexdigest()
    if found != match.group(1):
        return None  # reported once for the file by check_frozen_copies
    return PolicyImage(link.href, path, found, match.group(2))


def check_frozen_copies(versions_dir: Path, diags: Diagnostics, tree: SourceTree) -> bool:
    """Every file in ``versions/images/`` is a frozen copy that still hashes to its name.

    Approved texts name these files by hash, so a copy edited or replaced afterwards would
    change what an approved version shows: reported here, whichever version uses it."""
    folder = versions_dir / IMAGES_DIR
    if not folder.is_dir():
        return True
    ok = True
    for path in sorted(folder.iterdir()):
        match = _FROZEN.match(path.name)
        if match is None:
            diags.error(
                path,
                Position(1, 1),
                _(
                    "unexpected file among the frozen copies of approved images; expected "
                    "only <sha256>.png|.jpg|.svg files written by 'policypress approve'"
                ),
            )
            ok = False
            continue
        data = tree[path].data(diags, limit=MAX_IMAGE_BYTES)
        if data is None:
            ok = False
            continue
        found = hashlib.sha256(data).hexdigest()
        if found != match.group(1):
            diags.error(
                path,
                Position(1, 1),
                _(
                    "frozen copy of an approved image was changed: its bytes hash to "
                    "%(found)s…, but its name (which the approved text cites) records "
                    "%(recorded)s…; restore it from git"
                )
                % {"found": found[:12], "recorded": match.group(1)[:12]},
            )
            ok = False
    return ok


def image_problems(data: bytes, suffix: str) -> list[ImageProblem]:
    """What is wrong with an image's bytes for a file named ``*suffix`` (see
    :func:`image_message` for the sentences); empty for a sane PNG or JPEG or a plain SVG."""
    kind = _kind(data)
    if kind is not None and kind != suffix:
        return [ImageProblem.of(ImageFault.NAMED_AS_OTHER, suffix=suffix, found=kind)]
    if suffix == ".svg":
        return svg_problems(data)
    if suffix == ".png":
        problems = png_problems(data)
        if problems:
            return problems
        width, height = struct.unpack(">II", data[16:24])
    else:
        size = _jpeg_size(data)
        if size is None:
            if kind == ".jpg":
                return [ImageProblem.of(ImageFault.JPEG_DAMAGED)]
            return [ImageProblem.named_other(".jpg", sniff(data))]
        width, height = size
        if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
            return [
                ImageProblem.of(
                    ImageFault.JPEG_SIDES, width=width, height=height, max_side=MAX_SIDE
                )
            ]
    if width * height > MAX_PIXELS:
        return [
            ImageProblem.of(
                ImageFault.TOO_MANY_PIXELS,
                width=width,
                height=height,
                millions=width * height / 1e6,
                limit=MAX_PIXELS // 1_000_000,
            )
        ]
    return []


def _kind(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png"
    if data.startswith(b"\xff\xd8\xff"):
        return ".jpg"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and b"<svg" in data[:4096].lower():
        return ".svg"
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a JPEG's frame header, walking its segments (bounded by the
    data, which is at most MAX_IMAGE_BYTES)."""
    if not data.startswith(b"\xff\xd8"):
        return None
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if marker in _JPEG_SOF:
            if at + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        if marker == 0xDA or length < 2:  # image data before any frame header
            return None
        at += 2 + length
    return None


# --- Freezing: the text approve writes ---------------------------------------------------


def frozen_src(image: PolicyImage) -> str:
    """Where the approved snapshot points for ``image``: its frozen copy, relative to
    ``versions/``."""
    return f"{IMAGES_DIR}/{image.frozen_name}"


def frozen_text(md: MarkdownIt, text: str, images: tuple[PolicyImage, ...]) -> str:
    """``text`` with every image path pointed at its frozen copy: what ``approve`` writes as
    the snapshot, and what a working text's digest is computed over (so that a working text
    is "the same as the approved version" only when its images are too).

    The destinations are replaced where Markdown writes them (``](src``, ``](<src>``, or a
    reference definition ``]: src``); the result is parsed again and must be the same
    document with only the image paths changed, or :class:`FreezeError` says where not."""
    if not images:
        return text
    mapping = {image.src: frozen_src(image) for image in images}
    pattern = re.compile(
        r"(\]\(\s*<?|\]:[ \t]*<?)("
        + "|".join(re.escape(src) for src in sorted(mapping, key=len, reverse=True))
        + r")(?=[\s>)]|$)",
        re.MULTILINE,
    )
    rewritten = pattern.sub(lambda m: m.group(1) + mapping[m.group(2)], text)
    if _shape(md.parse(text, {}), mapping) != _shape(md.parse(rewritten, {}), {}):
        raise FreezeError(
            _(
                "could not point the text's images at their frozen copies without "
                "changing anything else (an image path also written as plain text or in "
                "code?)"
            )
        )
    return rewritten


class FreezeError(Exception):
    """The working text's images could not be frozen safely."""


def frozen_or_why(
    md: MarkdownIt, text: str, images: tuple[PolicyImage, ...]
) -> tuple[str, str | None]:
    """The text :func:`frozen_text` makes, or ``text`` itself and why it cannot be frozen
    (for its reader to report where it reports the text's other problems)."""
    try:
        return frozen_text(md, text, images), None
    except FreezeError as exc:
        return text, str(exc)


def _shape(tokens: list[Token], mapping: Mapping[str, str]) -> list[tuple[object, ...]]:
    """The document's tokens as comparable tuples, image paths mapped through ``mapping``."""
    shape: list[tuple[object, ...]] = []
    for token in tokens:
        shape.append((token.type, token.tag, token.content if not token.children else ""))
        for child in token.children or []:
            attrs = dict(child.attrs)
            if child.type == "image":
                src = str(attrs.get("src", ""))
                attrs["src"] = mapping.get(src, src)
            shape.append((child.type, child.tag, child.content, sorted(attrs.items())))
    return shape
