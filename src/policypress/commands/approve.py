"""``policypress approve SLUG``: record governors' approval of a policy's draft (the record is
:func:`policypress.commands.approval.approve`)."""

from __future__ import annotations

import argparse
import shlex

from policypress.commands.context import CommandContext, add_project_options, iso_date
from policypress.core.errors import EXIT_CONTENT, EXIT_OK
from policypress.core.messages import N_
from policypress.core.messages import gettext as _

NAME = "approve"
HELP = N_("record governors' approval of a policy's draft")
DESCRIPTION = N_(
    "Freeze the working text of a policy as its next version: writes "
    "versions/<v>.md and appends the approval to history.yml."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_options(parser)
    parser.add_argument("slug", help=_("the policy's folder name, e.g. online-safety"))
    parser.add_argument(
        "--by",
        required=True,
        metavar="BODY",
        help=_("approving body or role, e.g. 'Full Governing Board'"),
    )
    parser.add_argument(
        "--meeting",
        required=True,
        type=iso_date,
        metavar="YYYY-MM-DD",
        help=_("date of the approving meeting"),
    )
    parser.add_argument(
        "--minute",
        metavar="REF",
        help=_(
            "minute reference, e.g. 'FGB 2026/11 item 6' (leave out when the meeting kept none)"
        ),
    )
    kind = parser.add_mutually_exclusive_group(required=True)
    kind.add_argument(
        "--major",
        dest="kind",
        action="store_const",
        const="major",
        help=_(
            "a significant change: 3.1 → 4.0",
        ),
    )
    kind.add_argument(
        "--minor",
        dest="kind",
        action="store_const",
        const="minor",
        help=_(
            "a small change: 3.1 → 3.2",
        ),
    )
    parser.add_argument("--note", required=True, help=_("public change note"))
    parser.add_argument(
        "--date",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help=_("date the version takes effect (default: the meeting date)"),
    )


def run(ctx: CommandContext) -> int:
    from policypress.build import check_everything
    from policypress.commands.approval import ApprovalRequest, approve_working_text

    args, project = ctx.args, ctx.checked_project()
    request = ApprovalRequest(
        args.slug, args.by, args.meeting, args.minute, args.kind, args.note, args.date
    )
    record = approve_working_text(project, request, ctx.warn)
    after = check_everything(project)
    if after.errors:  # should not happen: we wrote what check expects
        ctx.report(after)
        return EXIT_CONTENT
    message = f"Approve {args.slug} {record.number}: {request.note.strip()}"
    approved = (
        _(
            "Approved %(slug)s version %(number)s (sha256 %(sha256)s), in force from %(date)s "
            "(the meeting date; give --date if it took effect later); next review "
            "%(next_review)s."
        )
        if args.date is None
        else _(
            "Approved %(slug)s version %(number)s (sha256 %(sha256)s), in force from %(date)s; "
            "next review %(next_review)s."
        )
    ) % {
        "slug": args.slug,
        "number": record.number,
        "sha256": record.sha256[:12],
        "date": record.date,
        "next_review": record.next_review,
    }
    wrote = _("Wrote %(snapshot)s and %(history)s.") % {
        "snapshot": project.relative(record.snapshot),
        "history": project.relative(record.history),
    }
    commit = _("Commit them: git add %(folder)s && git commit -m %(message)s") % {
        "folder": project.relative(record.snapshot.parent.parent),
        "message": shlex.quote(message),
    }
    # the numbering note (after legacy versions) is a line of its own when there is one
    ctx.say("\n".join(line for line in (approved, record.numbering, wrote, commit) if line))
    return EXIT_OK
