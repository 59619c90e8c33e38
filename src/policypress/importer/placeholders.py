"""Template placeholders and the school's own name, reported with the variable to use.

The text is left exactly as it is (a person decides whether a placeholder is the school's
name or words of its own); each one is listed with where it is and the variable that would
fill it (``{{ school.name }}``, ``{{ contact.dsl.email }}``: see "Variables" in the README),
and `check` keeps warning about unfilled ones."""

from __future__ import annotations

import re
from collections.abc import Iterator

from policypress.content.pasted import placeholders
from policypress.core.messages import gettext as _
from policypress.core.schoolnames import FoundName, SchoolNameRule
from policypress.importer.blocks import row_where
from policypress.importer.headings import Section
from policypress.importer.report import Report

_EXTRA = re.compile(r"\bX{3,}\b|<<[^<>\n]{1,80}>>|«[^«»\n]{1,80}»")
# Which contact a placeholder names (ids as school.yml usually has them), then which of its
# details; a placeholder naming no contact but a detail is the contact left for the reader.
_CONTACTS = ((r"\bdsl\b|safeguarding", "dsl"), (r"head ?teacher|principal", "headteacher"))
_DETAILS = ((r"e-?mail", "email"), (r"phone|telephone", "phone"), (r"role", "role"))
_SCHOOL = (
    (r"address", "{{ school.address }}"),
    (r"website|web site|\burl\b", "{{ school.website }}"),
    (r"\btrust\b", "{{ trust.name }} (in a group of schools)"),
    (r"school|academy", "{{ school.name }}"),
)
NO_VARIABLE = "none, write the school's own text"


def suggested_variable(placeholder: str) -> str:
    """The variable that would fill ``placeholder``, as written in a policy."""
    inner = placeholder.strip("[]{}()<>«» ")

    def found(pattern: str) -> bool:
        return re.search(pattern, inner, re.IGNORECASE) is not None

    detail = next((name for pattern, name in _DETAILS if found(pattern)), None)
    contact = next((name for pattern, name in _CONTACTS if found(pattern)), None)
    if contact is not None:
        return f"{{{{ contact.{contact}.{detail or 'name'} }}}}"
    if detail is not None:
        return f"{{{{ contact.<id>.{detail} }}}}"
    return next((shown for pattern, shown in _SCHOOL if found(pattern)), NO_VARIABLE)


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


def find_placeholders(
    sections: list[Section], school_name: str, report: Report, title: tuple[str, str] = ("", "")
) -> list[str]:
    """Report every placeholder, and every school's name (this school's or another's, see
    core/schoolnames.py); returns the placeholders in order, each once per place (names are
    not placeholders a person fills in, so they are only reported)."""
    found: list[str] = []
    rule = SchoolNameRule(school_name)
    where, text = title  # the title read from the cover: "Hillcrest Junior School E-Safety"
    for name in rule.classify(text):
        report.add(where, "placeholder", _named(name, school_name))
    for where, text in _texts(sections):
        hits = [f.shown for f in placeholders(text)]
        hits += [m.group(0) for m in _EXTRA.finditer(text)]
        for hit in hits:
            found.append(hit)
            report.add(
                where,
                "placeholder",
                _("'%(hit)s' left as it is; suggested variable: %(variable)s")
                % {"hit": hit, "variable": suggested_variable(hit)},
            )
        names = rule.classify(text)
        if school_name and school_name in text and not any(n.own for n in names):
            report.add(where, "placeholder", _own_school(school_name))  # as school.yml has it
        for name in names:
            report.add(where, "placeholder", _named(name, school_name))
    return found


def _named(name: FoundName, school_name: str) -> str:
    return _own_school(name.text) if name.own else _other_school(name.text, school_name)


def _own_school(name: str) -> str:
    return _("the school's name '%(name)s'; suggested variable: {{ school.name }}") % {"name": name}


def _other_school(name: str, school_name: str) -> str:
    """What to say about a school's name that is not (or may not be) this school's: most often
    the school that first wrote the template."""
    if school_name:
        return _(
            "another school's name '%(name)s' (not %(school)s); suggested variable: "
            "{{ school.name }} if it means this school, otherwise leave it"
        ) % {"name": name, "school": school_name}
    return _(
        "a school's name '%(name)s' (this school's, or the one that wrote the template?); "
        "suggested variable: {{ school.name }} if it means this school, otherwise leave it"
    ) % {"name": name}
