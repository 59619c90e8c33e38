"""Which blocks are headings, at what level, under what id.

Real policies mark headings in three ways: Word's heading styles (or <h2>, ##), a paragraph
that is only bold, or a short line on its own. Most also number them by hand ("1.", "1.2",
"2.3.1", "a)", "(iv)", "Section 4:"); the number is stripped (policypress numbers sections
itself) and gives the level. Every decision is reported with its location.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policypress.content.schema import RESERVED_IDS
from policypress.core.messages import N_
from policypress.core.messages import gettext as _
from policypress.importer.blocks import Block, escape
from policypress.importer.report import Report
from policypress.importer.signlines import is_sign_line

_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")
_NAMED = re.compile(
    r"^(section|part|chapter|appendix|annex|annexe|schedule)\s+(\d+(?:\.\d+)*|[a-z]|"
    + "|".join(_ROMAN[::-1])
    + r")\b\s*[-–—:.)]?\s*(.*)$",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})(?:\.|\)|\s+[-–—:])?\s+(.+)$")
_LETTER = re.compile(r"^\(?([a-z])[.)]\s+(.+)$", re.IGNORECASE)
_ROMAN_RE = re.compile(r"^\(?(" + "|".join(_ROMAN[::-1]) + r")[.)]\s+(.+)$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;,?!]$")
_APPENDIX_TITLE = re.compile(
    r"^(?i:appendix|annex|annexe|schedule)\s+(?i:\d{1,2}|[a-z]|[ivx]{1,5})\s*[-–—:.)]\s*[A-Z]"
)
_STYLE_LEVEL = re.compile(r"heading\s*(\d)", re.IGNORECASE)
MAX_HEADING_WORDS = 14
MAX_LINE_HEADING_WORDS = 10
MAX_LEVEL = 3
MAX_ID_LENGTH = 40
LETTERED = N_("lettered short title-like paragraph")


@dataclass(frozen=True)
class HandNumber:
    kind: str  # "numeric", "letter", "roman", "appendix", or "auto" (Word's list numbering)
    number: str  # "2.1", "a", "iv", "A"
    rest: str  # the title after the number


def hand_number(title: str) -> HandNumber | None:
    """The hand-typed number or letter a heading starts with, and the title after it."""
    match = _NAMED.match(title)
    if match:
        word, number, rest = match.groups()
        if word.lower() in ("appendix", "annex", "annexe", "schedule"):
            return HandNumber("appendix", f"{word} {number}", rest)
        if number.replace(".", "").isdigit():
            return HandNumber("numeric", number, rest)
        return HandNumber("letter", number.lower(), rest)
    match = _NUMERIC.match(title)
    if match:
        return HandNumber("numeric", match.group(1), match.group(2))
    match = _ROMAN_RE.match(title)
    # "ii)", "iv." and "(i)" are numerals; a bare "i)" or "v)" is read as a letter.
    if match and (len(match.group(1)) > 1 or title.startswith("(")):
        return HandNumber("roman", match.group(1).lower(), match.group(2))
    match = _LETTER.match(title)
    if match:
        return HandNumber("letter", match.group(1).lower(), match.group(2))
    return None


@dataclass
class Section:
    level: int  # 1 = section (##), 2 = subsection, 3 = sub-subsection
    title: str  # plain text, hand number removed
    clause_id: str
    where: str
    number: HandNumber | None = None
    blocks: list[Block] = field(default_factory=list)
    # the ids the document gives its heading (only when convert is asked for them)
    given_ids: tuple[str, ...] = ()


def _bold_reason(block: Block) -> str:
    if block.bold_by_style:
        return _("bold paragraph (style '%(style)s')") % {"style": block.style}
    return _("bold paragraph")


def _candidate(block: Block) -> str | None:
    """Why this block is a heading, or None."""
    if block.kind == "heading":
        return _("heading level %(level)s in the source") % {"level": block.level}
    if block.kind != "para":
        return None
    words = len(block.plain.split())
    if _STYLE_LEVEL.search(block.style) and words <= MAX_HEADING_WORDS:
        return _("paragraph style '%(style)s'") % {"style": block.style}
    if _APPENDIX_TITLE.match(block.plain) and words <= MAX_HEADING_WORDS:
        # "Appendix D: Rules for pupils." is a heading, even ending in a full stop
        return _bold_reason(block) if block.bold else _("appendix title")
    if _SENTENCE_END.search(block.plain) or block.plain.endswith(":"):
        return None
    if is_sign_line(block.tabbed or block.plain):  # "Signature of child" is no heading
        return None
    if block.bold and words <= MAX_HEADING_WORDS:
        return _bold_reason(block)
    number = hand_number(block.plain)
    if (
        number
        and number.kind in ("numeric", "appendix")
        and words <= MAX_HEADING_WORDS
        and number.rest[:1].isupper()  # "12 pupils took part" is a sentence, not a heading
    ):
        return _("numbered short paragraph")
    if (
        number
        and number.kind in ("letter", "roman")
        and words <= MAX_LINE_HEADING_WORDS
        and number.rest[:1].isupper()
    ):
        return _(LETTERED)
    if block.alone and words <= MAX_LINE_HEADING_WORDS and block.plain[:1].isupper():
        return _("short line on its own")
    return None


def _lettered_runs_are_lists(blocks: list[Block], reasons: list[str | None]) -> list[str | None]:
    """Lettered lines typed alike one after another, with no text between them, are a list
    ("a) Reading", "b) Writing"), not sub-headings: a sub-heading has text under it."""
    kept = list(reasons)
    marks = [
        _marker_style(b.plain) if r == _(LETTERED) else ""
        for b, r in zip(blocks, reasons, strict=True)
    ]
    for index, mark in enumerate(marks):
        before = marks[index - 1] if index else ""
        after = marks[index + 1] if index + 1 < len(marks) else ""
        if mark and mark in (before, after):
            kept[index] = None
    return kept


def _marker_style(text: str) -> str:
    """How a letter or numeral is typed: 'a)', '(a)', 'A.' or 'i.' with any letter."""
    match = re.match(r"\(?([a-z]+)([.)])", text, re.IGNORECASE)
    if match is None:
        return ""
    letter = "i" if len(match.group(1)) > 1 else "a"
    case = letter.upper() if match.group(1).isupper() else letter
    return ("(" if text.startswith("(") else "") + case + match.group(2)


def _source_level(block: Block) -> int:
    if block.kind == "heading":
        return block.level
    match = _STYLE_LEVEL.search(block.style)
    return int(match.group(1)) if match else 0


def slugify(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"
    if len(slug) > MAX_ID_LENGTH:  # ids are typed in links: cut at a word boundary
        cut = slug[:MAX_ID_LENGTH]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug


class _Ids:
    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, title: str) -> str:
        base = slugify(title)
        if base in RESERVED_IDS:
            base = f"{base}-section"
        clause_id, suffix = base, 2
        while clause_id in self.used:
            clause_id, suffix = f"{base}-{suffix}", suffix + 1
        self.used.add(clause_id)
        return clause_id


def build_sections(blocks: list[Block], report: Report) -> list[Section]:
    """Group ``blocks`` under their headings. Text before the first heading goes into an
    'About this policy' section (policypress needs every paragraph inside a section)."""
    reasons = _lettered_runs_are_lists(blocks, [_candidate(b) for b in blocks])
    numbered = any(
        r and (b.auto_number or ((n := hand_number(b.plain)) and n.kind == "numeric"))
        for b, r in zip(blocks, reasons, strict=True)
    )
    source_levels = [_source_level(b) for b, r in zip(blocks, reasons, strict=True) if r]
    base_level = min((s for s in source_levels if s), default=1)
    ids = _Ids()
    sections: list[Section] = []
    preamble: list[Block] = []
    last_numbered = 0  # level of the last heading with a number
    letter_level = 0  # level of the last lettered heading, for (i) under a)
    parent_level = 0  # level of the last heading with neither letter nor numeral
    for block, reason in zip(blocks, reasons, strict=True):
        if reason is None:
            (sections[-1].blocks if sections else preamble).append(block)
            continue
        number = hand_number(block.plain)
        if block.auto_number:  # Word numbers it: the text holds no number to strip
            number = HandNumber("auto", block.auto_number, block.plain)
        title = number.rest if number and number.rest.strip() else block.plain
        title = title.strip().rstrip(":").strip()
        if title.endswith(".") and not title.endswith(".."):  # "Appendix D: Pupil rules."
            title = title[:-1].rstrip()
        previous = sections[-1].level if sections else 0
        if number and number.kind == "auto":
            level, letter_level = block.auto_level, 0
            last_numbered = level
            how = _(
                "level from Word's automatic numbering (%(number)s.) at list level %(level)s"
            ) % {"number": number.number, "level": level}
        elif number and number.kind == "numeric":
            level = number.number.count(".") + 1
            last_numbered, letter_level = level, 0
            how = _("level from its number '%(number)s'") % {"number": number.number}
        elif number and number.kind == "appendix":
            level, last_numbered, letter_level = 1, 1, 0
            how = _("level as an appendix ('%(number)s')") % {"number": number.number}
        elif number and number.kind == "letter":
            level = (last_numbered or parent_level or previous) + 1
            letter_level = level
            how = _("level from its letter '%(number)s)', under the section before it") % {
                "number": number.number
            }
        elif number and number.kind == "roman":
            level = (letter_level or last_numbered or parent_level or previous) + 1
            how = _("level from its numeral '(%(number)s)', under the heading before it") % {
                "number": number.number
            }
        elif numbered:
            level = last_numbered + 1 if last_numbered else 1
            how = _(
                "level unnumbered in a numbered document: one level below the last numbered heading"
            )
        elif _source_level(block):
            level = _source_level(block) - base_level + 1
            how = _("level from the source's heading level %(level)s") % {
                "level": _source_level(block)
            }
        else:
            level = previous + 1 if any(_source_level(b) for b in blocks) else 1
            how = (
                _("level as a top-level section")
                if level == 1
                else _("level under the heading before it")
            )
        wanted = level
        level = max(1, min(level, previous + 1, MAX_LEVEL))
        if level != wanted:
            how += (
                " ("
                + _("level %(wanted)s is not possible here; made level %(level)s")
                % {"wanted": wanted, "level": level}
                + ")"
            )
        if not (number and number.kind in ("letter", "roman")):
            parent_level = level
        section = Section(
            level, title, ids.make(title), block.where, number, given_ids=tuple(block.ids)
        )
        sections.append(section)
        # the facts about the heading, each a whole phrase of the catalogue, in a list
        facts = [reason]
        if number and number.kind != "auto":
            facts.append(_("'%(number)s' stripped") % {"number": number.number} + ", " + how)
        else:
            facts.append(how)
        report.add(
            block.where,
            "inferred",
            _("heading '%(title)s' (#%(id)s), level %(level)s: %(facts)s")
            % {"title": title, "id": section.clause_id, "level": level, "facts": "; ".join(facts)},
        )
    if preamble:
        # the title in the language being written; the clause id from the English, so that it
        # is the same whatever the language
        intro = Section(1, _("About this policy"), ids.make("About this policy"), preamble[0].where)
        intro.blocks = preamble
        sections.insert(0, intro)
        report.add(
            preamble[0].where,
            "inferred",
            _(
                "text before the first heading (%(num)s block(s)) placed in a new section "
                "'%(title)s' (#%(id)s)"
            )
            % {"num": len(preamble), "title": intro.title, "id": intro.clause_id},
        )
    return sections


def heading_markdown(section: Section) -> str:
    return f"{'#' * (section.level + 1)} {escape(section.title)} {{#{section.clause_id}}}"
