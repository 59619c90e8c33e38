"""``policypress import FILE --update SLUG``: an edited Word export read back as the new
working draft of a policy, every clause keeping its id.

The text the Word file was exported from is found by the identity the export records (its
SHA-256), exported again and read back the same way, so that each clause of the edited file
is compared with exactly what the export gave: a clause that reads the same keeps its
Markdown as written, and the report names what was added, removed, reworded or moved.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from policypress.build import check
from policypress.content.schema import RESERVED_IDS
from policypress.core.diagnostics import ContentError, did_you_mean
from policypress.core.files import write_atomic_bytes
from policypress.core.messages import gettext as _
from policypress.core.project import Project
from policypress.importer.docxin import (
    TrackChanges,
    UnreadableWord,
    WordClause,
    open_word,
    read_tracked_changes,
    read_word,
)
from policypress.importer.docxout import IDENTIFIER_PREFIX, export_docx, reference_doc
from policypress.importer.match import Assignment, Candidate, assign_ids
from policypress.importer.package import package_of
from policypress.importer.pandocrun import Node
from policypress.importer.translation import TRANSLATION_IDENTIFIER
from policypress.importer.wordast import fingerprint
from policypress.importer.wordmarkdown import Piece, assemble, relevel, render, source_clauses
from policypress.importer.wordparts import MAIN_PART
from policypress.importer.wordvariables import LOST_HINT, ClauseLost, written_out
from policypress.model import Content, Policy
from policypress.model.variables import Variables
from policypress.source.frontmatter import split_front_matter

ChangeKind = Literal["added", "removed", "reworded", "moved"]
# What to do with a clause whose {{ … }} variable was typed over with its value in Word.
LostVariables = Literal["refuse", "restore", "keep"]


class UpdateRefused(Exception):
    """The Word file cannot become the draft as it is; each problem is one message."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ClauseChange:
    kinds: tuple[ChangeKind, ...]
    id: str
    number: str  # its number in the new text (for a removed clause: in the old one)
    title: str
    was: str | None = None  # its old number, when it moved


@dataclass
class UpdateResult:
    policy_file: Path
    changes: list[ClauseChange]
    written: bool
    by_similarity: list[tuple[str, str, float]] = field(default_factory=list)  # id, title, score
    notices: list[str] = field(default_factory=list)
    # each clause's variables put back (or, with "keep", left written out)
    variables: list[ClauseLost] = field(default_factory=list)
    variables_kept: bool = False


@dataclass(frozen=True)
class _Read:
    """A clause read back from Word, with everything comparisons need."""

    clause: WordClause
    id: str
    number: str
    parent: str | None
    title_print: str
    body_print: str


def update_from_word(
    project: Project,
    slug: str,
    word_file: Path,
    track_changes: TrackChanges | None,
    *,
    replace_draft: bool = False,
    lost_variables: LostVariables = "refuse",
) -> UpdateResult:
    where = str(word_file)
    try:
        package = open_word(word_file)  # the one reading of the file: the rest reads this
        tracked = read_tracked_changes(package)
    except UnreadableWord as exc:
        raise UpdateRefused([f"{where}: {exc}"]) from None
    if tracked.total and track_changes is None:
        raise UpdateRefused(
            [
                _(
                    "%(file)s: the document still tracks %(insertions)s insertion(s) and "
                    "%(deletions)s deletion(s) (%(authors)s); expected none: accept or reject "
                    "them in Word (Review > Accept/Reject), or run again with --accept-changes "
                    "or --reject-changes"
                )
                % {
                    "file": where,
                    "insertions": sum(tracked.insertions.values()),
                    "deletions": sum(tracked.deletions.values()),
                    "authors": tracked.by_author(),
                }
            ]
        )
    content, diags = check(project, "preview")
    if content is None:
        raise ContentError(diags)
    working = content.policy(slug)
    if working is None:
        slugs = [p.slug for p in content.policies]
        raise UpdateRefused(
            [
                _("no policy '%(slug)s'%(suggestion)s")
                % {"slug": slug, "suggestion": did_you_mean(slug, slugs)}
            ]
        )
    word = read_word(package, track_changes or "accept")
    if word.problems:
        raise UpdateRefused([f"{where}: {problem}" for problem in word.problems])
    notices = [_left_out(where, what) for what in word.dropped]
    base = _exported_text(content, working, word.identifier, where, notices, replace_draft)
    base_word = _read_back(project, content, base)
    base_clauses = base.all_clauses
    assignments = assign_ids(
        [
            Candidate(w.title_text, w.body_text, id=c.id)
            for w, c in zip(base_word, base_clauses, strict=True)
        ],
        [Candidate(w.title_text, w.body_text, tuple(w.bookmarks)) for w in word.clauses],
        {*RESERVED_IDS, *(c.id for old in content.archive(slug) for c in old.all_clauses)},
    )
    old = _readings(base_word, [c.id for c in base_clauses])
    new = _readings(word.clauses, [a.id for a in assignments])
    changes = _changes(old, new)
    result = UpdateResult(
        working.source,
        changes,
        written=False,
        by_similarity=[
            (a.id, w.title_text, a.score)
            for a, w in zip(assignments, word.clauses, strict=True)
            if a.how == "similarity"
        ],
        notices=notices,
    )
    current = working.source.read_text(encoding="utf-8")
    values = Variables.for_school(content.school, content.trust)
    text = current
    if changes:
        text, lost = _new_text(current, base, old, new, assignments, values, lost_variables)
        if lost and lost_variables == "refuse":
            said = [sentence for clause in lost for sentence in clause.messages(where)]
            raise UpdateRefused([*said, _(LOST_HINT) % {"file": where}])
        result.variables, result.variables_kept = lost, lost_variables == "keep"
    if text != current:
        write_atomic_bytes(working.source, text.encode("utf-8"))
        result.written = True
    return result


def _exported_text(
    content: Content,
    working: Policy,
    identifier: str,
    where: str,
    notices: list[str],
    replace_draft: bool,
) -> Policy:
    """The text the Word file was exported from (by the identity the export recorded)."""
    if identifier.startswith(TRANSLATION_IDENTIFIER):
        # a translation read as the policy's new text would replace it with another language
        language = identifier.removeprefix(TRANSLATION_IDENTIFIER).split(":")[0]
        raise UpdateRefused(
            [
                _(
                    "%(file)s: exported as the '%(language)s' translation of %(slug)s, not as "
                    "its text; import it with --translation-of %(slug)s --language %(language)s"
                )
                % {"file": where, "language": language, "slug": working.slug}
            ]
        )
    exported_slug, _colon, exported_digest = identifier.removeprefix(IDENTIFIER_PREFIX).partition(
        ":"
    )
    if not identifier.startswith(IDENTIFIER_PREFIX):
        notices.append(
            _(
                "%(file)s: not marked as a policypress export; clause ids are matched with the "
                "working text of %(slug)s by bookmark and by similarity"
            )
            % {"file": where, "slug": working.slug}
        )
        return working
    if exported_slug != working.slug:
        raise UpdateRefused(
            [
                _(
                    "%(file)s: exported from policy '%(exported)s', not '%(slug)s'; expected "
                    "--update %(exported)s"
                )
                % {"file": where, "exported": exported_slug, "slug": working.slug}
            ]
        )
    texts = [working, *reversed(content.archive(working.slug))]
    base = next((t for t in texts if t.digest == exported_digest), None)
    if base is None:
        notices.append(
            _(
                "%(file)s: exported from a text of %(slug)s that is neither the working text "
                "nor an approved version; clause ids are matched with the working text"
            )
            % {"file": where, "slug": working.slug}
        )
        return working
    if base is not working and base.digest != working.digest and not replace_draft:
        raise UpdateRefused(
            [
                _(
                    "%(file)s: exported from version %(version)s, but %(name)s has changed "
                    "since (a working draft); importing would replace those changes. Export "
                    "the draft ('policypress export-docx %(slug)s --draft') and edit that, or "
                    "give --replace-draft"
                )
                % {
                    "file": where,
                    "version": base.version_label,
                    "name": working.source.name,
                    "slug": working.slug,
                }
            ]
        )
    return base


def _left_out(where: str, what: str) -> str:
    """The notice that the Word file's ``what`` (a key from wordast.py) was left out."""
    words = {"file": where}
    if what == "image":
        return _("%(file)s: left out an image: policy Markdown has no place for it") % words
    if what == "footnote":
        return _("%(file)s: left out a footnote: policy Markdown has no place for it") % words
    return _("%(file)s: left out raw Word markup: policy Markdown has no place for it") % words


def _read_back(project: Project, content: Content, policy: Policy) -> list[WordClause]:
    """``policy`` exported and read back: what the Word file held before anyone edited it."""
    body = _body(policy.source.read_text(encoding="utf-8"))
    data = export_docx(policy, content, body, reference_doc(project))
    clauses = read_word(package_of(data, MAIN_PART, "Word (.docx)")).clauses
    if len(clauses) != len(policy.all_clauses):  # the export makes one heading per clause
        raise RuntimeError(f"export of {policy.slug} read back with {len(clauses)} headings")
    return clauses


def _body(text: str) -> str:
    split = split_front_matter(text)
    assert split is not None  # check() has read this file
    return split[1]


def _readings(clauses: list[WordClause], ids: list[str]) -> list[_Read]:
    """Each clause with its id, number, parent, and its heading and text made comparable:
    links point at clause ids (pandoc's reader points them at names of its own)."""
    targets: dict[str, str] = {}
    for clause, clause_id in zip(clauses, ids, strict=True):
        for name in (clause.anchor, *clause.bookmarks):
            targets.setdefault(name, clause_id)
    readings: list[_Read] = []
    counters: list[int] = []
    parents: list[str] = []
    for clause, clause_id in zip(clauses, ids, strict=True):
        clause.title = _retarget(clause.title, targets)
        clause.body = _retarget(clause.body, targets)
        del counters[clause.level :]
        del parents[clause.level - 1 :]
        counters += [0] * (clause.level - len(counters))
        counters[clause.level - 1] += 1
        readings.append(
            _Read(
                clause,
                clause_id,
                ".".join(map(str, counters)),
                parents[-1] if parents else None,
                fingerprint(clause.title),
                fingerprint(clause.body),
            )
        )
        parents.append(clause_id)
    return readings


def _retarget(nodes: list[Node], targets: dict[str, str]) -> list[Node]:
    def walk(value: object) -> object:
        if isinstance(value, list):
            return [walk(item) for item in value]
        if not isinstance(value, dict):
            return value
        if value.get("t") == "Link":
            attr, inlines, (href, title) = value["c"]
            if href.startswith("#") and href[1:] in targets:
                href = f"#{targets[href[1:]]}"
            return {"t": "Link", "c": [attr, walk(inlines), [href, title]]}
        return {key: walk(item) for key, item in value.items()}

    walked = walk(nodes)
    assert isinstance(walked, list)
    return walked


def _changes(old: list[_Read], new: list[_Read]) -> list[ClauseChange]:
    old_by_id = {r.id: r for r in old}
    new_ids = {r.id for r in new}
    kept_old = [r.id for r in old if r.id in new_ids]
    kept_new = [r.id for r in new if r.id in old_by_id]
    matcher = difflib.SequenceMatcher(None, kept_old, kept_new, autojunk=False)
    in_order = {kept_new[b.b + i] for b in matcher.get_matching_blocks() for i in range(b.size)}
    changes: list[ClauseChange] = []
    for reading in new:
        before = old_by_id.get(reading.id)
        title = reading.clause.title_text
        if before is None:
            changes.append(ClauseChange(("added",), reading.id, reading.number, title))
            continue
        kinds: list[ChangeKind] = []
        if (reading.title_print, reading.body_print) != (before.title_print, before.body_print):
            kinds.append("reworded")
        moved = reading.id not in in_order or reading.parent != before.parent
        if moved or reading.clause.level != before.clause.level:
            kinds.append("moved")
        if kinds:
            was = before.number if "moved" in kinds else None
            changes.append(ClauseChange(tuple(kinds), reading.id, reading.number, title, was))
    for reading in old:
        if reading.id not in new_ids:
            changes.append(
                ClauseChange(("removed",), reading.id, reading.number, reading.clause.title_text)
            )
    return changes


def _new_text(
    current: str,
    base: Policy,
    old: list[_Read],
    new: list[_Read],
    assignments: list[Assignment],
    values: Variables,
    lost_variables: LostVariables,
) -> tuple[str, list[ClauseLost]]:
    """policy.md with its own front matter and the Word file's clauses: unchanged headings
    and texts exactly as the exported text wrote them, the rest from the Word file; and the
    variables written out in Word, clause by clause (put back, with "restore")."""
    current_lines = current.split("\n")
    split = split_front_matter(current)
    assert split is not None
    front = current_lines[: split[2] - 1]
    source = source_clauses(_body(base.source.read_text(encoding="utf-8")))
    pieces: list[Piece] = []
    for reading, assignment in zip(new, assignments, strict=True):
        piece = Piece(
            reading.id,
            reading.clause.level,
            title_tree=reading.clause.title,
            body_tree=reading.clause.body,
        )
        if assignment.base is not None:
            before, written = old[assignment.base], source.clauses[assignment.base]
            if reading.title_print == before.title_print:
                same_level = reading.clause.level == before.clause.level
                piece.heading = (
                    written.heading if same_level else relevel(written.heading, piece.level)
                )
            if reading.body_print == before.body_print:
                piece.body = written.body
            elif len(written.blocks) == len(before.clause.body):
                piece.body_parts = _edited_blocks(before.clause.body, written.blocks, reading)
        pieces.append(piece)
    render(pieces)
    lost = written_out(
        [
            (reading.number, reading.id, source.clauses[assignment.base], piece)
            for reading, assignment, piece in zip(new, assignments, pieces, strict=True)
            if assignment.base is not None
        ],
        values,
        put_back=lost_variables == "restore",
    )
    return assemble(front, source.preamble, pieces), lost


def _edited_blocks(
    old: list[Node], written: list[list[str]], reading: _Read
) -> list[tuple[list[str] | None, list[Node]]]:
    """An edited body as runs of blocks: those that read the same keep their lines (a table's
    layout, a list's markers), the others are written anew."""
    new = reading.clause.body
    matcher = difflib.SequenceMatcher(
        None, [fingerprint(b) for b in old], [fingerprint(b) for b in new], autojunk=False
    )
    parts: list[tuple[list[str] | None, list[Node]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts += [(written[i], []) for i in range(i1, i2)]
        elif j2 > j1:
            parts.append((None, new[j1:j2]))
    return parts


def describe(result: UpdateResult, project: Project) -> list[str]:
    """The terminal report: one line per changed clause, with its number and id."""
    where = project.relative(result.policy_file)
    if not result.changes:
        return [_("%(file)s: no changes: the Word file holds the same text") % {"file": where}]
    counts = {
        kind: sum(kind in change.kinds for change in result.changes)
        for kind in ("reworded", "added", "removed", "moved")
    }
    counted = {"file": where, **counts}
    lines = [
        (
            _(
                "Updated %(file)s (the working draft): %(reworded)s reworded, %(added)s added, "
                "%(removed)s removed, %(moved)s moved"
            )
            if result.written
            else _(
                "Would update %(file)s (the working draft): %(reworded)s reworded, %(added)s "
                "added, %(removed)s removed, %(moved)s moved"
            )
        )
        % counted
    ]
    width = max(len(change.id) for change in result.changes)
    for change in result.changes:
        was = f" (was {change.was})" if change.was and change.was != change.number else ""
        lines.append(
            f"  {' and '.join(change.kinds):<20} {change.number:<8} {change.id:<{width}}  "
            f"{change.title}{was}"
        )
    for clause in result.variables:
        lines += clause.describe(kept=result.variables_kept)
    for clause_id, title, score in result.by_similarity:
        lines.append(
            _(
                "  id '%(id)s' kept for '%(title)s' by similarity (%(score).2f): its heading "
                "had lost its bookmark"
            )
            % {"id": clause_id, "title": title, "score": score}
        )
    return lines
