"""``policypress import FILE --translation-of SLUG --language CODE``: a translated document
(.docx, .odt, .md, … as ``import`` reads them) written as ``policies/<slug>/policy.<code>.md``,
each section under the id of the clause of the newest approved version it translates.

The document is converted by the same importer as a new policy; its sections are then placed
by the clause ids their headings carry (a Word export's bookmarks, a Markdown file's
'{#id}'), and the others by order and structure (:mod:`placing`). What cannot be placed for
certain is reported with the section's heading and position, and nothing is written unless
every clause is placed, or ``--summary`` asks for only the sections placed (a summary
translation) and every section written is placed for certain.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from policypress.build import check
from policypress.content.languages import site_languages
from policypress.content.schema import language_fault
from policypress.core.diagnostics import ContentError, Diagnostics, did_you_mean
from policypress.core.files import write_atomic_bytes
from policypress.core.messages import N_, ngettext, use_language
from policypress.core.messages import gettext as _
from policypress.core.project import Project
from policypress.core.surface import what_to_do
from policypress.importer.blocks import kept_clause_links
from policypress.importer.command import school_name
from policypress.importer.document import ImportedDocument, convert
from policypress.importer.headings import Section, hand_number, heading_markdown
from policypress.importer.placing import Place, Placement, blocks_shape, place, tokens_shape
from policypress.importer.writer import blocks_markdown, dump_yaml
from policypress.model import Clause, Policy
from policypress.source.frontmatter import split_front_matter
from policypress.source.sourceyaml import parse_yaml

# What a Word export of a translation writes under a clause whose text changed since it was
# translated (before the approved text in the main language), in the translation's language;
# a section that still begins with it is not translated yet.
BEING_UPDATED_NOTE = N_(
    "The translation of this section is being updated: below is the approved text in the "
    "policy's main language. Translate it and delete this note."
)
TRANSLATION_IDENTIFIER = "policypress-translation:"


class TranslationRefused(Exception):
    """The document cannot be imported as asked; the message says why. ``usage``: the
    command was asked something it cannot do (a bad slug or language code)."""

    def __init__(self, message: str, *, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


class TranslationExists(TranslationRefused):
    """A translation in that language is there already, and replacing it was not asked for."""

    def __init__(self, message: str, target: Path) -> None:
        super().__init__(message)
        self.target = target


def translation_identifier(slug: str, language: str, digest: str) -> str:
    """What a Word export of a translation records: ``policypress-translation:cy:<slug>:<sha256
    of the approved version it goes with>``."""
    return f"{TRANSLATION_IDENTIFIER}{language}:{slug}:{digest}"


@dataclass
class TranslationImport:
    target: Path  # policies/<slug>/policy.<language>.md
    version: str  # the approved version translated
    scope: str
    placed: int  # clauses placed
    total: int  # clauses of the approved version
    lines: list[str] = field(default_factory=list)  # what was placed and what was not
    problems: int = 0  # of those, the ones that stop a full translation
    uncertain: int = 0  # of those, the ones that stop a summary too: a place not certain
    stopping: list[str] = field(default_factory=list)  # those lines themselves
    warnings: list[str] = field(default_factory=list)
    written: bool = False


def check_language(code: str) -> None:
    """Refuse a code that is not a language the site can publish in, saying the nearest."""
    fault = language_fault(code)
    if fault == "shape":
        raise TranslationRefused(
            _(
                "policypress: --language '%(code)s' is not a language code; expected one such "
                "as cy, pl or ur"
            )
            % {"code": code},
            usage=True,
        )
    if fault == "unknown":
        raise TranslationRefused(
            _(
                "policypress: --language '%(code)s' is not a language the site can publish "
                "in%(did_you_mean)s"
            )
            % {"code": code, "did_you_mean": did_you_mean(code, site_languages() or ())},
            usage=True,
        )


def translation_path(project: Project, slug: str, language: str) -> Path:
    """Where the ``language`` translation of policy ``slug`` is written."""
    return project.content / "policies" / slug / f"policy.{language}.md"


def import_translation(
    project: Project,
    file: Path,
    slug: str,
    language: str,
    translated_by: str,
    *,
    summary: bool = False,
    force: bool = False,
) -> TranslationImport:
    """Read ``file`` as the ``language`` translation of ``slug``'s newest approved version.
    Raises TranslationRefused, ImportRefused (the file) or ContentError (check's errors)."""
    check_language(language)
    content, diags = check(project, "preview")
    if content is None:
        raise ContentError(diags)
    if content.policy(slug) is None:
        slugs = [p.slug for p in content.policies]
        raise TranslationRefused(
            _("policypress: no policy '%(slug)s'%(did_you_mean)s")
            % {"slug": slug, "did_you_mean": did_you_mean(slug, slugs)},
            usage=True,
        )
    english = content.latest_approved(slug)
    if english is None:
        raise TranslationRefused(
            _(
                "policypress: %(slug)s has never been approved, so there is nothing to "
                "translate; a translation may only translate approved text"
            )
            % {"slug": slug}
        )
    school = content.school
    if language.split("-")[0].lower() == school.language.split("-")[0].lower():
        raise TranslationRefused(
            _(
                "policypress: --language '%(code)s' is the school's main language; expected "
                "the language of the translation"
            )
            % {"code": language},
            usage=True,
        )
    target = translation_path(project, slug, language)
    if target.exists() and not force:
        raise TranslationExists(
            _("policypress: %(file)s exists already; add --force to replace it")
            % {"file": project.relative(target)},
            target,
        )
    links = frozenset(
        [f"#{c.id}" for c in english.all_clauses]
        + [f"{p.slug}#{c.id}" for p in content.policies for c in p.all_clauses]
    )
    token = kept_clause_links.set(links)
    try:
        doc = convert(file, school_name(project.content), heading_ids=True)
    finally:
        kept_clause_links.reset(token)
    clauses = english.all_clauses
    sections = doc.sections
    named = _named_clauses(doc, clauses)
    placement = place(
        [Place(c.depth, tokens_shape(c.body), c.label) for c in clauses],
        [
            Place(
                s.level,
                blocks_shape(s.blocks),
                _typed_number(s),
                pin=named.pins.get(index),
                nowhere=index in named.unknown or index in named.twice,
            )
            for index, s in enumerate(sections)
        ],
        summary=summary,
    )
    result = TranslationImport(
        target, str(english.current.number), "summary" if summary else "full", 0, len(clauses)
    )
    if not school.publishes_in(language):
        result.warnings.append(
            _(
                "'%(code)s' is not among the translations school.yml lists (%(listed)s), so "
                "the site does not publish this translation; add it to translations in "
                "school.yml"
            )
            % {"code": language, "listed": ", ".join(school.translations) or _("none")}
        )
    with use_language(language, project.translations):
        being_updated = _plain(_(BEING_UPDATED_NOTE))
    untranslated = {
        s
        for s in placement.matches
        if sections[s].blocks and _plain(sections[s].blocks[0].plain) == being_updated
    }
    _describe(result, placement, clauses, sections, untranslated, english, named)
    # what the importer itself left out (a footnote, a picture inside a line)
    result.lines += [
        f"{note.where}: {note.message}"
        for note in doc.report.ordered()
        if note.kind == "not placed"
    ]
    for index in placement.matches:
        if any(block.kind == "image" for block in sections[index].blocks):
            result.lines.append(
                _(
                    "%(where)s: picture left out: a translation shows only the pictures of "
                    "the approved text"
                )
                % {"where": _where(sections[index], index + 1)}
            )
    if (result.problems and not summary) or result.uncertain:
        return result
    placed = {s: c for s, c in placement.matches.items() if s not in untranslated}
    if not placed:
        return result
    result.placed = len(placed)
    replaced = _replaced(target) if target.is_file() else None
    text = _translation_text(doc, english, placed, translated_by, result.scope, language, replaced)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic_bytes(target, text.encode("utf-8"))
    result.written = True
    return result


@dataclass(frozen=True)
class _Named:
    """What the ids of a document's headings say, by section index."""

    carries_ids: bool  # an export of a translation, or a heading names a clause
    pins: dict[int, int]  # the clause each names (its index)
    unknown: dict[int, tuple[str, ...]]  # ids that name no clause of the version
    twice: dict[int, int]  # a clause named again: the section that named it first


def _named_clauses(doc: ImportedDocument, clauses: list[Clause]) -> _Named:
    """The clause each heading's id names. Ids count once the document carries them (it is
    an export of a translation, or one of its headings names a clause): a translator's own
    Word file may have bookmarks that are no clause ids, and those say nothing."""
    index_of = {clause.id: index for index, clause in enumerate(clauses)}
    exported = doc.properties.get("identifier", "").startswith(TRANSLATION_IDENTIFIER)
    given = [s.given_ids for s in doc.sections]
    if not (exported or any(i in index_of for ids in given for i in ids)):
        return _Named(False, {}, {}, {})
    pins: dict[int, int] = {}
    unknown: dict[int, tuple[str, ...]] = {}
    twice: dict[int, int] = {}
    first: dict[int, int] = {}  # clause → the section that named it
    for section, ids in enumerate(given):
        clause = next((index_of[i] for i in ids if i in index_of), None)
        if clause is None:
            if ids:
                unknown[section] = ids
        elif clause in first:
            twice[section] = first[clause]
        else:
            first[clause] = section
            pins[section] = clause
    return _Named(True, pins, unknown, twice)


def _plain(text: str) -> str:
    """Text as typed, whatever quotes Word (or pandoc) curled."""
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())


def _typed_number(section: Section) -> str | None:
    """The number typed before a heading ("2.1"), which names the clause it translates."""
    number = section.number or hand_number(section.title)
    return number.number if number is not None and number.kind == "numeric" else None


def _where(section: Section, ordinal: int) -> str:
    return _("%(where)s: heading '%(title)s' (section %(ordinal)s of the document)") % {
        "where": section.where,
        "title": section.title,
        "ordinal": ordinal,
    }


def _clause_name(clause: Clause) -> str:
    return f"{clause.label} {clause.title} (#{clause.id})"


def _describe(
    result: TranslationImport,
    placement: Placement,
    clauses: list[Clause],
    sections: list[Section],
    untranslated: set[int],
    english: Policy,
    named: _Named,
) -> None:
    """Every section's fate, in the document's order, then the clauses left without one."""
    places = [Place(c.depth, tokens_shape(c.body)) for c in clauses]
    found = [Place(s.level, blocks_shape(s.blocks)) for s in sections]
    summary = result.scope == "summary"
    mismatched = dict(placement.level_mismatches(places, found, summary=summary))
    version = {"version": result.version, "slug": english.slug}
    for index, section in enumerate(sections):
        where = _where(section, index + 1)
        if index in named.unknown:
            _stops(
                result,
                _(
                    "%(where)s: not placed: its id %(ids)s is no clause of version %(version)s "
                    "of %(slug)s; give it the id of the clause it translates"
                )
                % {
                    "where": where,
                    "ids": ", ".join(f"'#{i}'" for i in named.unknown[index]),
                    **version,
                },
                uncertain=True,
            )
        elif index in named.twice:
            first = named.twice[index]
            _stops(
                result,
                _(
                    "%(where)s: not placed: its id names %(clause)s, which section %(first)s "
                    "of the document translates already; give each section the id of its own "
                    "clause"
                )
                % {
                    "where": where,
                    "clause": _clause_name(clauses[named.pins[first]]),
                    "first": first + 1,
                },
                uncertain=True,
            )
        elif index in placement.extra:
            _stops(
                result,
                _(
                    "%(where)s: not placed: no clause of version %(version)s of %(slug)s is "
                    "in its place; remove it, or ask for it to be added to the policy first"
                )
                % {"where": where, **version},
            )
        elif index in placement.ambiguous:
            _stops(
                result,
                _(
                    "%(where)s: not placed: it could be %(candidates)s, and the structure "
                    "does not say which; number the headings as the policy does (such as "
                    "'2.1') and import again"
                )
                % {"where": where, "candidates": _candidates(placement.ambiguous[index], clauses)},
                uncertain=True,
            )
        elif index in untranslated:
            clause = clauses[placement.matches[index]]
            _stops(
                result,
                _(
                    "%(where)s: not placed: it still holds the note that %(clause)s is being "
                    "updated, above the text in the main language; translate it and delete the "
                    "note"
                )
                % {"where": where, "clause": _clause_name(clause)},
            )
        elif index in mismatched:
            clause = clauses[mismatched[index]]
            _stops(
                result,
                _(
                    "%(where)s: level %(level)s, in the place of %(clause)s at level "
                    "%(clause_level)s; give it the heading level of that clause (Heading "
                    "%(clause_level)s in Word)"
                )
                % {
                    "where": where,
                    "level": section.level,
                    "clause": _clause_name(clause),
                    "clause_level": clause.depth,
                },
                uncertain=True,
            )
        elif named.carries_ids and index not in named.pins:
            clause = clauses[placement.matches[index]]
            result.lines.append(
                _(
                    "%(where)s: placed as %(clause)s by the structure alone: its heading had "
                    "lost its id (its bookmark, in Word)"
                )
                % {"where": where, "clause": _clause_name(clause)}
            )
        else:
            clause = clauses[placement.matches[index]]
            result.lines.append(
                _("%(where)s: placed as %(clause)s")
                % {"where": where, "clause": _clause_name(clause)}
            )
    for index in placement.missing:
        words = {"clause": _clause_name(clauses[index]), "version": result.version}
        if result.scope == "summary":
            result.lines.append(
                _(
                    "%(clause)s of version %(version)s: not in the document; the summary "
                    "translation leaves it out"
                )
                % words
            )
            continue
        _stops(
            result,
            what_to_do(
                _(
                    "%(clause)s of version %(version)s: not in the document; translate it, or "
                    "import with --summary if the document gives only some sections"
                ),
                _(
                    "%(clause)s of version %(version)s: not in the document; translate it, or "
                    "tick 'This is a summary' if the document gives only some sections"
                ),
            )
            % words,
        )


# An unnumbered section of a summary can be nearly any clause: the first few are named.
_MOST_CANDIDATES = 6


def _candidates(options: list[int | None], clauses: list[Clause]) -> str:
    """'1 Aims (#aims) or 2 Scope (#scope) or …': the places an ambiguous section could have."""
    named = [
        _clause_name(clauses[c]) if c is not None else _("no clause at all")
        for c in options[:_MOST_CANDIDATES]
    ]
    said = _(" or ").join(named)
    more = len(options) - _MOST_CANDIDATES
    if more > 0:
        said += " " + ngettext("or %(num)s other clause", "or %(num)s other clauses", more) % {
            "num": more
        }
    return said


@dataclass(frozen=True)
class _Replaced:
    """What the translation file an import replaces says that a document cannot carry."""

    summary: str | None  # the translated summary, if it reads as one
    checked_by: str | None  # who checked that text
    translated_by: str | None
    body: str  # the sections as written


def _stops(result: TranslationImport, line: str, *, uncertain: bool = False) -> None:
    """``line`` said in the report, as one of the problems that stop a full translation;
    ``uncertain``: a place not certain, which stops a summary too."""
    result.problems += 1
    result.uncertain += uncertain
    result.lines.append(line)
    result.stopping.append(line)


def _replaced(path: Path) -> _Replaced:
    split = split_front_matter(path.read_text(encoding="utf-8", errors="replace"))
    doc = parse_yaml(split[0], path, Diagnostics(path.parent)) if split is not None else None
    front = doc.data if doc is not None else None

    def text(key: str) -> str | None:
        value = front.get(key) if isinstance(front, dict) else None
        return value if isinstance(value, str) and value.strip() else None

    body = split[1] if split is not None else ""
    return _Replaced(text("summary"), text("checked_by"), text("translated_by"), body)


def _translation_text(
    doc: ImportedDocument,
    english: Policy,
    placed: dict[int, int],
    translated_by: str,
    scope: str,
    language: str,
    replaced: _Replaced | None,
) -> str:
    clauses = english.all_clauses
    front: dict[str, object] = {
        "translates": {"version": str(english.current.number), "sha256": english.digest}
    }
    if doc.cover.title:
        front["title"] = doc.cover.title
    # Only a Word export of this translation carries its summary (in the file's properties).
    identifier = doc.properties.get("identifier", "")
    ours = identifier.startswith(f"{TRANSLATION_IDENTIFIER}{language}:{english.slug}:")
    if ours and doc.properties.get("subject"):
        front["summary"] = doc.properties["subject"]
    elif replaced is not None and replaced.summary is not None:
        # a summary is translated apart from the sections: the one the replaced file gives
        # stays (the page marks it out of date if the English summary changed since)
        front["summary"] = replaced.summary
    front["translated_by"] = translated_by
    parts: list[str] = []
    previous = 0
    for index, section in enumerate(doc.sections):
        if index not in placed:
            continue
        clause = clauses[placed[index]]
        # the level the document gives it (a summary may give a subsection on its own, as a
        # section), never below its clause's, nor below a parent the summary leaves out
        depth = min(section.level, clause.depth, previous + 1)
        previous = depth
        parts.append(
            heading_markdown(dataclasses.replace(section, level=depth, clause_id=clause.id))
        )
        # a translation shows no pictures of its own: only the approved text's were approved
        parts += blocks_markdown([b for b in section.blocks if b.kind != "image"])
    body = "\n\n".join(p for p in parts if p)
    if (
        replaced is not None
        and replaced.checked_by is not None
        and replaced.translated_by == translated_by
        and replaced.body.strip() == body.strip()
    ):
        # the same translator's same text comes back (a round trip through Word): the check
        # of it still holds; any change of text or translator needs a new one
        front["checked_by"] = replaced.checked_by
    front["scope"] = scope
    return f"---\n{dump_yaml(front)}---\n\n{body}\n"
