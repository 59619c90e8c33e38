"""The ``export-docx`` and ``import --update`` commands: arguments in, messages and an exit
code out (cli.py dispatches here; the exit codes are the command line's)."""

from __future__ import annotations

import argparse
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from policypress.core.diagnostics import ContentError, Diagnostics, did_you_mean
from policypress.core.messages import gettext as _
from policypress.core.project import Project
from policypress.model import Policy

Say = Callable[[str], None]
EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
# Warnings meant for policypress's developers, not for the person importing a file.
_FOR_US = (DeprecationWarning, PendingDeprecationWarning)


def run_word(args: argparse.Namespace, out: Say, err: Say) -> int:
    project = Project.at(args.project, args.content)
    if not project.content.is_dir():
        err(_("policypress: content folder not found: %(content)s") % {"content": project.content})
        return EXIT_USAGE
    try:
        if args.command == "export-docx":
            return _export(project, args, out, err)
        return _update(project, args, out, err)
    except ContentError as exc:
        report_diagnostics(exc.diagnostics, err)
        err(
            _("policypress: fix these first: %(command)s reads the checked content")
            % {"command": args.command}
        )
        return EXIT_CONTENT


def report_diagnostics(diags: Diagnostics, err: Say) -> None:
    for item in diags.sorted():
        err(str(item))
    if diags.errors or diags.warnings:
        err(
            _("%(errors)s error(s), %(warnings)s warning(s)")
            % {"errors": len(diags.errors), "warnings": len(diags.warnings)}
        )


class ExportRefused(Exception):
    """The policy cannot be exported as asked; the message says why."""


@dataclass(frozen=True)
class Exported:
    data: bytes  # the .docx
    policy: Policy  # the text exported (approved, or the working draft)


def export_policy(project: Project, slug: str, draft: bool) -> Exported:
    """The .docx of ``slug``'s approved text (with ``draft``, its working text): what
    ``export-docx`` writes and the studio's "Download for Word" gives. Raises ContentError
    (check's errors) or ExportRefused."""
    from policypress.build import check
    from policypress.importer.docxout import ExportFailed, export_docx, reference_doc
    from policypress.importer.pandocrun import PandocFailed
    from policypress.outputs.language import writing_in
    from policypress.source.frontmatter import split_front_matter

    content, diags = check(project, "preview")
    if content is None:
        raise ContentError(diags)
    working = content.policy(slug)
    if working is None:
        slugs = [p.slug for p in content.policies]
        raise ExportRefused(
            _("policypress: no policy '%(slug)s'%(did_you_mean)s")
            % {"slug": slug, "did_you_mean": did_you_mean(slug, slugs)}
        )
    policy = working if draft else content.latest_approved(slug)
    if policy is None:
        raise ExportRefused(
            _("policypress: %(slug)s has never been approved; export its working text with --draft")
            % {"slug": slug}
        )
    split = split_front_matter(policy.source.read_text(encoding="utf-8"))
    assert split is not None  # check() has read it
    try:
        # the document's own words (its subtitle and properties) in the school's language
        with writing_in(content.school.language, project, diags):
            data = export_docx(policy, content, split[1], reference_doc(project))
    except (ExportFailed, PandocFailed) as exc:
        raise ExportRefused(
            _("policypress: cannot export %(slug)s: %(exc)s") % {"slug": slug, "exc": exc}
        ) from None
    return Exported(data, policy)


def _export(project: Project, args: argparse.Namespace, out: Say, err: Say) -> int:
    from policypress.core.files import write_atomic_bytes

    target: Path | None = args.out
    if target is not None and target.suffix.lower() != ".docx":
        err(
            _("policypress: --out %(target)s: expected a file name ending in .docx")
            % {"target": target}
        )
        return EXIT_USAGE
    if args.language:
        return _export_translation(project, args, target, out, err)
    try:
        exported = export_policy(project, args.slug, args.draft)
    except ExportRefused as exc:
        err(str(exc))
        return EXIT_CONTENT
    policy = exported.policy
    version = "draft" if policy.is_draft else f"v{policy.version_label}"
    target = target or project.out / "word" / f"{args.slug}-{version}.docx"
    write_atomic_bytes(target, exported.data)
    out(
        _(
            "Wrote %(target)s: %(slug)s %(version_label)s, %(count)s clauses. "
            "After editing it in Word: policypress import %(target)s --update "
            "%(slug)s"
        )
        % {
            "target": project.relative(target),
            "slug": args.slug,
            "version_label": policy.version_label,
            "count": len(policy.all_clauses),
        }
    )
    return EXIT_OK


def _export_translation(
    project: Project, args: argparse.Namespace, target: Path | None, out: Say, err: Say
) -> int:
    from policypress.build import check
    from policypress.core.files import write_atomic_bytes
    from policypress.importer.translation import TranslationRefused, check_language
    from policypress.importer.translationdocx import export_translation

    try:
        check_language(args.language)
    except TranslationRefused as exc:
        err(str(exc))
        return EXIT_USAGE
    content, diags = check(project, "preview")
    if content is None:
        raise ContentError(diags)
    if content.policy(args.slug) is None:
        slugs = [p.slug for p in content.policies]
        err(
            _("policypress: no policy '%(slug)s'%(did_you_mean)s")
            % {"slug": args.slug, "did_you_mean": did_you_mean(args.slug, slugs)}
        )
        return EXIT_USAGE
    from policypress.importer.docxout import ExportFailed
    from policypress.importer.pandocrun import PandocFailed

    try:
        exported = export_translation(project, content, args.slug, args.language)
    except ExportRefused as exc:
        err(str(exc))
        return EXIT_CONTENT
    except (ExportFailed, PandocFailed) as exc:
        err(_("policypress: cannot export %(slug)s: %(exc)s") % {"slug": args.slug, "exc": exc})
        return EXIT_CONTENT
    target = target or project.out / "word" / f"{args.slug}.{args.language}.docx"
    write_atomic_bytes(target, exported)
    out(
        _(
            "Wrote %(target)s: the '%(language)s' translation of %(slug)s. After editing it "
            "in Word: policypress import %(target)s --translation-of %(slug)s --language "
            "%(language)s --translated-by NAME --force"
        )
        % {"target": project.relative(target), "slug": args.slug, "language": args.language}
    )
    return EXIT_OK


def _update(project: Project, args: argparse.Namespace, out: Say, err: Say) -> int:
    from policypress.build import check
    from policypress.importer.docxin import TrackChanges
    from policypress.importer.pandocrun import PandocFailed
    from policypress.importer.update import (
        LostVariables,
        UpdateRefused,
        describe,
        update_from_word,
    )

    if not args.file.is_file():
        err(_("policypress: file not found: %(file)s") % {"file": args.file})
        return EXIT_USAGE
    track: TrackChanges | None = (
        "accept" if args.accept_changes else "reject" if args.reject_changes else None
    )
    lost: LostVariables = (
        "restore" if args.restore_variables else "keep" if args.keep_values else "refuse"
    )
    try:
        # A library's warning about the file (a damaged zip, an odd style) is news about the
        # file, said once as a notice, never a Python warning with a source line.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = update_from_word(
                project,
                args.update,
                args.file,
                track,
                replace_draft=args.replace_draft,
                lost_variables=lost,
            )
    except UpdateRefused as exc:
        # each is a whole message of the catalogue, most after the file's name
        for message in exc.problems:
            err(_("policypress: cannot import: %(message)s") % {"message": message})
        return EXIT_CONTENT
    except PandocFailed as exc:
        err(
            _("policypress: cannot import: %(file)s: pandoc could not read it: %(exc)s")
            % {"file": args.file, "exc": exc}
        )
        return EXIT_CONTENT
    said = {f"{args.file}: {w.message}" for w in caught if not issubclass(w.category, _FOR_US)}
    notices = [*result.notices, *sorted(said)]
    for notice in notices:
        err(_("policypress: notice: %(notice)s") % {"notice": notice})
    for line in describe(result, project):
        out(line)
    if not result.written:
        return EXIT_OK
    _content, diags = check(project, "preview")
    shown = diags.location(result.policy_file).path
    # Only this policy's warnings (others are not news); every error, since any blocks a build.
    items = [d for d in diags.items if d in diags.errors or d.location.path == shown]
    report_diagnostics(Diagnostics(project.root, items), err)
    if diags.errors:
        err(_("policypress: the new draft has errors; fix them in %(shown)s") % {"shown": shown})
        return EXIT_CONTENT
    out(_("Next: policypress review-pack %(update)s") % {"update": args.update})
    return EXIT_OK
