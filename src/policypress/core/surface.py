"""Where a person meets policypress's messages: at the command line or in the studio.

Most messages read the same in both. A few end by saying what to do next, and that is an
option to type at the command line (``--quiz staff-teaching``) but a field to fill in the
studio, where options mean nothing. The studio's pages say where they are with
:func:`in_the_studio`; a message picks its ending with :func:`what_to_do`, so that the rule
the message reports is written once, in the module that checks it.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

Surface = Literal["command line", "studio"]

_surface: contextvars.ContextVar[Surface] = contextvars.ContextVar(
    "policypress_surface", default="command line"
)


@contextmanager
def in_the_studio() -> Iterator[None]:
    """Messages made inside say what to do in the studio's terms."""
    token = _surface.set("studio")
    try:
        yield
    finally:
        _surface.reset(token)


def what_to_do(at_the_command_line: str, in_studio: str) -> str:
    """The ending that fits where the person is."""
    return in_studio if _surface.get() == "studio" else at_the_command_line
