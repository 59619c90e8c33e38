"""Extract the interface's messages into src/policypress/locale/messages.pot and bring every
language's messages.po up to date with it.

    python scripts/messages.py           # write the catalogues
    python scripts/messages.py --check   # exit 1 if they are not what extraction gives

What is extracted, and how, is babel.cfg: Python's ``_()``, ``ngettext()`` and ``N_()``, and
the templates' ``_()``, ``ngettext()`` and ``{% trans %}``. The output is deterministic (a
fixed date, no line numbers, no Babel version), so the committed catalogue changes only when
a message does; tests/test_messages.py checks it is exactly what extraction gives today.
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "policypress" / "locale"
TEMPLATE = LOCALE / "messages.pot"
SOURCE_LANGUAGE = "en"
# Not the date of any extraction: a fixed one keeps the catalogue byte-identical between runs.
FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)
WIDTH = 100


def extract(root: Path = ROOT) -> Catalog:
    """Every message in the sources babel.cfg names, each with the files it occurs in."""
    with (root / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, "babel.cfg")
    catalog = _empty_catalog(locale=None)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, comment_tags=("Translators:",), strip_comment_tags=True
    ):
        catalog.add(
            message,
            None,
            [(filename, lineno)],
            auto_comments=comments,
            context=context,
            flags=("python-format",) if _has_placeholder(message) else (),
        )
    return catalog


def _has_placeholder(message: str | tuple[str, ...]) -> bool:
    texts = [message] if isinstance(message, str) else list(message)
    return any("%(" in text for text in texts)


def _empty_catalog(locale: str | None) -> Catalog:
    return Catalog(
        locale=locale,
        domain="messages",
        project="policypress",
        version="",
        copyright_holder="policypress's authors",
        msgid_bugs_address="",
        creation_date=FIXED_DATE,
        revision_date=FIXED_DATE,
        fuzzy=False,
    )


def po_bytes(catalog: Catalog) -> bytes:
    """The catalogue as a .po/.pot file: sorted, without line numbers (which would change the
    catalogue with every edit above a message) and without Babel's version."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=WIDTH, sort_output=True, include_lineno=False)
    lines = buffer.getvalue().splitlines(keepends=True)
    return b"".join(line for line in lines if not line.startswith(b'"Generated-By:'))


def source_catalogue(template: Catalog) -> Catalog:
    """English, the source language: every message, none translated (each reads as written)."""
    english = _empty_catalog(locale=SOURCE_LANGUAGE)
    english.update(template, no_fuzzy_matching=True)
    return english


def updated(po_file: Path, template: Catalog) -> Catalog:
    """A language's catalogue with the template's messages: new ones untranslated, gone ones
    dropped, translations kept."""
    with po_file.open("rb") as handle:
        catalog = read_po(handle)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.revision_date = FIXED_DATE
    return catalog


def expected_files(root: Path = ROOT) -> dict[Path, bytes]:
    """Every catalogue file as extraction makes it today."""
    template = extract(root)
    locale = root / "src" / "policypress" / "locale"
    files = {locale / "messages.pot": po_bytes(template)}
    files[locale / SOURCE_LANGUAGE / "LC_MESSAGES" / "messages.po"] = po_bytes(
        source_catalogue(template)
    )
    for po_file in sorted(locale.glob("*/LC_MESSAGES/messages.po")):
        if po_file.parent.parent.name != SOURCE_LANGUAGE:
            files[po_file] = po_bytes(updated(po_file, template))
    return files


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path, content in expected_files().items():
        if path.exists() and path.read_bytes() == content:
            continue
        stale.append(path)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    for path in stale:
        verb = "out of date" if check else "written"
        print(f"{path.relative_to(ROOT)}: {verb}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
