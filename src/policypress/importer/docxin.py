"""Reading an exported (and edited) Word file back as clauses: headings, bookmarks, text.

The file is read once (:func:`open_word`, through :mod:`package`'s checks); pandoc reads the
text from those bytes, and before it does, the document's XML is read here for what pandoc
does not keep. pandoc's Word reader drops the bookmarks on headings (it names each heading
after its words instead), so every bookmark's name is written into its paragraph as text
between two private-use characters, which :mod:`policypress.importer.wordast` takes out
again.

The package is read part by part rather than through python-docx's document model: a file
saved by another word processor (LibreOffice) names its parts' relationships in ways
python-docx does not recognise, and saving such a file through python-docx lost its properties
and wrote a second ``docProps/core.xml``. Only ``word/document.xml`` is rewritten; every other
part goes to pandoc exactly as it was.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from policypress.core.messages import gettext as _
from policypress.importer.package import Package, PackageRefused, read_package
from policypress.importer.pandocrun import Node, docx_to_tree
from policypress.importer.wordast import (
    MARK_CLOSE,
    MARK_OPEN,
    Cleaning,
    clean_blocks,
    clean_inlines,
    stringify,
)
from policypress.importer.wordparts import (
    MAIN_PART,
    WordPackage,
    align_as_first_edition,
    continue_lists,
    parse,
    qn,
    serialise,
)

DEEPEST_HEADING = 3  # Heading 1 to 3: sections, subsections, sub-subsections

TrackChanges = Literal["accept", "reject"]


class UnreadableWord(Exception):
    """Not a Word file policypress can read; the message says why."""


@dataclass(frozen=True)
class TrackedChanges:
    """Revisions Word is still tracking, counted by author."""

    insertions: Counter[str] = field(default_factory=Counter)
    deletions: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.insertions.values()) + sum(self.deletions.values())

    def by_author(self) -> str:
        """Each author's insertions and deletions, one catalogued phrase each, as a list."""
        authors = sorted(set(self.insertions) | set(self.deletions))
        return "; ".join(
            _("%(author)s: %(insertions)s insertion(s), %(deletions)s deletion(s)")
            % {
                "author": author,
                "insertions": self.insertions[author],
                "deletions": self.deletions[author],
            }
            for author in authors
        )


@dataclass
class WordClause:
    """One heading of the Word file and the blocks up to the next heading."""

    level: int  # 1 section, 2 subsection, 3 sub-subsection
    bookmarks: list[str]  # names of the bookmarks on the heading, in order
    anchor: str  # the name pandoc gave the heading (links to it are written to it)
    title: list[Node]
    body: list[Node]
    ordinal: int  # 1 for the first heading of the file

    @property
    def title_text(self) -> str:
        return stringify(self.title)

    @property
    def body_text(self) -> str:
        return stringify(self.body)


@dataclass
class WordText:
    clauses: list[WordClause]
    identifier: str  # the core property an export writes (empty if there is none)
    problems: list[str]  # what stops the import, one message each
    dropped: list[str]  # what was left out (images, footnotes, ...), one line each


def open_word(path: Path) -> Package:
    """``path`` read once and checked, before anything parses it: refused if it is too big
    or not a Word package. Every later step reads what this returns."""
    try:
        return read_package(path, MAIN_PART, "Word (.docx)")
    except PackageRefused as exc:
        raise UnreadableWord(str(exc)) from None


@dataclass(frozen=True)
class _Opened:
    package: WordPackage
    body: Any  # the w:body element of word/document.xml


def _open(word: Path | Package) -> _Opened:
    package = WordPackage.of(open_word(word) if isinstance(word, Path) else word)
    try:
        document = parse(package.parts[MAIN_PART])
    except Exception as exc:  # lxml raises many kinds for damaged XML
        raise UnreadableWord(
            _("not a Word document policypress can read: %(exc)s") % {"exc": exc}
        ) from None
    body = document.find(qn("body"))
    if body is None:
        raise UnreadableWord(
            _("not a Word document policypress can read: %(main_part)s has no body")
            % {"main_part": MAIN_PART}
        )
    return _Opened(package, body)


def count_tracked_changes(body: Any) -> TrackedChanges:
    changes = TrackedChanges()
    for tag, counter in (
        ("ins", changes.insertions),
        ("moveTo", changes.insertions),
        ("del", changes.deletions),
        ("moveFrom", changes.deletions),
    ):
        for element in body.iter(qn(tag)):
            # w:ins inside w:rPr marks a paragraph mark, part of a change counted already
            if element.getparent().tag != qn("rPr"):
                counter[element.get(qn("author")) or "unknown author"] += 1
    return changes


def mark_bookmarks(body: Any) -> None:
    """Write each bookmark's name as text at the start of the paragraph holding it (or, for a
    bookmark between paragraphs, of the next paragraph)."""
    for start in list(body.iter(qn("bookmarkStart"))):
        name = start.get(qn("name")) or ""
        if not name or name.startswith("_"):  # Word's own: _GoBack, _Toc…, _Ref…
            continue
        paragraph = next((a for a in start.iterancestors(qn("p"))), None)
        if paragraph is None:
            paragraph = start.getnext()
            while paragraph is not None and paragraph.tag != qn("p"):
                paragraph = paragraph.getnext()
        if paragraph is None:
            continue
        run = paragraph.makeelement(qn("r"), {})
        text = run.makeelement(qn("t"), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
        text.text = f"{MARK_OPEN}{name}{MARK_CLOSE}"
        run.append(text)
        properties = paragraph.find(qn("pPr"))
        if properties is not None:
            properties.addnext(run)
        else:
            paragraph.insert(0, run)


def with_bookmarks_marked(package: Package) -> bytes:
    """The Word package's bytes with each bookmark's name written into its paragraph's text
    (for pandoc, which drops them), every other part as it was."""
    opened = _open(package)
    mark_bookmarks(opened.body)
    return opened.package.with_part(MAIN_PART, serialise(opened.body.getroottree().getroot()))


def read_tracked_changes(word: Path | Package) -> TrackedChanges:
    """The changes a Word file (or its package as :func:`open_word` read it) still tracks."""
    return count_tracked_changes(_open(word).body)


def read_word(word: Path | Package, track_changes: TrackChanges = "accept") -> WordText:
    """The clauses of a Word file (or of its package as :func:`open_word` read it), with
    tracked changes accepted or rejected."""
    opened = _open(word)
    package = opened.package
    mark_bookmarks(opened.body)
    numbering = package.related(MAIN_PART, "numbering")
    continue_lists(opened.body, parse(package.parts[numbering]) if numbering else None)
    align_as_first_edition(opened.body)
    marked = package.with_part(MAIN_PART, serialise(opened.body.getroottree().getroot()))
    tree = docx_to_tree(marked, track_changes)
    return split_clauses(tree["blocks"], package.identifier())


def split_clauses(blocks: list[Node], identifier: str = "") -> WordText:
    found = Cleaning()
    clauses: list[WordClause] = []
    problems: list[str] = []
    preamble: list[Node] = []
    for block in _unwrapped(blocks):
        if block.get("t") != "Header":
            (clauses[-1].body if clauses else preamble).extend(clean_blocks([block], found))
            continue
        level, attr, inlines = block["c"]
        marks = Cleaning()  # the bookmark names on this heading
        title = clean_inlines(inlines, marks)
        found.dropped += marks.dropped
        ordinal = len(clauses) + 1
        depth = clauses[-1].level if clauses else 0
        words = stringify(title)
        if not words:
            problems.append(
                _("heading %(ordinal)s has no words; expected a title (or delete it)")
                % {"ordinal": ordinal}
            )
        if level > DEEPEST_HEADING:
            problems.append(
                _(
                    "heading %(ordinal)s '%(words)s' is a Heading %(level)s; expected Heading 1 "
                    "to %(deepest)s (sections, subsections, sub-subsections)"
                )
                % {"ordinal": ordinal, "words": words, "level": level, "deepest": DEEPEST_HEADING}
            )
        elif level > depth + 1:
            problems.append(
                _(
                    "heading %(ordinal)s '%(words)s' is a Heading %(level)s after a Heading "
                    "%(depth)s; expected Heading %(next)s at most (levels cannot be skipped)"
                )
                % {
                    "ordinal": ordinal,
                    "words": words,
                    "level": level,
                    "depth": depth,
                    "next": depth + 1,
                }
            )
        clauses.append(WordClause(level, marks.marks, str(attr[0]), title, [], ordinal))
    if preamble:
        problems.append(
            _(
                "text before the first heading ('%(text)s'); expected every paragraph under a "
                "heading (Heading 1 to 3)"
            )
            % {"text": stringify(preamble)[:60]}
        )
    if not clauses and not problems:
        problems.append(_("no headings found; expected the sections as Heading 1 to 3 paragraphs"))
    return WordText(clauses, identifier, problems, sorted(set(found.dropped)))


def _unwrapped(blocks: list[Node]) -> list[Node]:
    """The blocks with every Div replaced by what it holds (headings can be inside one)."""
    found: list[Node] = []
    for block in blocks:
        if block.get("t") == "Div":
            found.extend(_unwrapped(block["c"][1]))
        else:
            found.append(block)
    return found
