"""Warnings that catch text pasted from a Word document, each at file:line:col with the fix.

Policies adapted from a county, local-authority or trust template arrive with the template's
leftovers: hand-typed section numbers in headings ("1.1 Definitions"), which policypress would
number again; references to sections by number ("see section 9"), which point at the wrong
section once sections move; and placeholders nobody filled in ("[name of school]").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policypress.core.diagnostics import Diagnostics, Position
from policypress.core.markdown import VARIABLE
from policypress.core.messages import gettext as _
from policypress.core.userregex import Pattern, compile_pattern
from policypress.source.sourceyaml import YamlDocument

_ROMAN = r"(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)"
# A heading that starts with its own number or letter, as Word's hand numbering leaves it.
HAND_NUMBER = re.compile(
    r"^(?:"
    r"(?:section|part|appendix|annex|annexe|chapter|schedule)\s+(?:\d+(?:\.\d+)*|[a-z]|"
    + _ROMAN
    + r")\b\s*[-–—:.)]?\s*"
    r"|\d+(?:\.\d+)+\.?\s+"  # 1.1 Definitions
    r"|\d+[.)]\s+"  # 7. Internet use, 2) Access
    r"|\d+\s+[-–—:]\s+"  # 7 - Internet use
    r"|\(?[a-z]\)\s+|[a-z]\.\s+"  # a. Access, (b) Access
    r"|\(?" + _ROMAN + r"[.)]\s+"  # iv) Monitoring
    r")",
    re.IGNORECASE,
)
# "see section 9", "appendix 4", "paragraph 3.2": numbers that go stale when sections move.
SECTION_REFERENCE = re.compile(
    r"\b(?:section|sections|paragraph|para|clause|appendix|annex|annexe|part|schedule)"
    r"\s+(?:\d+(?:\.\d+)*|[A-Z]\b)",
    re.IGNORECASE,
)
# What template placeholders are made of, inside [square brackets] or {braces}.
PLACEHOLDER_WORDS = re.compile(
    r"\b(?:name|insert|enter|add|type|school|academy|trust|federation|date|dd/mm|tbc|tbd|"
    r"dsl|headteacher|head teacher|principal|governor|chair|contact|e-?mail|phone|telephone|"
    r"number|address|url|website|term|year|local authority|la)\b|^\W*x{2,}\W*$|…|\.\.\.",
    re.IGNORECASE,
)
BRACKETED = re.compile(r"[\[{]\s*([^\]\[{}\n]{1,80}?)\s*[\]}](?![(\[])")
# Round brackets are everyday punctuation ("the lead (DSL)"), so only instructions count.
ROUND_PLACEHOLDER = re.compile(
    r"\(\s*(?:insert|enter|add|type|name of|school name|date of|name and)\b[^()\n]{0,80}\)",
    re.IGNORECASE,
)
_LINK = re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)")
_CODE = re.compile(r"`[^`\n]*`")
_HEADING_ID = re.compile(r"\{#[^}\n]*\}\s*$")


@dataclass(frozen=True)
class Finding:
    line: int
    col: int
    message: str
    shown: str  # the text found, as the message quotes it


def hand_number(title: str) -> str | None:
    """The hand-typed number a heading title starts with, or None."""
    match = HAND_NUMBER.match(title)
    return match.group(0) if match and match.end() < len(title) else None


def _masked(line: str) -> str:
    """``line`` with links, code and heading ids blanked out (columns kept): text that is
    already a link, or code, is not pasted prose."""
    for pattern in (_LINK, _CODE, _HEADING_ID):
        line = pattern.sub(lambda m: " " * len(m.group(0)), line)
    return line


def _lines(text: str) -> Iterator[tuple[int, str]]:
    fenced = False
    for number, line in enumerate(text.split("\n"), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced:
            yield number, _masked(line)


def placeholders(text: str, extra: Pattern | None = None) -> list[Finding]:
    found = []
    for number, line in _lines(text):
        spans: list[tuple[int, str]] = []
        for match in BRACKETED.finditer(line):
            inner = match.group(1)
            if not inner.startswith(("#", ".")) and PLACEHOLDER_WORDS.search(inner):
                spans.append((match.start(), match.group(0)))
        spans += [(m.start(), m.group(0)) for m in ROUND_PLACEHOLDER.finditer(line)]
        if extra is not None:
            spans += [(m.start(), m.group(0)) for m in extra.finditer(line)]
        for start, shown in sorted(dict(spans).items()):
            found.append(
                Finding(
                    number,
                    start + 1,
                    _(
                        "unfilled placeholder '%(placeholder)s'; replace it with the school's "
                        "own wording before this is published"
                    )
                    % {"placeholder": shown},
                    shown,
                )
            )
    return found


# A numbered part of another document ("Part one of KCSIE", "Annex A of the guidance") is
# a citation, not a stale cross-reference: these words nearby mark one.
_EXTERNAL = re.compile(
    r"\b(?:KCSIE|keeping children safe|working together|act|regulations?|guidance|dfe|"
    r"ukcis|ofsted|gdpr|statutory|framework|handbook)\b",
    re.IGNORECASE,
)


def section_references(text: str) -> list[Finding]:
    found = []
    for number, line in _lines(text):
        if line.lstrip().startswith("#"):  # headings are checked for hand numbers
            continue
        for match in SECTION_REFERENCE.finditer(line):
            nearby = line[max(0, match.start() - 40) : match.end() + 30]
            if _EXTERNAL.search(nearby):
                continue
            found.append(
                Finding(
                    number,
                    match.start() + 1,
                    _(
                        "'%(reference)s' refers to a section by number, which goes stale when "
                        "sections move; link to the clause instead: [](#clause-id) shows its "
                        "current number"
                    )
                    % {"reference": match.group(0)},
                    match.group(0),
                )
            )
    return found


def check_pasted_text(
    path: Path,
    text: str,
    body_line: int,
    front: YamlDocument | None,
    diags: Diagnostics,
    school_pattern: str | None = None,
) -> None:
    """Warn about placeholders and numbered section references in a Markdown file ``text``:
    in its body (from ``body_line``) and in its front matter's text values (a summary can
    hold a placeholder too). ``school_pattern`` is the school's own placeholder form, from
    school.yml."""
    extra = compile_pattern(school_pattern) if school_pattern else None
    lines = text.split("\n")
    # A variable is filled in by the build ({{ school.name }}), or is an error of its own
    # (an unknown one), so it is not a placeholder: blanked out, columns kept.
    body = VARIABLE.sub(lambda m: " " * len(m.group(0)), "\n".join(lines[body_line - 1 :]))
    offset = body_line - 1
    for finding in [*placeholders(body, extra), *section_references(body)]:
        diags.warning(path, Position(finding.line + offset, finding.col), finding.message)
    for at, value in _front_strings(front):
        for finding in placeholders(value, extra):
            # Point at the placeholder itself when it stands on the value's first line.
            line = lines[at.line - 1] if at.line <= len(lines) else ""
            col = line.find(finding.shown, at.col - 1) + 1 or at.col
            diags.warning(path, Position(at.line, col), finding.message)


def _front_strings(front: YamlDocument | None) -> Iterator[tuple[Position, str]]:
    """Every text value of the front matter, with where it starts."""
    if front is None:
        return
    for key_path, at in front.values.items():
        value: Any = front.data
        for key in key_path:
            try:
                value = value[key]
            except (KeyError, IndexError, TypeError):
                value = None
                break
        if isinstance(value, str):
            yield at, value
