"""Finding the policy's title on its cover: a title line that goes on with review dates, the
first heading naming a policy, the school's name or motto above a title line."""

from __future__ import annotations

import re

from policypress.core.messages import gettext as _
from policypress.importer.blocks import Block, escape
from policypress.importer.coverfacts import Cover, set_field
from policypress.importer.coverlines import fields, title_tail
from policypress.importer.headings import hand_number
from policypress.importer.report import Report
from policypress.importer.titles import without_school

TITLE_WORDS = re.compile(r"\b(?:policy|policies|procedures?|agreement|guidance)\b", re.I)
# A section's heading that mentions the policy without being its title
_SECTION = re.compile(
    r"\b(?:this|the|our|other|related|school)\s(?:polic|procedur)|^(?:policy|procedures?)\s"
    r"(?:statement|aims?|scope|purpose|review|summary|overview|objectives?|context|rationale)\b",
    re.I,
)
MAX_TITLE_WORDS = 14  # a longer line is a sentence, not a title
MAX_SENTENCE_TITLE_WORDS = 8  # 'Online safety policy' as a first line; longer is a sentence
MAX_ABOVE_WORDS = 10  # a school's name or motto above the title; a longer line is text


def split_title_line(blocks: list[Block], cover: Cover, report: Report) -> None:
    """The first title-like line that goes on with review dates ('… Policy Reviewed Summer
    2023 Next Review Summer 2024', '… Policy 2019 - Review 2022'): the dates are read as the
    cover's and the line keeps only the title."""
    for block in blocks:
        if block.kind not in ("para", "heading"):
            continue
        title = title_with_dates(block.plain, block.where, cover, report)
        if title != block.plain:
            block.plain, block.markdown, block.lines = title, escape(title), [title]
            return


def title_with_dates(text: str, where: str, cover: Cover, report: Report) -> str:
    """The title of a title line, its review dates read into the cover."""
    if fields(text):  # 'Policy adopted by governors: …' is a cover line, not a title
        return text
    title, found = title_tail(text)
    if not found or not names_policy(title):
        return text
    tail = " ".join(text.split())[len(title) :].strip()
    report.add(
        where,
        "inferred",
        _("'%(tail)s' split off the title line '%(title)s'") % {"tail": tail, "title": title},
    )
    for item in found:
        set_field(cover, item, where, report, _("the title line"))
    return title


def first_heading_title(kept: list[Block], end: int, cover: Cover, report: Report) -> list[Block]:
    """No single top heading and no bold, capital or 'Policy' line: the first heading before
    the policy's text, when it names a policy, is its title."""
    for block in kept[: max(end, 1)]:
        if block.kind == "heading" and heading_names_policy(block):
            cover.title = title_case(block.plain)
            cover.where["title"] = block.where
            report.add(
                block.where,
                "inferred",
                _("title '%(title)s' from the first heading") % {"title": cover.title},
            )
            return [b for b in kept if b is not block]
    return kept


def above_title(kept: list[Block], position: int, report: Report) -> list[Block]:
    """Short lines above a title line are the school's name, its motto or a logo's words
    (ALT text): dropped, and said."""
    above = kept[:position]
    if not all(b.kind == "para" and len(b.plain.split()) <= MAX_ABOVE_WORDS for b in above):
        return kept
    for block in above:
        school = without_school(block.plain + " Policy")[1]
        dropped = (
            _("the school's name '%(line)s' above the title")
            if school == block.plain.strip()
            else _("a line '%(line)s' above the title")
        )
        report.add(block.where, "dropped", dropped % {"line": block.plain})
    return kept[position:]


def names_policy(text: str, *, sentence_case: bool = False) -> bool:
    """'Cameras and Mobile Phones Policy', 'POLICY FOR ONLINE SAFETY': a policy's title, not a
    section's heading such as 'Policy statement' or 'Aims of this policy'. With
    ``sentence_case`` (the document's first line), 'Online safety policy' too."""
    if not TITLE_WORDS.search(text) or _SECTION.search(text):
        return False
    if sentence_case:
        words = text.split()
        return len(words) <= MAX_SENTENCE_TITLE_WORDS and text[:1].isupper()
    return title_like(text)


def heading_names_policy(block: Block) -> bool:
    """A heading such as 'Cameras and Mobile Phones Policy': unnumbered, short, a policy."""
    return not block.auto_number and not hand_number(block.plain) and names_policy(block.plain)


def title_like(text: str) -> bool:
    """Short, and written as a title: every word of four letters or more capitalised."""
    words = text.split()
    return len(words) <= MAX_TITLE_WORDS and all(
        w[:1].isupper() or not w[:1].isalpha() or len(w) < 4 for w in words
    )


def title_case(text: str) -> str:
    if not text.isupper():
        return text
    small = {"and", "of", "the", "for", "in", "on", "to", "a", "an"}
    words = text.lower().split()
    return " ".join(
        w if i and w in small else "-".join(p[:1].upper() + p[1:] for p in w.split("-"))
        for i, w in enumerate(words)
    )
