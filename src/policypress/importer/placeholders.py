"""Template placeholders and the school's own name, reported as suggested variables.

The text is left exactly as it is (policypress has no variables in policy text yet, and a
placeholder must be filled by a person); each one is listed with where it is, and `check`
keeps warning about unfilled ones."""

from __future__ import annotations

import re
from collections.abc import Iterator

from policypress.content.pasted import placeholders
from policypress.importer.blocks import row_where
from policypress.importer.headings import Section, slugify
from policypress.importer.report import Report

_EXTRA = re.compile(r"\bX{3,}\b|<<[^<>\n]{1,80}>>|«[^«»\n]{1,80}»")
_VARIABLES = (
    (r"school|academy", "school-name"),
    (r"\bdsl\b|safeguarding lead", "dsl-name"),
    (r"head ?teacher|principal", "headteacher-name"),
    (r"e-?mail", "email"),
    (r"phone|telephone", "phone"),
    (r"date", "date"),
    (r"^\W*x+\W*$", "unknown"),
)


def suggested_variable(placeholder: str) -> str:
    inner = placeholder.strip("[]{}()<>«» ")
    for pattern, name in _VARIABLES:
        if re.search(pattern, inner, re.IGNORECASE):
            return name
    return slugify(inner)


def _texts(sections: list[Section]) -> Iterator[tuple[str, str]]:
    for section in sections:
        yield section.where, section.title
        for block in section.blocks:
            if block.kind == "para":
                yield block.where, block.plain
            elif block.kind == "list":
                yield from ((item.where, item.plain) for item in block.items)
            elif block.kind == "table":
                for number, row in enumerate(block.rows, start=1):
                    for cell in row:
                        yield row_where(block, number), cell.plain


def find_placeholders(sections: list[Section], school_name: str, report: Report) -> list[str]:
    """Report every placeholder (and the school's name); returns them in order, each once
    per place."""
    found: list[str] = []
    for where, text in _texts(sections):
        hits = [f.message.split("'")[1] for f in placeholders(text)]
        hits += [m.group(0) for m in _EXTRA.finditer(text)]
        for hit in hits:
            found.append(hit)
            report.add(
                where,
                "placeholder",
                f"'{hit}' left as it is; suggested variable: {suggested_variable(hit)}",
            )
        if school_name and school_name in text:
            found.append(school_name)
            report.add(
                where,
                "placeholder",
                f"the school's name '{school_name}'; suggested variable: school-name",
            )
    return found
