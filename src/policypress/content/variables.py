"""``check``'s word on each ``{{ … }}`` that has no value: what is wrong and what would do."""

from __future__ import annotations

from pathlib import Path

from policypress.core.diagnostics import Diagnostics, did_you_mean
from policypress.model.variables import CONTACT_FIELDS, SCHOOL_FIELDS, Variables
from policypress.source.variables import ParsedVariable

_KNOWN = (
    "school.name, school.website, school.address, contact.<id>.role, contact.<id>.name, "
    "contact.<id>.email, contact.<id>.phone, trust.name (in a group of schools)"
)


def check_variables(
    path: Path,
    found: list[ParsedVariable],
    variables: Variables,
    diags: Diagnostics,
    line_offset: int = 0,
    *,
    snapshot: bool = False,
) -> None:
    """An error at the ``{{`` of each variable without a value. In an approved snapshot the
    text cannot change, so the message says to fix the school's details instead."""
    for variable in found:
        if not variable.known:
            message = variable_problem(variable.key, variables)
            if snapshot:
                message += (
                    "; this approved version uses it, so add it to the school's details "
                    "(the approved text cannot change)"
                )
            diags.error(path, variable.line + line_offset, variable.col, message)


def variable_problem(key: str, variables: Variables) -> str:
    shown = f"'{{{{ {key} }}}}'"
    parts = key.split(".")
    if parts[0] == "trust" and not variables.in_group:
        return (
            f"{shown} is only known in a group of schools (a project with trust.yml); this "
            "project is a single school: use {{ school.name }} or write the name out"
        )
    if parts[0] == "contact" and len(parts) == 3:
        _, contact_id, name = parts
        contact = variables.contacts.get(contact_id)
        if contact is None:
            ids = sorted(variables.contacts)
            hint = did_you_mean(contact_id, ids) or f"; expected one of: {', '.join(ids)}"
            return f"{shown}: no contact '{contact_id}' in school.yml{hint}"
        if name in CONTACT_FIELDS:
            return (
                f"{shown}: contact '{contact_id}' has no {name} in school.yml; add "
                f"'{name}' to that contact, or write the text out"
            )
        hint = (
            did_you_mean(name, CONTACT_FIELDS) or f"; expected one of: {', '.join(CONTACT_FIELDS)}"
        )
        return f"{shown}: a contact has no '{name}'{hint}"
    candidates = [f"school.{name}" for name in SCHOOL_FIELDS] + list(variables)
    hint = did_you_mean(key, candidates) or f"; expected one of: {_KNOWN}"
    return f"unknown variable {shown}{hint}"
