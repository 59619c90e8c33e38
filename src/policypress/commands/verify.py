"""``policypress verify``: is a downloaded file, or a whole copy of the site, exactly what was
published? (The checks are :mod:`policypress.commands.verification`.)"""

from __future__ import annotations

import argparse
from pathlib import Path

from policypress.commands.context import CommandContext, add_project_options
from policypress.core.errors import EXIT_CONTENT, EXIT_OK, UsageError
from policypress.core.messages import N_
from policypress.core.messages import gettext as _

NAME = "verify"
HELP = N_("check a downloaded PDF or page against the approved versions")
DESCRIPTION = N_("Tell whether a file is exactly a published approved version.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_options(parser)
    parser.add_argument(
        "file",
        type=Path,
        nargs="?",
        help=_(
            "a downloaded file; with --against, a build folder or a copy of the site "
            "(default: the output folder)"
        ),
    )
    parser.add_argument(
        "--against",
        type=Path,
        metavar="MANIFEST",
        help=_("compare a whole build or copy of the site with this published manifest.json"),
    )


def run(ctx: CommandContext) -> int:
    project = ctx.checked_project()
    if ctx.args.against is not None:
        return _verify_against(ctx, ctx.args.against, ctx.args.file or project.out)
    if ctx.args.file is None:
        raise UsageError(_("verify needs a FILE (or --against MANIFEST)"))
    return _verify(ctx, ctx.args.file, project.out / "manifest.json")


def _verify(ctx: CommandContext, file: Path, manifest: Path) -> int:
    from policypress.commands.verification import verify

    if not file.is_file():
        raise UsageError(_("file not found: %(file)s") % {"file": file})
    if not manifest.is_file():
        raise UsageError(
            _("%(manifest)s not found; run 'policypress build' first") % {"manifest": manifest}
        )
    verdict = verify(file, manifest)
    if verdict.matches:
        ctx.say(verdict.message)
        return EXIT_OK
    ctx.warn(verdict.message)
    return EXIT_CONTENT


def _verify_against(ctx: CommandContext, manifest: Path, folder: Path) -> int:
    from policypress.commands.verification import verify_against
    from policypress.governance.rollback import UnreadableManifest

    if not manifest.is_file():
        raise UsageError(_("manifest not found: %(manifest)s") % {"manifest": manifest})
    if not folder.is_dir():
        raise UsageError(_("folder not found: %(folder)s") % {"folder": folder})
    try:
        problems = verify_against(manifest, folder)
    except (UnreadableManifest, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UsageError(
            _("%(manifest)s: not a policypress manifest (%(exc)s)")
            % {"manifest": manifest, "exc": exc}
        ) from None
    for problem in problems:
        ctx.warn(problem)
    if problems:
        ctx.warn(
            _("%(count)s difference(s) from %(manifest)s")
            % {"count": len(problems), "manifest": manifest}
        )
        return EXIT_CONTENT
    ctx.say(_("%(folder)s: identical to %(manifest)s") % {"folder": folder, "manifest": manifest})
    return EXIT_OK
