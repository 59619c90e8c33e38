"""``to-confirm``: the value a school writes for a required fact it does not know yet."""

from __future__ import annotations

# What a school writes for a required fact it does not know yet (a summary, an owner, who
# approved a version): the preview shows it as UNCONFIRMED_TEXT, check lists it, approve refuses.
TO_CONFIRM = "to-confirm"
UNCONFIRMED_TEXT = "to be confirmed"


def shown(value: str | None) -> str | None:
    """``value`` as pages show it: ``to-confirm`` reads "to be confirmed"."""
    return UNCONFIRMED_TEXT if value == TO_CONFIRM else value
