"""``policypress review-pack SLUG``: the governors' review pack for a draft (written by
:func:`policypress.commands.reviewpack.build_review_pack`)."""

from __future__ import annotations

import argparse

from policypress.commands.context import CommandContext, add_project_options
from policypress.core.errors import EXIT_OK, PolicypressError
from policypress.core.messages import N_
from policypress.core.messages import gettext as _

NAME = "review-pack"
HELP = N_("write the governors' review pack for a draft")
DESCRIPTION = N_(
    "Write build/governors/<slug>-review-pack-….pdf comparing the draft with "
    "the last approved version."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_options(parser)
    parser.add_argument("slug")


def run(ctx: CommandContext) -> int:
    from policypress.commands.reviewpack import build_review_pack
    from policypress.outputs.pdf.errors import PdfRenderError

    project = ctx.checked_project()
    try:
        pack = build_review_pack(project, ctx.args.slug)
    except PdfRenderError as exc:  # the pack's own PDF: the content's fault, not a bug
        raise PolicypressError(str(exc)) from None
    for notice in pack.notices:
        ctx.warn(_("policypress: notice: %(notice)s") % {"notice": notice})
    changed = len(pack.comparison.changed_ids) if pack.comparison else "all"
    ctx.say(
        _("Wrote %(path)s: %(changed)s section(s) changed, %(count)s form(s) affected.")
        % {
            "path": project.relative(pack.path),
            "changed": changed,
            "count": len(pack.affected_forms),
        }
    )
    return EXIT_OK
