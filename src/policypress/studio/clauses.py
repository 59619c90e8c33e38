"""A policy.md as the clause editor sees it: the front matter, then each clause's text exactly
as the file holds it, so that a change to one clause rewrites that clause and no other byte.

Where the headings are is the dialect's parser's answer (a ``##`` inside a fenced block is no
heading), never a regular expression over the file."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from policypress.content.policy import implicit_id
from policypress.core.markdown import create_parser, plain_text
from policypress.source.frontmatter import split_front_matter
from policypress.source.markdown import parse_tokens

SECTION_TAGS = {"h2": 1, "h3": 2, "h4": 3}  # as the reader numbers them: 1 = a section
DEEPEST = 3
# An ATX heading as written: its hashes, its title, and the braces after it ({#id .local}).
_ATX = re.compile(r"^ {0,3}(#{2,4})[ \t]+(.*?)[ \t]*(\{#[^{}]*\})?[ \t]*#*[ \t]*$")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class ClauseText:
    """One clause as written: its heading's parts and its own text (not its sub-clauses')."""

    level: int  # 1 = section (##), 2 = subsection (###), 3 = sub-subsection (####)
    title: str  # the heading's text as written (Markdown, variables as {{ … }})
    braces: str  # "{#id}" or "{#id .local}" as written; "" when the heading has none
    clause_id: str  # as written, or the one the reader makes from the title
    text: str  # the text under the heading, blank lines at either end left out
    chunk: str  # the heading and text exactly as the file holds them
    line: int  # the heading's line in the file (from 1)


@dataclass(frozen=True)
class PolicyFile:
    """policy.md cut into the part before the first clause and the clauses."""

    prefix: str  # front matter (and anything before the first heading)
    clauses: tuple[ClauseText, ...]

    def text(self) -> str:
        return assemble(self.prefix, [clause.chunk for clause in self.clauses])

    def end_of_block(self, index: int) -> int:
        """The index after the clause's last sub-clause (where its block ends)."""
        level = self.clauses[index].level
        end = index + 1
        while end < len(self.clauses) and self.clauses[end].level > level:
            end += 1
        return end

    def previous_sibling(self, index: int) -> int | None:
        level = self.clauses[index].level
        for before in range(index - 1, -1, -1):
            if self.clauses[before].level < level:
                return None
            if self.clauses[before].level == level:
                return before
        return None

    def next_sibling(self, index: int) -> int | None:
        end = self.end_of_block(index)
        if end < len(self.clauses) and self.clauses[end].level == self.clauses[index].level:
            return end
        return None


def read_clauses(text: str) -> PolicyFile:
    """``text`` (a whole policy.md) cut at each section heading (``##`` to ``####``)."""
    split = split_front_matter(text)
    body_line = split[2] if split is not None else 1
    body = split[1] if split is not None else text
    # (first line from 0 in the file, its lines, level, id) of each heading
    starts: list[tuple[int, int, int, str]] = []
    tokens = parse_tokens(create_parser(), body)  # parsed once a process, as check does
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in SECTION_TAGS and token.map:
            first = token.map[0] + body_line - 1
            written = token.attrGet("id")
            # a heading written without an id has the one the reader makes (and warns of)
            clause_id = str(written) if written else implicit_id(plain_text(tokens[index + 1]))
            size = token.map[1] - token.map[0]
            starts.append((first, size, SECTION_TAGS[token.tag], clause_id))
    lines = text.splitlines(keepends=True)
    if not starts:
        return PolicyFile(text, ())
    prefix = "".join(lines[: starts[0][0]])
    clauses = []
    for number, (first, size, level, clause_id) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(lines)
        heading = "".join(lines[first : first + size]).strip()
        title, braces = _heading_parts(heading)
        clauses.append(
            ClauseText(
                level=level,
                title=title,
                braces=braces,
                clause_id=clause_id,
                text="".join(lines[first + size : end]).strip("\n").rstrip(),
                chunk="".join(lines[first:end]),
                line=first + 1,
            )
        )
    return PolicyFile(prefix, tuple(clauses))


def _heading_parts(heading: str) -> tuple[str, str]:
    """(title, braces) of a heading as written: ATX, or a setext one (title, then a line)."""
    found = _ATX.match(heading)
    if found is not None:
        return found.group(2), found.group(3) or ""
    first = heading.splitlines()[0] if heading else ""
    braces = re.search(r"\{#[^{}]*\}\s*$", first)
    if braces is None:
        return first.strip(), ""
    return first[: braces.start()].strip(), braces.group(0).strip()


def clause_chunk(level: int, title: str, braces: str, text: str) -> str:
    """A clause written anew: its heading, a blank line and its text (:func:`assemble` puts
    a blank line after it where another clause follows)."""
    heading = f"{'#' * (level + 1)} {' '.join(title.split())}"
    if braces:
        heading += f" {braces}"
    text = normalised(text)
    return f"{heading}\n\n{text}\n" if text else f"{heading}\n"


def normalised(text: str) -> str:
    """Text as a form sent it, as the file writes it: '\\n' lines, no blank lines or trailing
    spaces at either end (spaces ending a line inside it are a line break: kept)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").rstrip()


def assemble(prefix: str, chunks: Sequence[str]) -> str:
    """The file from its parts: a blank line after each clause another follows (a clause
    read from the file already has one), and the last as it is, ending with a newline."""
    parts = [prefix]
    for number, chunk in enumerate(chunks):
        if number + 1 < len(chunks) and not chunk.endswith("\n\n"):
            chunk = chunk.rstrip("\n") + "\n\n"
        elif not chunk.endswith("\n"):
            chunk += "\n"
        parts.append(chunk)
    return "".join(parts)


def with_text(file: PolicyFile, index: int, title: str, text: str) -> PolicyFile:
    """The clause at ``index`` with a new heading and text; its id (and class) kept."""
    clause = file.clauses[index]
    if clause.title == " ".join(title.split()) and clause.text == normalised(text):
        return file  # saved as it was: not a byte changes
    # a heading written without an id keeps the one it had, whatever its new title
    braces = clause.braces or f"{{#{clause.clause_id}}}"
    chunk = clause_chunk(clause.level, title, braces, text)
    return _replaced(file, index, index + 1, [replace(clause, chunk=chunk)])


def added(
    file: PolicyFile, after: int | None, inside: bool, title: str, text: str, clause_id: str
) -> tuple[PolicyFile, int]:
    """A new clause after the clause at ``after`` (and its sub-clauses) at its level, or
    with ``inside`` as its first sub-clause; ``after`` None: the first clause of all."""
    if after is None:
        level, at = 1, 0
    elif inside:
        level, at = file.clauses[after].level + 1, after + 1
    else:
        level, at = file.clauses[after].level, file.end_of_block(after)
    chunk = clause_chunk(level, title, f"{{#{clause_id}}}", text)
    new = ClauseText(level, title, f"{{#{clause_id}}}", clause_id, normalised(text), chunk, 0)
    return _replaced(file, at, at, [new]), at


def moved(file: PolicyFile, index: int, up: bool) -> tuple[PolicyFile, int] | None:
    """The clause and its sub-clauses swapped with the sibling before (or after) it; None
    where there is none."""
    other = file.previous_sibling(index) if up else file.next_sibling(index)
    if other is None:
        return None
    first, second = (other, index) if up else (index, other)
    middle, end = file.end_of_block(first), file.end_of_block(second)
    block = [*file.clauses[middle:end], *file.clauses[first:middle]]
    return _replaced(file, first, end, block), first if up else first + (end - middle)


def deleted(file: PolicyFile, index: int) -> PolicyFile:
    """The clause gone, with its sub-clauses."""
    return _replaced(file, index, file.end_of_block(index), [])


def paragraphs(text: str) -> list[str]:
    """The clause's text cut at each blank line: what a split can be made after."""
    return [part for part in _BLANK_LINES.split(normalised(text)) if part.strip()]


def split(
    file: PolicyFile, index: int, after_paragraph: int, title: str, clause_id: str
) -> PolicyFile:
    """The text after paragraph ``after_paragraph`` (from 1) moved into a new clause at the
    same level, straight after this clause's own text."""
    clause = file.clauses[index]
    parts = paragraphs(clause.text)
    kept = "\n\n".join(parts[:after_paragraph])
    rest = "\n\n".join(parts[after_paragraph:])
    first = replace(clause, chunk=clause_chunk(clause.level, clause.title, clause.braces, kept))
    braces = f"{{#{clause_id}}}"
    second = ClauseText(
        clause.level,
        title,
        braces,
        clause_id,
        rest,
        clause_chunk(clause.level, title, braces, rest),
        0,
    )
    return _replaced(file, index, index + 1, [first, second])


def _replaced(file: PolicyFile, start: int, end: int, clauses: Sequence[ClauseText]) -> PolicyFile:
    return PolicyFile(file.prefix, (*file.clauses[:start], *clauses, *file.clauses[end:]))
