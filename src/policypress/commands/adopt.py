"""``policypress adopt SCHOOL SLUG``: in a group of schools, record a school's adoption of a
model version of the trust's (the record is :func:`policypress.commands.adoption.adopt`)."""

from __future__ import annotations

import argparse
import shlex

from policypress.commands.context import CommandContext, add_project_options, iso_date
from policypress.core.errors import EXIT_CONTENT, EXIT_OK, PolicypressError
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
    from policypress.build import check, check_everything
    from policypress.commands.adoption import (
        AdoptionRefused,
        AdoptionRequest,
        adopt,
        adoption_problems,
    )
    from policypress.core.dates import build_date
    from policypress.core.diagnostics import Diagnostics, did_you_mean

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
    problems = adoption_problems(request, build_date())
    if not project.is_group:
        problems.insert(
            0,
            _("%(root)s is not a group of schools (it has no trust.yml)") % {"root": project.root},
        )
    elif args.school not in project.school_ids():
        known = project.school_ids()
        problems.insert(0, f"no school '{args.school}'{did_you_mean(args.school, known)}")
    if problems:
        raise AdoptionRefused(*problems)
    school = project.for_school(args.school)
    preview, diags = check(school, "preview")
    if diags.errors:
        ctx.report(diags)
        ctx.warn(_("policypress: cannot adopt while check reports errors"))
        return EXIT_CONTENT
    if preview is None or preview.policy(args.slug) is None:
        slugs = [p.slug for p in preview.policies] if preview else []
        raise PolicypressError(
            _("no model policy '%(slug)s'%(did_you_mean)s")
            % {"slug": args.slug, "did_you_mean": did_you_mean(args.slug, slugs)}
        )
    record = adopt(project.root, project.content, Diagnostics(project.root), request)
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
