"""'see section 4', 'paragraph 2.1', 'Appendix A' → links to the clause that carried that
hand number in the source, so they never go stale. A numbered part of another document
('Part one of KCSIE') is a citation and is left alone, exactly as `check` leaves it."""

from __future__ import annotations

import re

from policypress.content.pasted import SECTION_REFERENCE, section_references
from policypress.core.messages import gettext as _
from policypress.importer.headings import Section, hand_number
from policypress.importer.report import Report

_NUMBER = re.compile(r"(\d+(?:\.\d+)*|[A-Za-z])$")


def numbers_to_ids(sections: list[Section]) -> dict[str, str]:
    """Hand number ('4', '2.1', 'appendix a') → clause id; the first one wins when a
    document restarts its numbering."""
    found: dict[str, str] = {}
    for section in sections:
        if section.number is None or section.number.kind not in ("numeric", "appendix", "auto"):
            continue
        if section.number.kind == "auto" and section.level > 1:
            continue  # Word shows "2.1" but the file holds only the "1": no reliable key
        key = section.number.number.lower()
        if section.number.kind == "appendix":
            key = "appendix " + key.split()[-1]
        found.setdefault(key, section.clause_id)
    # "1.2 Staff must …": a paragraph numbered by hand; a reference to it links to its section
    for section in sections:
        for block in section.blocks:
            number = hand_number(block.plain) if block.kind == "para" else None
            if number is not None and number.kind == "numeric" and "." in number.number:
                found.setdefault(number.number, section.clause_id)
    return found


def report_numbered_paragraphs(sections: list[Section], report: Report) -> None:
    for section in sections:
        for block in section.blocks:
            number = hand_number(block.plain) if block.kind == "para" else None
            if number is not None and number.kind == "numeric" and "." in number.number:
                report.add(
                    block.where,
                    "inferred",
                    _(
                        "paragraph numbered '%(number)s' by hand: the number stays in the text "
                        "(policypress numbers sections, not paragraphs); a reference to it links "
                        "to its section #%(id)s"
                    )
                    % {"number": number.number, "id": section.clause_id},
                )


def link_references(sections: list[Section], report: Report) -> None:
    report_numbered_paragraphs(sections, report)
    ids = numbers_to_ids(sections)
    for section in sections:
        for block in section.blocks:
            if block.kind == "para":
                block.markdown = _link(block.markdown, block.where, ids, report)
            elif block.kind == "list":
                for item in block.items:
                    item.markdown = _link(item.markdown, item.where, ids, report)


def _link(text: str, where: str, ids: dict[str, str], report: Report) -> str:
    replacements: list[tuple[int, int, str]] = []
    for finding in section_references(text):
        match = SECTION_REFERENCE.match(text, finding.col - 1)
        if match is None:
            continue
        shown = match.group(0)
        number = _NUMBER.search(shown)
        word = shown.split()[0].lower()
        key = number.group(1).lower() if number else ""
        if word in ("appendix", "annex", "annexe", "schedule"):
            key = f"appendix {key}"
        clause_id = ids.get(key)
        if clause_id is None:
            report.add(
                where,
                "not placed",
                _("reference '%(reference)s': no heading carried that number; link it by hand")
                % {"reference": shown},
            )
            continue
        replacements.append((match.start(), match.end(), f"[{shown}](#{clause_id})"))
        report.add(
            where,
            "inferred",
            _("reference '%(reference)s' linked to #%(id)s")
            % {"reference": shown, "id": clause_id},
        )
    for start, end, link in reversed(replacements):
        text = text[:start] + link + text[end:]
    return text
