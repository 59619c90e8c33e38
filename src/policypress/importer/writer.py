"""``write_draft``: an imported document → content/policies/<slug>/ (policy.md, history.yml,
images/, proposed-agreements/ and IMPORT-REPORT.md, which the loader never reads)."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from policypress.core.messages import gettext as _
from policypress.importer.blocks import Block, escape_line_start
from policypress.importer.document import ImportedDocument
from policypress.importer.headings import heading_markdown

REPORT_FILE = "IMPORT-REPORT.md"
PROPOSALS_FOLDER = "proposed-agreements"


class DraftExists(Exception):
    """The policy folder is there already; --force replaces it."""


def body_markdown(doc: ImportedDocument) -> str:
    parts: list[str] = []
    for section in doc.sections:
        parts.append(heading_markdown(section))
        parts += [_block(block) for block in section.blocks]
    return "\n\n".join(p for p in parts if p) + "\n"


def blocks_markdown(blocks: list[Block]) -> list[str]:
    """Each block's Markdown, as ``body_markdown`` writes it (empty for what it leaves out)."""
    return [_block(block) for block in blocks]


def _block(block: Block) -> str:
    if block.kind == "para":
        return block.markdown
    if block.kind == "list":
        lines = []
        for item in block.items:
            marker = "1." if item.ordered else "-"
            lines.append(f"{'    ' * item.depth}{marker} {escape_line_start(item.markdown)}")
        return "\n".join(lines)
    if block.kind == "table":
        width = max(len(r) for r in block.rows)
        rows = [
            [c.markdown.replace("|", "\\|") for c in r] + [""] * (width - len(r))
            for r in block.rows
        ]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines)
    if block.kind == "image":
        alt = block.image_alt.replace("]", "\\]").replace("[", "\\[")
        caption = block.caption.replace('"', "'")
        title = f' "{caption}"' if caption else ""
        return f"![{alt}]({block.image_src}{title})"
    return ""


def policy_markdown(doc: ImportedDocument) -> str:
    front = dump_yaml(doc.front)
    return f"---\n{front}---\n\n{body_markdown(doc)}"


class _NoAliases(yaml.SafeDumper):
    """A repeated value (the same date as ``date`` and ``effective``) is written out, never
    as a YAML alias, which policypress refuses for anything but single values."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def dump_yaml(data: object) -> str:
    return yaml.dump(data, Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=1000)


def history_yaml(doc: ImportedDocument) -> str:
    return dump_yaml({"versions": [entry.as_yaml() for entry in doc.legacy]})


def write_draft(
    doc: ImportedDocument, content_root: Path, slug: str, *, force: bool = False
) -> list[Path]:
    """Write the draft; refuses an existing folder unless ``force``. Returns the files."""
    folder = content_root / "policies" / slug
    if folder.exists() or folder.is_symlink():
        if not force:
            raise DraftExists(
                _(
                    "%(folder)s: a policy with the slug '%(slug)s' exists already; choose "
                    "another --slug, or add --force to replace it"
                )
                % {"folder": folder, "slug": slug}
            )
        if folder.is_symlink() or not folder.is_dir():
            folder.unlink()
        else:
            shutil.rmtree(folder)
    written: list[Path] = []

    def put(path: Path, data: str | bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        written.append(path)

    put(folder / "policy.md", policy_markdown(doc))
    put(folder / "history.yml", history_yaml(doc))
    for picture in doc.pictures:
        put(folder / "images" / picture.name, picture.data)
    for proposal in doc.proposals:
        put(
            folder / PROPOSALS_FOLDER / proposal.file_name,
            proposal.markdown(slug),
        )
    put(folder / REPORT_FILE, doc.report.markdown(slug))
    return written
