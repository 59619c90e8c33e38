"""The document's cover: its title, approval, review dates and template, in a table or in
lines of 'Label: value' (contents lists are importer.contents' work, done before this)."""

from __future__ import annotations

import re

from policypress.core.messages import gettext as _
from policypress.importer.blocks import Block, row_where
from policypress.importer.coverfacts import (
    Cover,
    all_dates_read,
    set_field,
    set_from_label,
    settle,
)
from policypress.importer.coverlines import (
    MAX_LINE,
    fields,
    label_key,
    range_fields,
    title_tail,
)
from policypress.importer.covertitle import (
    TITLE_WORDS,
    above_title,
    first_heading_title,
    heading_names_policy,
    names_policy,
    split_title_line,
    title_case,
    title_with_dates,
)
from policypress.importer.dates import parse_date
from policypress.importer.headings import hand_number
from policypress.importer.report import Report
from policypress.importer.titles import is_file_name, without_school

_ADAPTED = re.compile(
    r"\b(?:adapted from|based on|building on|derived from|taken from)\s+(?:the\s+)?(.+)", re.I
)
_PUBLISHER = re.compile(
    r"((?:[A-Z][A-Za-z'&]+\s)+(?:County Council|Borough Council|City Council|Council|"
    r"Local Authority|Trust|Safeguarding Partnership))"
)
_TEMPLATE_VERSION = re.compile(r"\b(?:version|v)\s?(\d+(?:\.\d+)*)", re.I)
# "Adopted by the Governing Body of Anytown School in March 2022", often at the very end
_APPROVAL_SENTENCE = re.compile(
    r"^(?:this policy was\s+)?(?:adopted|approved|ratified|agreed)\s+by\s+(?:the\s+)?(.+?)"
    r"\s+(?:on|in|at)\s+(.+?)\.?$",
    re.I,
)
# "To be reviewed by Governors in June 2024", "Next review due: Spring 2025"
_REVIEW_SENTENCE = re.compile(
    r"^(?:this policy (?:is|will be)\s+)?(?:to be|will be|due to be)?\s*reviewed"
    r"(?:\s+by\s+.+?)?\s+(?:in|on|by|before)\s+(.+?)\.?$",
    re.I,
)
MAX_TITLE_BLOCKS = 12  # the title is among the first paragraphs
MAX_REPEATED_WORDS = 30


def _front(blocks: list[Block]) -> int:
    """How many blocks come before the policy's own text: up to its first numbered or real
    heading that is not the title, the contents or the review sheet."""
    first_heading = next((b for b in blocks if b.kind == "heading"), None)
    for index, block in enumerate(blocks):
        text = block.plain.lower()
        if re.search(r"review|version|history|amendment", text):
            continue
        if block.kind == "heading" and _looks_like_title(block, blocks):
            continue
        if block is first_heading and heading_names_policy(block):
            continue
        number = hand_number(block.plain)
        if block.auto_number:
            return index
        if block.kind == "heading" or (
            number is not None and number.kind == "numeric" and len(block.plain.split()) <= 14
        ):
            return index
    return len(blocks)


def read_cover(
    blocks: list[Block], meta_title: str, report: Report, stem: str = "", school_name: str = ""
) -> tuple[Cover, list[Block]]:
    """The cover's facts, and the blocks with the cover and contents list taken out. ``stem``
    is the file's name: a document property that only repeats it is no title."""
    if meta_title and is_file_name(meta_title, stem):
        report.add(
            "document",
            "dropped",
            _("document title '%(title)s': only a file name") % {"title": meta_title},
        )
        meta_title = ""
    cover = Cover()
    if meta_title:  # Word's Title style, or a web page's <title>: it may carry dates too
        meta_title = title_with_dates(meta_title, "document", cover, report)
    # A property that names no policy ('Policies', a site's name) yields to the text's title.
    if meta_title and names_policy(meta_title):
        cover.title = meta_title
        cover.where["title"] = "document"
    split_title_line(blocks[: min(_front(blocks), MAX_TITLE_BLOCKS)], cover, report)
    blocks = _without_repeats(blocks, _front(blocks), report)
    end = _front(blocks)
    # The cover's own lines (before the policy's text) are read into ``cover`` and left out.
    kept = [
        block
        for index, block in enumerate(blocks)
        if not (index < end and _cover_block(block, cover, report))
    ]
    for block in kept[: max(end, 1)]:
        if block.kind == "heading" and _looks_like_title(block, kept):
            # The document's only top heading is its title (an HTML page's <h1>); it is
            # preferred to the metadata title, which often adds the site's name.
            cover.title = block.plain
            cover.where["title"] = block.where
            position = kept.index(block)
            above = kept[:position]
            if all(b.kind == "para" and len(b.plain.split()) <= 6 for b in above):
                for before in above:  # a web page's menu links above its title
                    report.add(
                        before.where,
                        "dropped",
                        _("'%(line)s' above the title") % {"line": before.plain},
                    )
                del kept[:position]
            kept.remove(block)
            report.add(
                block.where,
                "inferred",
                _("title '%(title)s' from the only level-%(level)s heading")
                % {"title": cover.title, "level": block.level},
            )
            break
    kept = _closing_lines(kept, cover, report)
    if not cover.title:
        candidates = [b for b in kept[: max(end, 1)] if b.kind == "para"]
        # A motto or the school's name may stand above the title: prefer a line naming a policy.
        candidates.sort(key=lambda b: not TITLE_WORDS.search(b.plain))
        for block in candidates:
            if _looks_like_title(block, kept):
                cover.title = title_case(block.plain)
                cover.where["title"] = block.where
                kept = above_title(kept, kept.index(block), report)
                kept.remove(block)
                report.add(
                    block.where,
                    "inferred",
                    _("title '%(title)s' from the first line") % {"title": cover.title},
                )
                break
    if not cover.title:
        kept = first_heading_title(kept, end, cover, report)
    if not cover.title and meta_title:
        cover.title = meta_title
        cover.where["title"] = "document"
    if cover.title and cover.title == meta_title and cover.where.get("title") == "document":
        report.add(
            "document",
            "inferred",
            _("title '%(title)s' from the document's title") % {"title": meta_title},
        )
    if cover.title:
        whole = cover.title
        cover.title, school = without_school(whole, school_name)
        if school:
            report.add(
                cover.where["title"],
                "inferred",
                _("the school's name '%(school)s' taken off the title '%(title)s'")
                % {"school": school, "title": whole},
            )
    settle(cover, report)
    return cover, kept


def _without_repeats(blocks: list[Block], end: int, report: Report) -> list[Block]:
    """Short paragraphs repeated before the policy's text are a page header or footer (or a
    footnote) that the conversion repeated on every page: dropped."""
    counts: dict[str, int] = {}
    for block in blocks[:end]:
        if block.kind == "para" and len(block.plain.split()) <= MAX_REPEATED_WORDS:
            counts[block.plain.casefold()] = counts.get(block.plain.casefold(), 0) + 1
    kept: list[Block] = []
    for index, block in enumerate(blocks):
        if index < end and block.kind == "para" and counts.get(block.plain.casefold(), 0) > 1:
            report.add(
                block.where,
                "dropped",
                _("'%(line)s' repeated (a page header or footer)") % {"line": block.plain},
            )
            continue
        kept.append(block)
    return kept


def _closing_lines(blocks: list[Block], cover: Cover, report: Report) -> list[Block]:
    """'Adopted by … in June 2023' and 'To be reviewed … in June 2024' lines, wherever they
    are (often after the last section): the approval and review date of this version."""
    kept: list[Block] = []
    for block in blocks:
        if block.kind not in ("para", "heading") or len(block.plain.split()) > 20:
            kept.append(block)
            continue
        line = block.plain[:MAX_LINE]  # the sentences' lazy groups look at no more than this
        approval = _APPROVAL_SENTENCE.match(line)
        review = _REVIEW_SENTENCE.match(line)
        found = fields(block.plain) or range_fields(block.plain)
        if found and all_dates_read(found) and block.kind == "para":
            # 'Approved by LGB: 14/09/22', 'Next review: Autumn term 2025' after the text
            for item in found:
                set_field(
                    cover,
                    item,
                    block.where,
                    report,
                    _("the line '%(line)s'") % {"line": block.plain},
                )
        elif approval and not cover.approved_on and parse_date(approval.group(2), search=True):
            line = f"the line '{block.plain}'"
            set_from_label(cover, "approved by", approval.group(1), block.where, report, line)
            set_from_label(cover, "date approved", approval.group(2), block.where, report, line)
        elif review and not cover.review and parse_date(review.group(1), search=True):
            line = f"the line '{block.plain}'"
            set_from_label(cover, "review date", review.group(1), block.where, report, line)
        else:
            kept.append(block)
    return kept


def _looks_like_title(block: Block, blocks: list[Block]) -> bool:
    words = len(block.plain.split())
    if words > 14 or block.plain.endswith((".", ":")) or hand_number(block.plain):
        return False
    if block.auto_number:  # a heading Word numbers itself
        return False
    if block.kind == "heading":  # the only heading of the top level: the document's title
        top = min(b.level for b in blocks if b.kind == "heading")
        return (
            block.level == top
            and sum(b.kind == "heading" and b.level == top for b in blocks) == 1
            and any(b.kind == "heading" and b.level > top for b in blocks)
        )
    return (
        block.bold
        or block.plain.isupper()
        or names_policy(block.plain)
        or (block is blocks[0] and names_policy(block.plain, sentence_case=True))
    )


def _cover_block(block: Block, cover: Cover, report: Report) -> bool:
    """Read a cover table, a 'Label: value' line or an 'adapted from' line; True if taken."""
    if block.kind == "table":
        pairs = _table_pairs(block)
        # Two labelled rows, or a title in a box (a one-cell table, often beside a logo)
        if sum(bool(label) for _, label, _ in pairs) >= 2 or any(
            not label and names_policy(title_tail(value)[0]) for _, label, value in pairs
        ):
            for where, label, value in pairs:
                if label:
                    set_from_label(cover, label, value, where, report)
                else:
                    _cover_row(cover, value, where, report)
            return True
        return False
    if block.kind != "para":
        return False
    # "Approved by: FGB" lines, one to a paragraph or several joined by manual line breaks;
    # "2020 - Review 2023" alone
    lines = block.lines if len(block.lines) > 1 else [block.plain]
    found = [fields(line) or range_fields(line) for line in lines]
    if all(found):
        for line_fields in found:
            for item in line_fields:
                set_field(cover, item, block.where, report)
        return True
    adapted = _ADAPTED.search(block.plain)
    if adapted and re.search(r"template|model|policy", adapted.group(1), re.I):
        _set_source(cover, adapted.group(1), block.where, report)
        return True
    return False


def _cover_row(cover: Cover, text: str, where: str, report: Report) -> None:
    """A cover table's row across the table: the title (its dates read too), or the school's
    name or a motto, dropped."""
    title = title_with_dates(text, where, cover, report)
    taken = cover.title and cover.where.get("title") != "document"  # the text's title wins
    if not taken and names_policy(title):
        cover.title = title_case(title)
        cover.where["title"] = where
        report.add(
            where, "inferred", _("title '%(title)s' from the cover table") % {"title": cover.title}
        )
    else:
        report.add(where, "dropped", _("'%(text)s' across the cover table") % {"text": text})


def _merged(row: list[str]) -> str:
    """The text of a row that is one cell across the table (Word repeats a merged cell)."""
    texts = {cell for cell in row if cell}
    return texts.pop() if len(texts) == 1 and not label_key(row[0]) else ""


def _table_pairs(block: Block) -> list[tuple[str, str, str]]:
    """(where, label, value) for each row of a cover table; label '' for a row across it."""
    rows = [[c.plain for c in row] for row in block.rows]
    pairs: list[tuple[str, str, str]] = []
    if all((len(r) >= 2 and label_key(r[0])) or _merged(r) for r in rows if any(r)):
        for number, row in enumerate(rows, start=1):
            if _merged(row):
                pairs.append((row_where(block, number), "", _merged(row)))
            elif any(row):  # label | value rows
                pairs.append((row_where(block, number), row[0], " ".join(row[1:]).strip()))
    elif len(rows) == 2 and all(label_key(c) for c in rows[0] if c):  # labels above values
        for label, value in zip(rows[0], rows[1], strict=False):
            if label:
                pairs.append((row_where(block, 2), label, value))
    return pairs


def _set_source(cover: Cover, text: str, where: str, report: Report) -> None:
    title = re.split(r",|\(|;|\bversion\b|\bv\d", text, maxsplit=1, flags=re.I)[0].strip(" .")
    source = {"title": title[:1].upper() + title[1:]}
    publisher = _PUBLISHER.search(text)
    if publisher:
        source["publisher"] = publisher.group(1).strip()
    version = _TEMPLATE_VERSION.search(text)
    if version:
        source["version"] = version.group(1)
    date = parse_date(text[version.end() if version else 0 :], search=True)
    if date is not None:
        source["date"] = date.given
    cover.source = source
    cover.where["source"] = where
    shown = ", ".join(f"{k} '{v}'" for k, v in source.items())
    report.add(
        where,
        "inferred",
        _("template this policy was adapted from: %(source)s") % {"source": shown},
    )
