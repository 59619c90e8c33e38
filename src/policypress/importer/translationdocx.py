"""``policypress export-docx SLUG --language CODE``: a translated policy as a Word file, to
edit and import again with ``import FILE --translation-of SLUG --language CODE``.

The clauses are those a translated page shows (:func:`translated_clause_views`, the one place
that chooses them), in the newest approved version's order: each translated clause as the
translation writes it, and each clause whose text changed since it was translated in the
main language, under a note in the translation's language that it is being updated.
"""

from __future__ import annotations

from policypress.core.messages import gettext as _
from policypress.core.messages import use_language
from policypress.core.project import Project
from policypress.importer.translation import BEING_UPDATED_NOTE, translation_identifier
from policypress.importer.wordmarkdown import SourceClause, relevel, source_clauses
from policypress.model import Content, Policy
from policypress.model.translation import Translation
from policypress.source.frontmatter import split_front_matter


def find_translation(content: Content, slug: str, language: str) -> Translation | None:
    return next(
        (t for t in content.translations if t.slug == slug and t.language == language), None
    )


def _clauses_as_written(path_text: str, ids: list[str]) -> dict[str, SourceClause]:
    split = split_front_matter(path_text)
    assert split is not None  # check() has read it
    written = source_clauses(split[1]).clauses
    return dict(zip(ids, written, strict=True))


def translation_body(
    english: Policy, translation: Translation, content: Content
) -> tuple[str, tuple[str, ...]]:
    """The Markdown of the Word file's sections, and their clause ids in order."""
    from policypress.outputs.views import translated_clause_views

    views = translated_clause_views(content, english, translation, lambda ref: "", lambda image: "")
    translated = _clauses_as_written(
        translation.source.read_text(encoding="utf-8"), [c.id for c in translation.clauses]
    )
    approved = _clauses_as_written(
        english.source.read_text(encoding="utf-8"), [c.id for c in english.all_clauses]
    )
    note = _(BEING_UPDATED_NOTE)  # in the translation's language: the caller has entered it
    parts: list[str] = []
    for view in views:
        clause_id = view.clause.id
        level = view.level - 1  # an HTML heading level: 2 for a section
        if view.state == "translated":
            written = translated[clause_id]
            extra: list[str] = []
        else:
            written = approved[clause_id]
            extra = [note, ""]
        heading = relevel(written.heading, level) or written.heading
        parts.append("\n".join([*heading, "", *extra, *written.body]).rstrip())
    return "\n\n".join(parts) + "\n", tuple(view.clause.id for view in views)


def export_translation(project: Project, content: Content, slug: str, language: str) -> bytes:
    """The .docx of ``slug``'s ``language`` translation. Raises ExportRefused when there is
    none, ExportFailed or PandocFailed when it cannot be made."""
    from policypress.importer.docxout import (
        MAX_PROPERTY,
        Edition,
        export_docx,
        reference_doc,
        version_subtitle,
    )
    from policypress.importer.wordcli import ExportRefused

    english = content.latest_approved(slug)
    translation = find_translation(content, slug, language)
    if english is None or translation is None:
        raise ExportRefused(
            _(
                "policypress: %(slug)s has no translation in '%(language)s' (expected "
                "policies/%(slug)s/policy.%(language)s.md); import one with 'policypress import "
                "FILE --translation-of %(slug)s --language %(language)s'"
            )
            % {"slug": slug, "language": language}
        )
    with use_language(language, project.translations):
        body, ids = translation_body(english, translation, content)
        edition = Edition(
            title=translation.shown_title or english.title,
            subtitle=version_subtitle(english),
            # a document property holds 255 characters: a longer summary is not cut short
            # there, but kept from policy.<language>.md when the file comes back
            summary=summary
            if len(summary := translation.shown_summary or "") <= MAX_PROPERTY
            else "",
            identifier=translation_identifier(slug, language, english.digest),
            language=language,
            clause_ids=ids,
        )
        return export_docx(english, content, body, reference_doc(project), edition)
