"""Pictures pandoc extracted from the document, kept as ``images/image-N.ext`` beside the
draft, with their caption ('Figure 1: …' under the picture) and alt text (or `to-confirm`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from policypress.core.messages import gettext as _
from policypress.importer.blocks import Block
from policypress.importer.report import Report

MAX_IMAGE_BYTES = 5 * 1024 * 1024
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg")
_CAPTION = re.compile(
    r"^(?:figure|fig\.?|diagram|image|picture|chart)\s*\d*\s*[:.\-–—]\s*(.+)$", re.I
)
_NO_ALT = re.compile(
    r"^(?:|picture \d+|image \d*|graphic \d*|.*\.(?:png|jpe?g|gif|emf|wmf))$", re.I
)
TO_CONFIRM = "to-confirm"


@dataclass
class Picture:
    name: str  # image-1.png
    data: bytes


def take_images(
    blocks: list[Block], media: Path, report: Report
) -> tuple[list[Block], list[Picture]]:
    """Read each picture pandoc extracted (only from ``media``), name it, and take a caption
    paragraph under it into the picture."""
    kept: list[Block] = []
    pictures: list[Picture] = []
    root = media.resolve()
    for block in blocks:
        previous = kept[-1] if kept else None
        if (
            block.kind == "para"
            and previous is not None
            and previous.kind == "image"
            and not previous.caption
            and (caption := _CAPTION.match(block.plain))
        ):
            previous.caption = caption.group(1).strip()
            report.add(
                block.where,
                "image",
                _("caption '%(caption)s' of the picture above") % {"caption": previous.caption},
            )
            continue
        if block.kind != "image":
            kept.append(block)
            continue
        source = Path(block.image_src)
        path = (source if source.is_absolute() else media / source).resolve()
        suffix = path.suffix.lower()
        if not path.is_relative_to(root) or not path.is_file():
            report.add(
                block.where,
                "not placed",
                _("picture '%(src)s' is not inside the document (a linked file); add it by hand")
                % {"src": block.image_src},
            )
            continue
        if suffix not in IMAGE_SUFFIXES or path.stat().st_size > MAX_IMAGE_BYTES:
            report.add(
                block.where,
                "not placed",
                _(
                    "picture '%(name)s' is a '%(suffix)s' file of %(size)s bytes; expected PNG, "
                    "JPEG, GIF or SVG of at most %(limit)s bytes"
                )
                % {
                    "name": source.name,
                    "suffix": suffix,
                    "size": f"{path.stat().st_size:,}",
                    "limit": f"{MAX_IMAGE_BYTES:,}",
                },
            )
            continue
        name = f"image-{len(pictures) + 1}{'.jpg' if suffix == '.jpeg' else suffix}"
        pictures.append(Picture(name, path.read_bytes()))
        block.image_src = f"images/{name}"
        if _NO_ALT.match(block.image_alt.strip()):
            block.image_alt = TO_CONFIRM
            report.add(
                block.where, "to confirm", _("alt text of picture images/%(name)s") % {"name": name}
            )
        report.add(block.where, "image", _("picture kept as images/%(name)s") % {"name": name})
        kept.append(block)
    return kept, pictures
