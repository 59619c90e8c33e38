"""``policypress adopt SCHOOL SLUG``: in a group of schools, record a school's adoption of a
model version of the trust's (the record is :func:`policypress.commands.adoption.adopt`)."""

from __future__ import annotations

import argparse
import shlex

from policypress.commands.context import CommandContext, add_project_options, iso_date
from policypress.core.errors import EXIT_CONTENT, EXIT_OK
from policypress.core.messages import N_
from policypress.core.messages import gettext as _

NAME = "adopt"
HELP = N_("record a school's adoption of a trust's model policy version")
DESCRIPTION = N_(
    "In a group of schools: compose the model version with the school's local "
    "sections and record it as the school's next version: writes schools/<id>/policies/"
    "<slug>/versions/<v>.md and appends the adoption to its history.yml."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_options(parser)
    parser.add_argument("school", help=_("the school's folder name under schools/"))
    parser.add_argument("slug", help=_("the model policy's folder name, e.g. online-safety"))
    parser.add_argument(
        "--model-version", required=True, metavar="V", help=_("the model version adopted, e.g. 2.1")
    )
    parser.add_argument(
        "--by", required=True, metavar="BODY", help=_("adopting body, e.g. 'Local Governing Body'")
    )
    parser.add_argument(
        "--date", required=True, type=iso_date, metavar="YYYY-MM-DD", help=_("date of the adoption")
    )
    parser.add_argument("--minute", metavar="REF", help=_("minute reference, if any"))
    parser.add_argument(
        "--note", help=_('public change note (default: "Adopted the trust\'s model version V.")')
    )
    kind = parser.add_mutually_exclusive_group()
    for flag, help_text in (
        (
            "major",
            _(
                "number it as the school's next major version (default: a newer model major "
                "version is a major one, anything else minor)"
            ),
        ),
        (
            "minor",
            _(
                "number it as the school's next minor version (default: a newer model major "
                "version is a major one, anything else minor)"
            ),
        ),
    ):
        kind.add_argument(
            f"--{flag}", dest="kind", action="store_const", const=flag, help=help_text
        )


def run(ctx: CommandContext) -> int:
    from policypress.build import check_everything
    from policypress.commands.adoption import AdoptionRequest, SchoolNotSound, adopt_in_group

    args, project = ctx.args, ctx.checked_project()
    request = AdoptionRequest(
        args.school,
        args.slug,
        args.model_version,
        args.by,
        args.date,
        args.minute,
        args.note,
        args.kind,
    )
    try:
        record = adopt_in_group(project, request)
    except SchoolNotSound as unsound:
        ctx.report(unsound.diagnostics)
        ctx.warn(_("policypress: cannot adopt while check reports errors"))
        return EXIT_CONTENT
    school = project.for_school(args.school)
    after = check_everything(school)
    if after.errors:  # should not happen: we wrote what check expects
        ctx.report(after)
        return EXIT_CONTENT
    message = f"Adopt {args.school} {args.slug} {record.number} (model {record.model.version})"
    ctx.say(
        _(
            "%(school)s adopted %(slug)s model version %(version)s as its version "
            "%(number)s (%(kind)s, sha256 %(sha256)s).\nWrote %(snapshot)s and "
            "%(history)s.\nCommit them: git add %(parent)s && git commit -m "
            "%(quote)s"
        )
        % {
            "school": args.school,
            "slug": args.slug,
            "version": record.model.version,
            "number": record.number,
            "kind": record.kind,
            "sha256": record.sha256[:12],
            "snapshot": project.relative(record.snapshot),
            "history": project.relative(record.history),
            "parent": project.relative(record.snapshot.parent.parent),
            "quote": shlex.quote(message),
        }
    )
    return EXIT_OK
