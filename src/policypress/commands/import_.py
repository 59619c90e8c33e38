"""``policypress import FILE``: an existing policy document as a working draft; with
``--update SLUG``, a Word file made by ``export-docx`` as a policy's new working text. (The
work is :mod:`policypress.importer`; a school's first policy may be imported before content/
exists.)"""

from __future__ import annotations

import argparse
from pathlib import Path

from policypress.commands.context import CommandContext, add_project_options
from policypress.core.messages import N_
from policypress.core.messages import gettext as _

NAME = "import"
HELP = N_("bring an existing policy document in as a working draft")
DESCRIPTION = N_(
    "Read a .docx, .odt, .html, .md or .txt policy and write a working draft "
    "into content/policies/<slug>/ with an import report (IMPORT-REPORT.md)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_options(parser)
    parser.add_argument("file", type=Path, help=_("the document to import"))
    parser.add_argument(
        "--slug", help=_("the new policy's folder name (default: made from its title)")
    )
    parser.add_argument(
        "--force", action="store_true", help=_("replace content/policies/<slug>/ if it exists")
    )
    parser.add_argument(
        "--update",
        metavar="SLUG",
        help=_(
            "read FILE (a .docx made by export-docx, edited in Word) as the new working text "
            "of policy SLUG, keeping every clause id, and say which clauses changed"
        ),
    )
    changes = parser.add_mutually_exclusive_group()
    changes.add_argument(
        "--accept-changes", action="store_true", help=_("with --update: accept tracked changes")
    )
    changes.add_argument(
        "--reject-changes", action="store_true", help=_("with --update: reject tracked changes")
    )
    lost = parser.add_mutually_exclusive_group()
    lost.add_argument(
        "--restore-variables",
        action="store_true",
        help=_(
            "with --update: where an edit in Word wrote out a {{ … }} variable's value, put "
            "the variable back"
        ),
    )
    lost.add_argument(
        "--keep-values",
        action="store_true",
        help=_(
            "with --update: where an edit in Word wrote out a {{ … }} variable's value, keep "
            "the words as typed"
        ),
    )
    parser.add_argument(
        "--translation-of",
        metavar="SLUG",
        help=_(
            "read FILE as a translation of policy SLUG's newest approved version, placing its "
            "sections by order and structure, and write policies/SLUG/policy.LANGUAGE.md"
        ),
    )
    parser.add_argument(
        "--language", metavar="CODE", help=_("with --translation-of: its language, such as cy")
    )
    parser.add_argument(
        "--translated-by",
        metavar="NAME",
        help=_("with --translation-of: who translated it (a name or an organisation)"),
    )
    parser.add_argument(
        "--summary",
        action="store_true",
        help=_(
            "with --translation-of: the document gives only some sections; write those "
            "placed (scope: summary)"
        ),
    )
    parser.add_argument(
        "--replace-draft",
        action="store_true",
        help=_(
            "with --update: import a file exported from an approved version even though the "
            "working text has changed since (those changes are replaced)"
        ),
    )


def run(ctx: CommandContext) -> int:
    args = ctx.args
    if not args.translation_of and (args.language or args.translated_by or args.summary):
        ctx.warn(
            _(
                "policypress: --language, --translated-by and --summary go with "
                "--translation-of SLUG (the policy the document translates)"
            )
        )
        return 2
    if ctx.args.translation_of:
        from policypress.importer.translationcli import run_translation

        return run_translation(ctx.args, ctx.say, ctx.warn)
    if ctx.args.update:
        from policypress.importer.wordcli import run_word

        return run_word(ctx.args, ctx.say, ctx.warn)
    from policypress.importer.command import run_import  # pandoc only when importing

    args, project = ctx.args, ctx.project
    if project is None:
        raise RuntimeError("import takes --project")  # a bug in its parser
    return run_import(project.content, args.file, args.slug, args.force, ctx.out, ctx.err)
