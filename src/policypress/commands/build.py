"""``policypress build``: the public site (or with ``--preview`` the staff/governor preview);
in a group of schools, each school and the trust's overview."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from policypress.commands.context import CommandContext, add_project_options
from policypress.core.errors import EXIT_CONTENT, EXIT_ENVIRONMENT, EXIT_OK, UsageError
from policypress.core.messages import N_
from policypress.core.messages import gettext as _
from policypress.outputs.registry import describe as describe_generators

if TYPE_CHECKING:
    from pathlib import Path

    from policypress.commands.sitepush import PublishTarget, SiteToPush
    from policypress.core.project import Project

NAME = "build"
HELP = N_("build the public site")
DESCRIPTION = N_("Check content, then build build/site and build/manifest.json.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # The outputs a build writes, from the generators' declarations (plain data: listing them
    # imports no generator).
    parser.epilog = describe_generators()
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    add_project_options(parser)
    parser.add_argument(
        "--engine",
        choices=["mkdocs", "zensical"],
        default="mkdocs",
        help=_("static site engine (default: mkdocs)"),
    )
    parser.add_argument(
        "--preview",
        action="store_true",
        help=_(
            "build the staff/governor preview, drafts included and marked "
            "DRAFT, into build/preview/ (the public build never has drafts)"
        ),
    )
    parser.add_argument(
        "--allow-rollback",
        action="store_true",
        help=_(
            "publish even if a policy goes back a version, or a published version changed, "
            "since the last build (the policy's page then says so)"
        ),
    )
    parser.add_argument(
        "--push",
        action="store_true",
        help=_(
            "then push the site to the git branch school.yml's publish names (for GitHub "
            "or GitLab Pages), as one commit; in a group, each school's site built to its "
            "own school.yml's branch, and the trust overview to trust.yml's"
        ),
    )
    group = parser.add_argument_group("a group of schools (a project with trust.yml)")
    which = group.add_mutually_exclusive_group()
    which.add_argument("--school", metavar="ID", help=_("build only this school"))
    which.add_argument(
        "--shard",
        metavar="K/N",
        help=_("build every Nth school from the Kth (by id), for a CI matrix of N runners"),
    )
    which.add_argument("--overview", action="store_true", help=_("build only the trust's overview"))


def run(ctx: CommandContext) -> int:
    project = ctx.checked_project()
    if ctx.args.push and ctx.args.preview:
        raise UsageError(_("--push publishes the public site: not with --preview"))
    if project.is_group:
        return _build_group(ctx, project)
    if ctx.args.school or ctx.args.shard or ctx.args.overview:
        raise UsageError(_("--school, --shard and --overview need a group (a trust.yml)"))
    return _build(ctx, project)


def _build(ctx: CommandContext, project: Project) -> int:
    from policypress.build import build
    from policypress.commands.buildreport import build_progress, final_message

    args = ctx.args
    target = _push_target(project) if args.push else None
    with build_progress(ctx.err) as reporter:
        result = build(
            project,
            engine=args.engine,
            strict=args.strict,
            step=reporter.step,
            detail=reporter.detail,
            preview=args.preview,
            allow_rollback=args.allow_rollback,
        )
    ctx.report(result.diagnostics)
    folder = project.out / "preview" if args.preview else project.out
    ctx.say(final_message(result, folder, project.root, reporter.elapsed()))
    if target is not None:
        return _push(ctx, project, result.site, target, result.content.school.name)
    return EXIT_OK


def _push_target(project: Project) -> PublishTarget:
    from policypress.commands.sitepush import publishing_target

    target = publishing_target(project)
    if target is None:
        raise UsageError(
            _(
                "--push needs a publishing branch: add publish: {remote: origin, branch: "
                "gh-pages} to school.yml (policypress check reads it)"
            )
        )
    return target


def _push(
    ctx: CommandContext, project: Project, site: Path, target: PublishTarget, school: str
) -> int:
    """The built site pushed; a failure is said in words (the build stays published here)."""
    from policypress.commands.sitepush import publish_message, push_site

    pushed = push_site(project, site, target, publish_message(school))
    if not pushed.ok:
        ctx.warn(_("policypress: %(failure)s") % {"failure": pushed.problem})
        return EXIT_ENVIRONMENT
    ctx.say(
        _("Pushed the site to the branch %(branch)s of %(remote)s as commit %(commit)s")
        % {"branch": target.branch, "remote": target.remote, "commit": (pushed.commit or "")[:12]}
    )
    return EXIT_OK


def _build_group(ctx: CommandContext, project: Project) -> int:
    """Each chosen school into build/schools/<id>/, then (unless one school or a shard is
    built) the trust overview into build/trust/."""
    from policypress.commands.buildreport import GROUP_FOLDERS, build_progress
    from policypress.commands.groupbuild import (
        build_group,
        build_overview,
        parse_shard,
        select_schools,
    )
    from policypress.core.diagnostics import did_you_mean

    args, ids = ctx.args, project.school_ids()
    shard = parse_shard(args.shard) if args.shard else None
    if args.school and args.school not in ids:
        raise UsageError(
            _("no school '%(school)s' in schools/%(did_you_mean)s")
            % {"school": args.school, "did_you_mean": did_you_mean(args.school, ids)}
        )
    chosen = [] if args.overview else select_schools(ids, args.school, shard)
    overview = not (args.school or shard)
    sites = _group_push_sites(project, chosen, overview) if args.push else ()
    if args.overview:
        ctx.say(
            _("Built the trust overview into %(build_overview)s")
            % {"build_overview": build_overview(project)}
        )
        return _push_group(ctx, project, sites)
    with build_progress(ctx.err) as reporter:
        result = build_group(
            project,
            chosen,
            engine=args.engine,
            strict=args.strict,
            preview=args.preview,
            allow_rollback=args.allow_rollback,
            overview=overview,
            step=reporter.step,
        )
    for school, diags in result.failed:
        ctx.warn(_("policypress: school %(school)s was not built:") % {"school": school})
        ctx.report(diags)
    for school, built in result.built:
        ctx.report(built.diagnostics)
        ctx.say(
            _("Built %(school)s: %(outputs)s files into %(site)s")
            % {"school": school, "outputs": built.outputs, "site": built.site}
        )
    if result.overview is not None:
        ctx.say(_("Built the trust overview into %(overview)s") % {"overview": result.overview})
    if result.built:
        ctx.say(GROUP_FOLDERS)
    # what was built is pushed; a school that was not built keeps what its branch has
    built_ids = {school for school, _school in result.built}
    pushed = _push_group(
        ctx,
        project,
        tuple(
            site
            for site in sites
            if site.school in built_ids or (site.school is None and result.overview is not None)
        ),
    )
    return EXIT_CONTENT if result.failed else pushed


def _group_push_sites(
    project: Project, schools: list[str], overview: bool
) -> tuple[SiteToPush, ...]:
    """The sites ``--push`` pushes in a group: refused before anything is built when not one
    of them names a publishing branch."""
    from policypress.commands.sitepush import group_sites

    sites = group_sites(project, schools, overview)
    if not any(site.target for site in sites):
        raise UsageError(
            _(
                "--push needs a publishing branch: add publish: {remote: origin, branch: "
                "gh-pages} to a school's schools/<id>/school.yml, or to trust.yml for the "
                "trust overview (policypress check reads it)"
            )
        )
    return sites


def _push_group(ctx: CommandContext, project: Project, sites: tuple[SiteToPush, ...]) -> int:
    """Each site pushed to its own branch, one line each; exit 4 if any push failed (the
    others are still pushed, and every site stays published in build/)."""
    from policypress.commands.sitepush import push_group

    failed = False
    for done in push_group(project, sites):
        if done.failed:
            failed = True
            ctx.warn(_("policypress: %(failure)s") % {"failure": done.sentence})
        else:
            ctx.say(done.sentence)
    return EXIT_ENVIRONMENT if failed else EXIT_OK
