"""Paragraphs that an old page break cut mid-sentence, joined again.

Text copied from a PDF or an old Word file often breaks a sentence where the page ended:
"… must be reported to the" / (page footer, header, blank lines) / "designated safeguarding
lead the same day." A paragraph that ends without a full stop (or other end of sentence),
followed by one that starts in lower case or that the first plainly goes on into (it ended on
a word such as "the" or "and", or a comma), is one paragraph. Page headers, footers and page
numbers between the two halves are dropped. Each join is reported.
"""

from __future__ import annotations

import re

from policypress.core.messages import gettext as _
from policypress.importer.blocks import Block
from policypress.importer.headings import hand_number
from policypress.importer.report import Report

_ENDS_SENTENCE = re.compile(r"[.!?:;)\]\"”’]$")
# Words a sentence cannot end on: articles, prepositions, conjunctions and auxiliaries.
_GOES_ON = re.compile(
    r"(?:,|\b(?:a|an|the|and|or|but|of|to|for|with|by|in|on|at|from|into|that|which|who|"
    r"their|our|its|his|her|is|are|be|will|must|should|may|can|as|if|than|such|any|all|"
    r"each|every|this|these|those|not|also))$",
    re.IGNORECASE,
)
PAGE_NUMBER = re.compile(
    r"^[-–\s]{0,3}(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?[-–\s]{0,3}$", re.IGNORECASE
)
_WORD = re.compile(r"^[A-Za-z][a-z'’-]{0,30}[,;:.]?$")  # a plain word: no address, no code
MIN_WORDS = 4  # a shorter line without a full stop is more likely a heading
MAX_FURNITURE_WORDS = 12


def _furniture(block: Block, counts: dict[str, int]) -> bool:
    """A page number, or a short line repeated on several pages (a header or footer)."""
    if block.kind != "para" or len(block.plain.split()) > MAX_FURNITURE_WORDS:
        return False
    return bool(PAGE_NUMBER.match(block.plain)) or counts.get(block.plain.casefold(), 0) > 1


def _open_end(text: str) -> bool:
    return len(text.split()) >= MIN_WORDS and not _ENDS_SENTENCE.search(text.rstrip())


def _continues(before: str, after: Block) -> bool:
    if after.kind != "para" or after.bold or after.tabbed or hand_number(after.plain):
        return False
    if not _WORD.match(after.plain.split()[0] if after.plain.split() else ""):
        return False  # "www.…", "01234 …" or "(see …)" may start a paragraph of its own
    first = after.plain[:1]
    return first.islower() or bool(_GOES_ON.search(before.rstrip()))


def rejoin_pages(blocks: list[Block], report: Report) -> list[Block]:
    counts: dict[str, int] = {}
    for block in blocks:
        if block.kind == "para":
            counts[block.plain.casefold()] = counts.get(block.plain.casefold(), 0) + 1
    result: list[Block] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        index += 1
        if block.kind == "para" and PAGE_NUMBER.match(block.plain):
            report.add(block.where, "dropped", _("page number '%(line)s'") % {"line": block.plain})
            continue
        result.append(block)
        while (before := _tail(block)) is not None and _open_end(before):
            after = index
            while after < len(blocks) and _furniture(blocks[after], counts):
                after += 1
            if after >= len(blocks) or not _continues(before, blocks[after]):
                break
            for dropped in blocks[index:after]:
                report.add(
                    dropped.where,
                    "dropped",
                    _(
                        "'%(line)s' inside a sentence cut by a page break (a page number, "
                        "header or footer)"
                    )
                    % {"line": dropped.plain},
                )
            _join(block, blocks[after], report)
            index = after + 1
            following = blocks[index] if index < len(blocks) else None
            if (
                block.kind == "list"
                and following is not None
                and following.kind == "list"
                and following.ordered == block.ordered
            ):  # the rest of the list, after the joined item
                block.items += following.items
                index += 1
    return result


def _tail(block: Block) -> str | None:
    """The text a page break could have cut: a paragraph's, or a list's last item's."""
    if block.kind == "para" and not block.bold and not block.tabbed:
        return block.plain
    if block.kind == "list" and block.items:
        return block.items[-1].plain
    return None


def _join(block: Block, nxt: Block, report: Report) -> None:
    if block.kind == "para":
        where = block.where
        block.markdown += " " + nxt.markdown
        block.plain += " " + nxt.plain
        block.lines += nxt.lines
        block.alone = False
        block.left_out += nxt.left_out
    else:
        where = block.items[-1].where
        block.items[-1].markdown += " " + nxt.markdown
        block.items[-1].plain += " " + nxt.plain
    start = " ".join(nxt.plain.split()[:4])
    report.add(
        nxt.where,
        "inferred",
        _("'%(start)s …' goes on with the sentence at %(where)s, cut by a page break: joined to it")
        % {"start": start, "where": where},
    )
