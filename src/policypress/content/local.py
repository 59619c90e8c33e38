"""Local sections: the parts of a trust's model policy each school writes for itself.

A model marks a clause ``## Local arrangements {#local-arrangements .local}``; a school writes
its text for it in ``schools/<id>/local/<slug>.md`` under ``## {#local-arrangements}`` (no
title: the model's heading, title and number are kept). :func:`compose` makes the school's
text: the model's text with the body of each local clause replaced by the school's.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from policypress.content.codeblocks import check_code_blocks
from policypress.content.policy import PolicyText, read_policy_text
from policypress.core.diagnostics import Diagnostics, Position
from policypress.core.markdown import plain_text
from policypress.core.messages import N_
from policypress.core.messages import gettext as _
from policypress.model import School
from policypress.model.variables import Variables
from policypress.source.frontmatter import split_front_matter
from policypress.source.markdown import code_blocks, parse_tokens
from policypress.source.tree import SourceTree

LOCAL_DIR = "local"
# What a school's preview shows in a local section the school has not written yet.
UNFILLED_TEXT = N_("*To be written by the school.*")


@dataclass(frozen=True)
class LocalSection:
    """A school's text for one local section, as written in its local file."""

    id: str
    text: str  # the school's Markdown, without the blank lines around it
    line: int  # the line of its ``## {#id}`` heading
    col: int  # the column of the id


@dataclass(frozen=True)
class LocalText:
    """``schools/<id>/local/<slug>.md``: the school's text for each local section."""

    path: Path
    sections: Mapping[str, LocalSection]
    text: str = ""  # the file as read (empty when there is none)

    def filled(self, section_id: str) -> bool:
        section = self.sections.get(section_id)
        return section is not None and bool(section.text.strip())


@dataclass(frozen=True)
class Composed:
    """A school's text of a model policy, and the local sections it has no text for."""

    text: str
    unfilled: tuple[str, ...]
    # The line of each local section's heading in the model's file, for messages about it.
    headings: Mapping[str, int] = field(default_factory=dict)


def read_local(
    path: Path, md: MarkdownIt, diags: Diagnostics, tree: SourceTree
) -> LocalText | None:
    """The school's local sections for one model policy (none when the file does not exist);
    None after reporting what is wrong with the file."""
    if not os.path.lexists(path):
        return LocalText(path, {})
    text = tree[path].as_text(diags)
    if text is None:
        return None
    errors_before = len(diags.errors)
    lines = text.split("\n")
    tokens = parse_tokens(md, text)
    check_code_blocks(path, code_blocks(tokens, lines), 0, diags)
    starts: list[tuple[str, int, int]] = []  # (id, heading line, first line after it), 1-based
    for index, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else 1
        if token.type == "image" or _has_image(token):
            diags.error(
                path,
                Position(line, 1),
                _(
                    "an image in a local section; expected text only (images belong in the "
                    "trust's model policy)"
                ),
            )
        if token.type != "heading_open":
            if not starts and token.map and token.level == 0 and token.type != "hr":
                diags.error(
                    path,
                    Position(line, 1),
                    _(
                        "text before the first local section; expected every paragraph under a "
                        "'## {#section-id}' heading"
                    ),
                )
            continue
        section_id = token.attrGet("id")
        title = plain_text(tokens[index + 1])
        col = lines[line - 1].find("{#") + 1 if 0 < line <= len(lines) else 1
        if token.tag != "h2" or section_id is None or title or token.meta.get("classes"):
            diags.error(
                path,
                Position(line, 1),
                _(
                    "heading in a local file; expected only '## {#section-id}' headings, "
                    "each naming a local section of the model (no title: it comes from the "
                    "model)"
                ),
            )
            continue
        starts.append((str(section_id), line, token.map[1] + 1 if token.map else line + 1))
    sections: dict[str, LocalSection] = {}
    for number, (section_id, line, first) in enumerate(starts):
        end = starts[number + 1][1] - 1 if number + 1 < len(starts) else len(lines)
        col = max(lines[line - 1].find("{#") + 3, 1)
        if section_id in sections:
            diags.error(
                path,
                Position(line, col),
                _(
                    "local section '%(section_id)s' is written twice (first at line "
                    "%(line)s); expected each section once"
                )
                % {"section_id": section_id, "line": sections[section_id].line},
            )
            continue
        body = "\n".join(lines[first - 1 : end]).strip("\n")
        sections[section_id] = LocalSection(section_id, body, line, col)
    return LocalText(path, sections, text) if len(diags.errors) == errors_before else None


def _has_image(token: Token) -> bool:
    return any(child.type == "image" for child in token.children or [])


@dataclass(frozen=True)
class LocalRange:
    """Where a local clause is in a model's body (0-based lines, ``end`` exclusive)."""

    id: str
    heading: int  # its heading's line
    start: int  # the first line after the heading
    end: int  # the next heading's line, or the end of the body


def local_ranges(md: MarkdownIt, body: str) -> list[LocalRange]:
    """Each local clause of a model body, in order: its body runs from after its heading to
    the next heading."""
    tokens = parse_tokens(md, body)
    headings = [t for t in tokens if t.type == "heading_open" and t.map]
    total = len(body.split("\n"))
    ranges: list[LocalRange] = []
    for index, heading in enumerate(headings):
        assert heading.map is not None
        if "local" not in heading.meta.get("classes", ()):
            continue
        following = headings[index + 1].map if index + 1 < len(headings) else None
        end = following[0] if following else total
        ranges.append(LocalRange(str(heading.attrGet("id")), heading.map[0], heading.map[1], end))
    return ranges


def compose(md: MarkdownIt, model_text: str, local: Mapping[str, str]) -> Composed:
    """The school's text of a model: the model text (front matter included) with the body of
    each local clause replaced by ``local[id]``; one the school has not written reads
    UNFILLED_TEXT and is listed in ``unfilled``."""
    split = split_front_matter(model_text)
    if split is None:  # a model text always has front matter (check has read it)
        return Composed(model_text, ())
    _front, body, body_line = split
    lines = model_text.split("\n")
    offset = body_line - 1
    unfilled: list[str] = []
    ranges = local_ranges(md, body)
    headings = {found.id: found.heading + 1 + offset for found in ranges}
    # From the last section up, so the line numbers of the ones above stay right.
    for found in reversed(ranges):
        text = local.get(found.id, "").strip("\n")
        if not text.strip():
            unfilled.append(found.id)
            text = _(UNFILLED_TEXT)
        lines[offset + found.start : offset + found.end] = ["", *text.split("\n"), ""]
    return Composed("\n".join(lines), tuple(reversed(unfilled)), headings)


def read_composed_text(
    md: MarkdownIt,
    model: PolicyText,
    local: LocalText,
    school: School,
    variables: Variables,
    diags: Diagnostics,
    tree: SourceTree,
) -> tuple[Composed, PolicyText | None]:
    """The school's text of an approved ``model`` version: composed with its ``local``
    sections, then read and checked as an approved snapshot is, at the model's place (its
    messages name the model's file). The one reading of a composed text: what a school's
    check shows and what ``adopt`` records are the same text, hashed the same way."""
    composed = compose(md, model.text, {key: s.text for key, s in local.sections.items()})
    text = read_policy_text(
        model.policy.source,
        model.policy.slug,
        md,
        school,
        diags,
        tree,
        snapshot=True,
        text=composed.text,
        variables=variables,
    )
    return composed, text
