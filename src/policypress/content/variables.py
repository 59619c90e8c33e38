"""``check``'s word on each ``{{ … }}`` that has no value: what is wrong and what would do."""

from __future__ import annotations

from pathlib import Path

from policypress.core.diagnostics import Diagnostics, Position, Suggestion
from policypress.core.messages import N_
from policypress.core.messages import gettext as _
from policypress.model.variables import CONTACT_FIELDS, SCHOOL_FIELDS, Variables
from policypress.source.variables import ParsedVariable

_KNOWN = N_(
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
            message = variable_problem(variable.key, variables, snapshot=snapshot)
            diags.error(path, Position(variable.line + line_offset, variable.col), message)


def variable_problem(key: str, variables: Variables, *, snapshot: bool = False) -> str:
    """The sentence saying why ``{{ key }}`` has no value; in an approved version
    (``snapshot``) it says to fix the school's details, since the text cannot change."""
    shown = f"'{{{{ {key} }}}}'"
    parts = key.split(".")
    if parts[0] == "trust" and not variables.in_group:
        if snapshot:
            return _(
                "%(variable)s is only known in a group of schools (a project with trust.yml); "
                "this approved version uses it and cannot change, so this project must be "
                "part of a group"
            ) % {"variable": shown}
        return _(
            "%(variable)s is only known in a group of schools (a project with trust.yml); this "
            "project is a single school: use {{ school.name }} or write the name out"
        ) % {"variable": shown}
    if parts[0] == "contact" and len(parts) == 3:
        contact_id, name = parts[1], parts[2]
        contact = variables.contacts.get(contact_id)
        if contact is None:
            ids = sorted(variables.contacts)
            words = {"variable": shown, "contact": contact_id}
            hint = Suggestion(contact_id, tuple(ids))
            if snapshot:
                return hint.hinted(
                    _(
                        "%(variable)s: no contact '%(contact)s' in school.yml; this approved "
                        "version uses it, so add it to the school's details (the approved text "
                        "cannot change)"
                    )
                    % words
                )
            return hint.hinted(_("%(variable)s: no contact '%(contact)s' in school.yml") % words)
        if name in CONTACT_FIELDS:
            words = {"variable": shown, "contact": contact_id, "field": name}
            if snapshot:
                return (
                    _(
                        "%(variable)s: contact '%(contact)s' has no %(field)s in school.yml; this "
                        "approved version uses it, so add '%(field)s' to that contact (the "
                        "approved text cannot change)"
                    )
                    % words
                )
            return (
                _(
                    "%(variable)s: contact '%(contact)s' has no %(field)s in school.yml; add "
                    "'%(field)s' to that contact, or write the text out"
                )
                % words
            )
        words = {"variable": shown, "field": name}
        hint = Suggestion(name, tuple(CONTACT_FIELDS))
        if snapshot:
            return hint.hinted(
                _(
                    "%(variable)s: a contact has no '%(field)s'; this approved version uses it "
                    "and cannot change"
                )
                % words
            )
        return hint.hinted(_("%(variable)s: a contact has no '%(field)s'") % words)
    candidates = [f"school.{name}" for name in SCHOOL_FIELDS] + list(variables)
    words = {"variable": shown}
    hint = Suggestion(key, tuple(candidates), listed=_(_KNOWN))
    if snapshot:
        return hint.hinted(
            _(
                "unknown variable %(variable)s; this approved version uses it, so add it to the "
                "school's details (the approved text cannot change)"
            )
            % words
        )
    return hint.hinted(_("unknown variable %(variable)s") % words)
