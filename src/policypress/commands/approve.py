"""``policypress approve SLUG``: record governors' approval of a policy's draft (the record is
:func:`policypress.commands.approval.approve`)."""

from __future__ import annotations

import argparse
import shlex

from policypress.commands.context import CommandContext, add_project_options, iso_date
from policypress.core.errors import EXIT_CONTENT, EXIT_OK, PolicypressError
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
    from policypress.build import check, check_everything
    from policypress.commands.approval import (
        ApprovalRequest,
        approve,
        leftover_snapshot,
        request_problems,
    )
    from policypress.commands.recording import ApprovalRefused
    from policypress.core.dates import build_date
    from policypress.core.diagnostics import Diagnostics, did_you_mean

    args, project = ctx.args, ctx.checked_project()
    request = ApprovalRequest(
        args.slug, args.by, args.meeting, args.minute, args.kind, args.note, args.date
    )
    # The values go into the hash chain for good: all of them are checked before anything.
    if problems := request_problems(request, build_date()):
        raise ApprovalRefused(*problems)
    # The snapshot an interrupted approval of this very text left behind (written, but not
    # its history entry) holds nothing the working text does not: it is removed, and this
    # approval writes it again with its entry.
    leftover = leftover_snapshot(project, args.slug, args.kind)
    if leftover is not None:
        ctx.warn(
            _(
                "policypress: notice: replacing %(leftover)s, left without its history "
                "entry by an interrupted approval of this same text"
            )
            % {"leftover": project.relative(leftover)}
        )
        leftover.unlink()
    # The working texts must be sound; the public build may still miss a policy that this
    # approval is about to publish for the first time.
    preview, diags = check(project, "preview")
    if diags.errors:
        ctx.report(diags)
        ctx.warn(_("policypress: cannot approve while check reports errors"))
        return EXIT_CONTENT
    policy = preview.policy(args.slug) if preview else None
    if policy is None:
        slugs = [p.slug for p in preview.policies] if preview else []
        raise PolicypressError(
            _("no policy '%(slug)s'%(did_you_mean)s")
            % {"slug": args.slug, "did_you_mean": did_you_mean(args.slug, slugs)}
        )
    record = approve(project, Diagnostics(project.root), request, policy.review_cycle_months)
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
