"""``policypress export-docx SLUG``: a policy as a Word file to edit and import again with
``import FILE --update SLUG`` (the work is :mod:`policypress.importer.wordcli`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from policypress.commands.context import CommandContext
from policypress.core.messages import N_
from policypress.core.messages import gettext as _

NAME = "export-docx"
HELP = N_("write a policy as a Word file to edit and import again")
DESCRIPTION = N_(
    "Write the approved text of a policy (or with --draft its working text) "
    "as a .docx: Word heading styles numbered by Word, each clause id a bookmark on its "
    "heading. Edit it in Word, then 'policypress import FILE --update SLUG'."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # Its --out is a file, not the build folder, so it takes only the project options.
    parser.add_argument("--project", type=Path, default=Path.cwd(), help=_("project folder"))
    parser.add_argument("--content", type=Path, help=_("content folder (default: PROJECT/content)"))
    parser.add_argument("slug")
    parser.add_argument("--draft", action="store_true", help=_("export the working text"))
    parser.add_argument(
        "--language",
        metavar="CODE",
        help=_("export the policy's translation in this language (policy.CODE.md), such as cy"),
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help=_("the .docx to write (default: build/word/<slug>-v<version>.docx)"),
    )


def run(ctx: CommandContext) -> int:
    from policypress.importer.wordcli import run_word

    return run_word(ctx.args, ctx.say, ctx.warn)
