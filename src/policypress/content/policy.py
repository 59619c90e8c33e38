"""The reader of one policy: its working text (``policy.md`` and the images it shows), its
history (``history.yml``) and every approved text (``versions/<n>.md``), each checked against
the history, as model objects that keep where each part was written.

``approve`` reads a working text with :func:`read_policy_text` (a school's composed text is
read by it too, through :func:`policypress.content.local.read_composed_text`); the loader
reads whole policy folders with :func:`read_policy`.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from policypress.content.codeblocks import check_code_blocks
from policypress.content.confirm import Unconfirmed, front_matter_unconfirmed, unchosen_title
from policypress.content.history import HISTORY_FILE, History, read_history
from policypress.content.images import check_frozen_copies, check_images, frozen_or_why
from policypress.content.notation import parse_date_as_given
from policypress.content.pasted import check_pasted_text, hand_number
from policypress.content.schema import RESERVED_IDS, FrontMatterFile
from policypress.content.validation import validate_document
from policypress.content.variables import check_variables
from policypress.core.dates import build_date
from policypress.core.diagnostics import WHOLE_FILE, Diagnostics, Position, ProjectPlace, Suggestion
from policypress.core.hashing import digest
from policypress.core.messages import gettext as _
from policypress.core.vocabulary import SLUG
from policypress.model import (
    TO_CONFIRM,
    UNCONFIRMED_TEXT,
    AdaptedFrom,
    Approval,
    ApprovedVersion,
    Clause,
    Mode,
    Policy,
    RelatedPolicy,
    School,
)
from policypress.model.variables import Variables
from policypress.source.frontmatter import MarkdownDocument, split_front_matter
from policypress.source.markdown import ParsedBody, parse_body
from policypress.source.sourceyaml import parse_yaml
from policypress.source.tree import SourceTree

LOCAL_CLASS = "local"  # ``## Title {#id .local}``: a model's section each school writes
POLICY_FILE = "policy.md"
VERSIONS_DIR = "versions"


@dataclass
class PolicyText:
    """One policy text (the working draft or an approved snapshot), parsed and validated."""

    policy: Policy
    parsed: ParsedBody
    related_at: list[Position]  # where the front matter lists each related policy
    # The text as read (a snapshot's: as approved): a group composes a school's text from a
    # model's and looks for school names in it without opening the file again.
    text: str
    # The text ``approve`` writes as the snapshot: each image pointed at its frozen copy
    # (``policy.images``; the text itself when it has none, and for a snapshot).
    frozen: str
    unconfirmed: tuple[Unconfirmed, ...]  # the front matter's 'to-confirm' values


@dataclass
class LoadedPolicy:
    """A policy folder read: its approved texts in history order and its working text."""

    approved: list[PolicyText]
    working: PolicyText
    # Where its texts were placed (a school's in a group: its adoptions), with the file's
    # text: ``approve`` and ``adopt`` append to it without opening the file again.
    history: History
    unpublished_message: str | None = None  # why the public site leaves it out, if not approval

    def for_mode(self, mode: Mode) -> PolicyText | None:
        """What a build shows: the newest approved text, or in a preview the working text."""
        if mode == "preview":
            return self.working
        return self.approved[-1] if self.approved else None


def read_policy(
    folder: Path,
    md: MarkdownIt,
    school: School | None,
    diags: Diagnostics,
    tree: SourceTree,
    variables: Variables | None,
) -> LoadedPolicy | None:
    """The policy in ``folder`` (``content/policies/<slug>/``), each text placed in its
    history; None after reporting every problem of its files."""
    slug = folder.name
    source = folder / POLICY_FILE
    history_path = folder / HISTORY_FILE
    errors_before = len(diags.errors)
    if not SLUG.match(slug):
        diags.error(
            folder,
            WHOLE_FILE,
            _(
                "policy folder name '%(slug)s' is not a valid slug; expected lowercase "
                "letters, digits and single hyphens, e.g. 'online-safety'"
            )
            % {"slug": slug},
        )
    if not os.path.lexists(source):
        diags.error(
            source,
            WHOLE_FILE,
            _("file not found; expected each policy folder to hold %(policy_file)s")
            % {"policy_file": POLICY_FILE},
        )
        return None
    history = read_history(history_path, diags, tree)
    if history is not None:
        for item in history.unconfirmed:
            diags.warning(item.path, item.at, item.message)
        for entry in history.entries:
            if entry.version.model is not None:
                diags.error(
                    history_path,
                    entry.at,
                    _(
                        "version %(number)s names a model version; only a school's adoption "
                        "history (schools/<id>/policies/<slug>/history.yml in a group of "
                        "schools) records one, written by 'policypress adopt'"
                    )
                    % {"number": entry.version.number},
                )
    working = read_policy_text(source, slug, md, school, diags, tree, variables=variables)
    # With a broken history, snapshots cannot be matched to entries: fix the history first.
    snapshots = (
        read_snapshots(folder, slug, history, md, school, diags, tree, variables)
        if history is not None
        else None
    )
    if history is None or working is None or snapshots is None or len(diags.errors) > errors_before:
        return None
    approved = placed_in_history(snapshots, history, history_path)
    legacy = tuple(history.legacy)
    if approved and working.policy.digest == approved[-1].policy.digest:
        shown = dataclasses.replace(
            working.policy, versions=approved[-1].policy.versions, is_latest=True, legacy=legacy
        )
    else:
        shown = dataclasses.replace(
            working.policy,
            is_draft=True,
            versions=(*(e.version for e in history.entries), draft_version(history)),
            legacy=legacy,
        )
    return LoadedPolicy(approved, dataclasses.replace(working, policy=shown), history)


def draft_version(history: History) -> ApprovedVersion:
    """Stand-in history entry for a working draft: numbered as the next minor version (the
    first approval: as approve will number it)."""
    today = build_date()
    return ApprovedVersion(
        number=history.next_number("minor" if history.entries else "major"),
        date=today,
        kind="minor",
        # shown in the draft's history table, in the language the content is read in
        note=_("Draft, not yet approved."),
        approval=Approval(_("Not yet approved"), today, None),
        line=0,
        approved=False,
    )


def placed_in_history(
    snapshots: Sequence[PolicyText], history: History, history_path: Path
) -> list[PolicyText]:
    """Each approved text with its place in ``history`` (the versions up to it, the model
    version an adoption names, the legacy versions before them, whether it is the latest):
    built once, here, for a school's policy and a group school's adopted one alike; nothing
    changes it afterwards."""
    legacy = tuple(history.legacy)
    last = len(snapshots) - 1
    return [
        dataclasses.replace(
            text,
            policy=dataclasses.replace(
                text.policy,
                versions=tuple(e.version for e in history.entries[: index + 1]),
                history_source=history_path,
                is_latest=index == last,
                legacy=legacy,
                model=history.entries[index].version.model,
            ),
        )
        for index, text in enumerate(snapshots)
    ]


def read_snapshots(
    folder: Path,
    slug: str,
    history: History,
    md: MarkdownIt,
    school: School | None,
    diags: Diagnostics,
    tree: SourceTree,
    variables: Variables | None,
) -> list[PolicyText] | None:
    """The approved text of every history entry, each checked against its recorded hash."""
    versions_dir = folder / VERSIONS_DIR
    texts: list[PolicyText] = []
    ok = check_frozen_copies(versions_dir, diags, tree)
    expected = {f"{entry.version.number}.md" for entry in history.entries}
    legacy = {f"{item.version}.md" for item in history.legacy if item.version}
    if versions_dir.is_dir():
        for orphan in sorted(versions_dir.glob("*.md")):
            if orphan.name in legacy and orphan.name not in expected:
                diags.error(
                    orphan,
                    Position(1, 1),
                    _(
                        "version %(version)s is a legacy entry in %(history_file)s (its text is "
                        "not held), so it has no snapshot; expected no file here (to publish this "
                        "text, approve it as a new version with 'policypress approve')"
                    )
                    % {"version": orphan.stem, "history_file": HISTORY_FILE},
                )
                ok = False
            elif orphan.name not in expected:
                diags.error(
                    orphan,
                    Position(1, 1),
                    _(
                        "snapshot of version %(version)s has no entry in %(history_file)s; was its "
                        "entry removed?"
                    )
                    % {"version": orphan.stem, "history_file": HISTORY_FILE},
                )
                ok = False
    for entry in history.entries:
        number = entry.version.number
        path = versions_dir / f"{number}.md"
        if not os.path.lexists(path):
            diags.error(
                folder / HISTORY_FILE,
                entry.at,
                _("version %(number)s: approved text %(versions_dir)s/%(number)s.md is missing")
                % {"number": number, "versions_dir": VERSIONS_DIR},
            )
            ok = False
            continue
        text = read_policy_text(
            path, slug, md, school, diags, tree, snapshot=True, variables=variables
        )
        if text is None:
            ok = False
            continue
        if text.policy.digest != entry.sha256:
            diags.error(
                path,
                Position(1, 1),
                _(
                    "version %(number)s was changed after approval: its text hashes to "
                    "%(digest)s…, but %(history_file)s recorded %(sha256)s… when it was "
                    "approved"
                )
                % {
                    "number": number,
                    "digest": text.policy.digest[:12],
                    "history_file": HISTORY_FILE,
                    "sha256": entry.sha256[:12],
                },
            )
            ok = False
        texts.append(text)
    return texts if ok else None


def read_policy_text(
    source: Path,
    slug: str,
    md: MarkdownIt,
    school: School | None,
    diags: Diagnostics,
    tree: SourceTree,
    *,
    snapshot: bool = False,
    text: str | None = None,
    variables: Variables | None,
) -> PolicyText | None:
    """``source`` read and validated (a working text, or with ``snapshot`` an approved one);
    with ``text``, that text as if read from ``source`` (a school's composed text, checked as
    an approved snapshot is). ``variables``: the values its ``{{ … }}`` show (None: the
    school's details could not be read). ``approve`` and ``adopt`` read the working text
    with this."""
    errors_before = len(diags.errors)
    document = (
        tree[source].markdown(diags, what=_("the policy's sections"))
        if text is None
        else _document_of(source, text, diags)
    )
    if document is None:
        return None
    text, doc, body_text, body_line = document
    meta = validate_document(FrontMatterFile, doc, diags, what=_("front matter")) if doc else None
    # Variables show the school's values in every output; the text (and its hash) keeps them.
    parsed = parse_body(md, body_text, variables)
    if variables is not None:
        check_variables(
            source, parsed.variables, variables, diags, body_line - 1, snapshot=snapshot
        )
    # An approved snapshot cannot be edited any more, so style warnings about it are noise.
    clauses = build_clauses(parsed, source, body_line, diags, warn=not snapshot)
    if not snapshot:  # an approved text cannot change: its PDF wraps any code it holds
        pattern = school.placeholder_pattern if school else None
        check_pasted_text(source, text, body_line, doc, diags, pattern)
        check_code_blocks(source, parsed.code, body_line - 1, diags)
    links = _shift(parsed, body_line).links
    images = check_images(source, links, diags, tree, snapshot=snapshot)
    # Frozen beside the images' check; a text that cannot be frozen is reported below, once
    # the text is otherwise sound, as approve would meet it.
    frozen, unfrozen = (text, None) if snapshot else frozen_or_why(md, text, images)
    if meta is None or len(diags.errors) > errors_before:
        return None
    assert doc is not None  # meta is only set when the document parsed
    if school is None:  # school.yml has errors of its own; owners cannot be checked yet
        return None
    unconfirmed = front_matter_unconfirmed(source, doc, meta)
    unchosen = unchosen_title(source, meta)
    if unchosen and not snapshot:
        diags.warning(source, doc.position(("title",)), unchosen)
    for item in unconfirmed:
        if snapshot:  # approve refuses while any remains, so an approved text has none
            diags.error(
                source,
                item.at,
                _(
                    "%(what)s of approved version %(version)s is 'to-confirm'; expected an "
                    "approved text to say it (was this snapshot edited?)"
                )
                % {"what": item.what, "version": source.stem},
            )
        else:
            diags.warning(source, item.at, item.message)
    if snapshot and unconfirmed:
        return None
    owner = None if meta.owner == TO_CONFIRM else school.contact(meta.owner)
    if owner is None and meta.owner != TO_CONFIRM:
        diags.error(
            source,
            doc.position(("owner",)),
            _("owner '%(owner)s' is not a contact id in %(path)s")
            % {"owner": meta.owner, "path": ProjectPlace(diags.root, school.details)},
            Suggestion(meta.owner, tuple(c.id for c in school.contacts)),
        )
        return None
    if unfrozen is not None:
        diags.error(source, Position(1, 1), unfrozen)
    related = tuple(
        RelatedPolicy(title=item, slug=item)
        if isinstance(item, str)
        else RelatedPolicy(title=item.title, url=item.url)
        for item in meta.related
    )
    policy = Policy(
        slug=slug,
        # An import that found no title: pages and PDFs say so, as for the summary
        title=UNCONFIRMED_TEXT if meta.title == TO_CONFIRM else meta.title,
        summary=meta.summary,
        owner=owner,
        audiences=tuple(dict.fromkeys(meta.audiences)),
        review_cycle_months=meta.review_cycle_months,
        related=related,
        clauses=clauses,
        versions=(),  # placed in its history by read_policy
        source=source,
        history_source=source.parent / HISTORY_FILE,
        # A working text's digest is that of the snapshot approve would write, which names
        # each image by its hash: editing an image makes the policy a draft again.
        digest=digest(frozen),
        images=images,
        review_date=meta.next_review,
        adapted_from=_adapted_from(meta),
    )
    related_at = [doc.position(("related", index)) for index in range(len(related))]
    return PolicyText(policy, parsed, related_at, text, frozen, tuple(unconfirmed))


def _document_of(source: Path, text: str, diags: Diagnostics) -> MarkdownDocument | None:
    split = split_front_matter(text)
    if split is None:
        diags.error(source, Position(1, 1), _("no front matter found in the composed text"))
        return None
    front_text, body_text, body_line = split
    return text, parse_yaml(front_text, source, diags, line_offset=1), body_text, body_line


def _adapted_from(meta: FrontMatterFile) -> AdaptedFrom | None:
    if meta.source is None:
        return None
    given = meta.source
    return AdaptedFrom(
        given.title,
        given.publisher,
        given.version,
        parse_date_as_given(given.date) if given.date else None,
    )


def _shift(parsed: ParsedBody, body_line: int) -> ParsedBody:
    for link in parsed.links:
        link.line += body_line - 1
    return parsed


@dataclass
class _ClauseNode:
    """A clause while its sub-clauses are still being read; frozen once the tree is done."""

    id: str
    number: tuple[int, ...]
    title: str
    line: int
    body: list[Token]
    children: list[_ClauseNode] = field(default_factory=list)
    local: bool = False
    offset: int = 0

    def freeze(self) -> Clause:
        return Clause(
            self.id,
            self.number,
            self.title,
            self.line,
            self.body,
            tuple(child.freeze() for child in self.children),
            self.local,
            self.offset,
        )


def build_clauses(
    parsed: ParsedBody, source: Path, body_line: int, diags: Diagnostics, *, warn: bool = True
) -> tuple[Clause, ...]:
    """The numbered tree of sections of a parsed body that starts at ``body_line``, each
    heading's problem reported where it is (``warn``: style warnings too)."""
    offset = body_line - 1
    for token in parsed.preamble:
        if token.map and token.type not in ("hr",):
            diags.error(
                source,
                Position(token.map[0] + 1 + offset, 1),
                _(
                    "text before the first section; expected every paragraph to be inside a "
                    "section that starts with '## Title {#clause-id}'"
                ),
            )
            break
    for heading in parsed.headings_other:
        if heading.tag == "h1":
            message = _(
                "level-1 heading '# …' found; the title comes from the front matter, "
                "so start sections at '##'"
            )
        else:
            message = _("heading level %(level)s is too deep; expected '##' to '####'") % {
                "level": heading.tag[1]
            }
        diags.error(source, Position(heading.line + offset, 1), message)

    top: list[_ClauseNode] = []
    stack: list[_ClauseNode] = []
    seen: dict[str, int] = {}
    for item in parsed.clauses:
        heading = item.heading
        line = heading.line + offset
        if heading.level > len(stack) + 1:
            diags.error(
                source,
                Position(line, 1),
                _("heading '%(title)s' skips a level; expected %(hashes)s here")
                % {"title": heading.title, "hashes": "#" * (len(stack) + 2)},
            )
            continue
        if not heading.title:
            diags.error(
                source, Position(line, 1), _("heading has no title; expected text after the '#'s")
            )
        clause_id = heading.clause_id
        if clause_id is None:
            clause_id = implicit_id(heading.title)
            if warn:
                diags.warning(
                    source,
                    Position(line, 1),
                    _(
                        "heading '%(title)s' has no explicit id; add '{#%(clause_id)s}' so links "
                        "to it stay stable if the title changes"
                    )
                    % {"title": heading.title, "clause_id": clause_id},
                )
        elif not SLUG.match(clause_id):
            diags.error(
                source,
                Position(line, heading.col_of_id),
                _(
                    "clause id '%(clause_id)s' is not valid; expected lowercase letters, "
                    "digits and single hyphens"
                )
                % {"clause_id": clause_id},
            )
        elif clause_id in RESERVED_IDS:
            diags.error(
                source,
                Position(line, heading.col_of_id),
                _("clause id '%(clause_id)s' is used by the page itself; choose another id")
                % {"clause_id": clause_id},
            )
        if clause_id in seen:
            diags.error(
                source,
                Position(line, heading.col_of_id),
                _(
                    "duplicate clause id '%(clause_id)s' (first used at line %(seen)s); "
                    "expected each id once per policy"
                )
                % {"clause_id": clause_id, "seen": seen[clause_id]},
            )
        seen.setdefault(clause_id, line)
        del stack[heading.level - 1 :]
        siblings = stack[-1].children if stack else top
        number = (*(stack[-1].number if stack else ()), len(siblings) + 1)
        typed = hand_number(heading.title)
        if warn and typed is not None:
            label = ".".join(map(str, number))
            diags.warning(
                source,
                Position(line, heading.level + 3),  # the title starts after the '#'s and a space
                _(
                    "heading '%(title)s' starts with a hand-typed number '%(typed)s'; "
                    "policypress numbers sections itself, so it would read '%(label)s "
                    "%(title)s': write '%(hashes)s %(rest)s' instead"
                )
                % {
                    "title": heading.title,
                    "typed": typed.strip(),
                    "label": label,
                    "hashes": "#" * (heading.level + 1),
                    "rest": heading.title[len(typed) :],
                },
            )
        for unknown in (c for c in heading.classes if c != LOCAL_CLASS):
            diags.error(
                source,
                Position(line, heading.col_of_id),
                _(
                    "heading '%(title)s' has the class '.%(unknown)s'; expected only "
                    "'.%(local_class)s' (a local section each school writes) after the id"
                )
                % {"title": heading.title, "unknown": unknown, "local_class": LOCAL_CLASS},
            )
        local = LOCAL_CLASS in heading.classes
        node = _ClauseNode(
            clause_id, number, heading.title, line, item.body, local=local, offset=offset
        )
        siblings.append(node)
        stack.append(node)
    if not parsed.clauses and not parsed.headings_other:
        diags.error(
            source,
            Position(body_line, 1),
            _("policy has no sections; expected at least one '## Title {#clause-id}' heading"),
        )
    return tuple(node.freeze() for node in top)


def implicit_id(title: str) -> str:
    """The id of a heading written without one (``check`` warns, and says to write it)."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"
