"""Every command of the command line, in the order ``policypress --help`` lists them.

Each is a module of one shape, :class:`Command`; ``policypress.cli`` builds the parser from
this tuple and dispatches to ``run``. A new command is a new module added here."""

from __future__ import annotations

import argparse
from typing import Protocol

from policypress.commands import (
    adopt,
    approve,
    build,
    check,
    doctor,
    export_docx,
    import_,
    init,
    quiz,
    register,
    review_pack,
    serve,
    verify,
)
from policypress.commands.context import CommandContext


class Command(Protocol):
    """A command module: its name and help as ``--help`` shows them, its options, its work."""

    NAME: str
    HELP: str
    DESCRIPTION: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, ctx: CommandContext) -> int: ...


COMMANDS: tuple[Command, ...] = (
    init,
    check,
    build,
    approve,
    adopt,
    verify,
    review_pack,
    quiz,
    doctor,
    import_,
    serve,
    export_docx,
    register,
)
