"""``policypress import FILE --translation-of SLUG --language CODE``: arguments in, the
placement report and an exit code out (the work is :mod:`policypress.importer.translation`)."""

from __future__ import annotations

import argparse

from policypress.core.diagnostics import ContentError, Diagnostics
from policypress.core.messages import gettext as _
from policypress.core.project import Project
from policypress.importer.pandoc import ImportRefused
from policypress.importer.wordcli import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, Say, report_diagnostics


def run_translation(args: argparse.Namespace, out: Say, err: Say) -> int:
    from policypress.importer.translation import TranslationRefused, import_translation

    if not args.language or not args.translated_by:
        err(
            _(
                "policypress: --translation-of needs --language (the translation's language "
                "code, such as cy) and --translated-by (who translated it: a name or an "
                "organisation)"
            )
        )
        return EXIT_USAGE
    project = Project.at(args.project, args.content)
    if not project.content.is_dir():
        err(_("policypress: content folder not found: %(content)s") % {"content": project.content})
        return EXIT_USAGE
    try:
        result = import_translation(
            project,
            args.file,
            args.translation_of,
            args.language,
            args.translated_by,
            summary=args.summary,
            force=args.force,
        )
    except TranslationRefused as exc:
        err(str(exc))
        return EXIT_USAGE if exc.usage else EXIT_CONTENT
    except ImportRefused as exc:
        err(_("policypress: %(exc)s") % {"exc": exc})
        return EXIT_CONTENT
    except ContentError as exc:
        diags = exc.diagnostics
        report_diagnostics(diags, err)
        target = project.content / "policies" / args.translation_of / f"policy.{args.language}.md"
        shown = diags.location(target).path
        if target.is_file() and all(d.location.path == shown for d in diags.errors):
            # the file this import would replace is the only one wrong: check reads it first
            err(
                _(
                    "policypress: the errors are all in %(file)s, which this import would "
                    "replace; delete it and import again"
                )
                % {"file": shown}
            )
        else:
            err(
                _("policypress: fix these first: %(command)s reads the checked content")
                % {"command": "import"}
            )
        return EXIT_CONTENT
    if not result.written:  # once written, check says it at the file
        for warning in result.warnings:
            err(_("policypress: warning: %(warning)s") % {"warning": warning})
    for line in result.lines:
        out(line)
    shown = project.relative(result.target)
    words = {
        "file": shown,
        "placed": result.placed,
        "total": result.total,
        "slug": args.translation_of,
        "version": result.version,
        "scope": result.scope,
        "problems": result.problems,
    }
    if not result.written:
        err(
            _(
                "policypress: %(file)s not written: %(problems)s section(s) or clause(s) could "
                "not be placed (above); fix the document and import again, or import with "
                "--summary to write only the sections placed"
            )
            % words
        )
        return EXIT_CONTENT
    out(
        _(
            "Wrote %(file)s: %(placed)s of the %(total)s clauses of %(slug)s version "
            "%(version)s placed (scope: %(scope)s)."
        )
        % words
    )
    from policypress.build import check

    _content, diags = check(project, "preview")
    where = diags.location(result.target).path
    items = [d for d in diags.items if d in diags.errors or d.location.path == where]
    report_diagnostics(Diagnostics(project.root, items), err)
    if diags.errors:
        err(_("policypress: the translation has errors; fix them in %(shown)s") % {"shown": where})
        return EXIT_CONTENT
    return EXIT_OK
