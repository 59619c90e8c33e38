"""Load ``content/`` into the model, collecting every problem instead of stopping at the first."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from policypress.content.agreements import (
    LoadedAgreement,
    check_agreement_references,
    load_agreements,
)
from policypress.content.codeblocks import check_code_blocks
from policypress.content.confirm import front_matter_unconfirmed, unchosen_title
from policypress.content.history import HISTORY_FILE, History, read_history
from policypress.content.images import FreezeError, check_frozen_copies, check_images, frozen_text
from policypress.content.learning import LoadedPoints, check_point_references, load_points
from policypress.content.logo import logo_problems
from policypress.content.notation import parse_date_as_given
from policypress.content.pasted import check_pasted_text, hand_number
from policypress.content.posters import load_posters
from policypress.content.references import check_link, unpublished_hint
from policypress.content.schema import (
    RESERVED_IDS,
    FrontMatterFile,
    SchoolFile,
    TrustFile,
)
from policypress.content.validation import load_yaml_file, validate_document
from policypress.content.variables import check_variables
from policypress.core.colour import contrast_ratio
from policypress.core.dates import build_date
from policypress.core.diagnostics import Diagnostics, did_you_mean
from policypress.core.hashing import digest
from policypress.core.safefile import check_tree
from policypress.core.vocabulary import SLUG
from policypress.model import (
    TO_CONFIRM,
    UNCONFIRMED_TEXT,
    AdaptedFrom,
    Approval,
    ApprovedVersion,
    Clause,
    Contact,
    Content,
    Mode,
    Policy,
    PolicyImage,
    RelatedPolicy,
    School,
    Trust,
    review_status,
)
from policypress.model.variables import Variables
from policypress.source.frontmatter import (
    MarkdownDocument,
    read_markdown_document,
    split_front_matter,
)
from policypress.source.markdown import ParsedBody, create_parser, parse_body
from policypress.source.sourceyaml import Position, YamlDocument, parse_yaml

MIN_CONTRAST = 4.5
LOCAL_CLASS = "local"  # ``## Title {#id .local}``: a model's section each school writes
POLICY_FILE = "policy.md"
VERSIONS_DIR = "versions"


@dataclass(frozen=True)
class Sources:
    """Everything read from ``content/`` and ``quizzes/`` that does not depend on the build
    mode: read once, then assembled into the public content, the preview, or both."""

    root: Path
    school: School
    policies: list[_LoadedPolicy]
    agreements: list[LoadedAgreement]
    points: LoadedPoints
    icon_names: frozenset[str] | None
    trust: Trust | None = None  # a group project's trust (see content/group.py)


def load_content(
    root: Path,
    diags: Diagnostics,
    icon_names: frozenset[str] | None = None,
    mode: Mode = "public",
    quizzes: Path | None = None,
) -> Content | None:
    """Load and validate everything; returns None if any error was reported.

    ``icon_names`` are the pupil icons the templates provide (None: do not check icons).
    ``mode`` chooses which text of each policy the content holds (see :class:`Content`).
    """
    sources = read_sources(root, diags, icon_names, quizzes)
    return assemble(sources, mode, diags) if sources is not None else None


def read_sources(
    root: Path,
    diags: Diagnostics,
    icon_names: frozenset[str] | None = None,
    quizzes: Path | None = None,
    *,
    school: School | None = None,
    variables: Variables | None = None,
) -> Sources | None:
    """Read and validate every file; None if any error was reported. ``school``: the school
    (or trust) the content is read for in a group project, instead of ``school.yml``;
    ``variables``: the values ``{{ … }}`` show (default: ``school``'s)."""
    md = create_parser()
    errors_before = len(diags.errors)  # a group reads the models once per school
    # Before anything is opened: a FIFO, device or outside symlink would hang or leak.
    diags.readable.extend(p for p in (root, quizzes) if p is not None)
    for folder in (root, quizzes):
        if folder is not None:
            check_tree(folder, diags)
    if school is None:
        school = _load_school(root, diags)
    if variables is None and school is not None:
        variables = Variables.for_school(school)
    policies_dir = root / "policies"
    drafts: list[_LoadedPolicy] = []
    if not policies_dir.is_dir():
        diags.error(policies_dir, 0, 0, "folder not found; expected one folder per policy here")
    else:
        for folder in sorted(p for p in policies_dir.iterdir() if p.is_dir()):
            loaded = _load_policy(folder, md, school, diags, variables)
            if loaded is not None:
                drafts.append(loaded)
        if not drafts and len(diags.errors) == errors_before:
            diags.error(policies_dir, 0, 0, "no policies found; expected content/policies/<slug>/")
    agreements = load_agreements(
        root / "agreements",
        md,
        icon_names,
        diags,
        school.placeholder_pattern if school else None,
        variables,
    )
    points = load_points(quizzes, diags, icon_names)
    if school is None or len(diags.errors) > errors_before:
        return None
    return Sources(root, school, drafts, agreements, points, icon_names)


def assemble(sources: Sources, mode: Mode, diags: Diagnostics) -> Content | None:
    """The content a build of ``mode`` shows, with the checks that depend on it."""
    errors_before = len(diags.errors)
    shown = []
    drafts = sources.policies
    for loaded in drafts:
        text = loaded.for_mode(mode)
        if text is None:
            diags.warning(
                loaded.working.policy.source,
                1,
                1,
                loaded.unpublished_message
                or f"policy '{loaded.working.policy.slug}' has never been approved, so the "
                "public site leaves it out; approve it with 'policypress approve'",
            )
        else:
            shown.append(text)
    content = Content(
        root=sources.root,
        school=sources.school,
        policies=[t.policy for t in shown],
        agreements=[],
        mode=mode,
        points=sources.points.points,
        unpublished=frozenset(d.working.policy.slug for d in drafts if d.for_mode(mode) is None),
        archives={d.working.policy.slug: tuple(t.policy for t in d.approved) for d in drafts},
        trust=sources.trust,
    )
    check_point_references(content, sources.points, diags)
    posters = load_posters(sources.root / "posters", content, sources.icon_names, diags)
    _check_review_dates(content, build_date(), diags)
    for text in shown:
        _check_references(content, text, diags)
    # Each mode stamps its forms with the texts it shows, so each gets its own copies.
    agreements = [
        check_agreement_references(content, loaded, diags) for loaded in sources.agreements
    ]
    if len(diags.errors) > errors_before:
        return None
    return dataclasses.replace(content, posters=posters, agreements=agreements)


def _load_school(root: Path, diags: Diagnostics) -> School | None:
    path = root / "school.yml"
    if not os.path.lexists(path):  # anything else there is refused when read
        diags.error(path, 0, 0, "file not found; expected the school's details here")
        return None
    loaded = load_yaml_file(SchoolFile, path, diags, what="school.yml")
    if loaded is None:
        return None
    data, doc = loaded
    logo = check_details(root, path, data, doc, diags)
    return School(
        name=data.name,
        address=tuple(data.address),
        phase=data.phase,
        website=data.website,
        language=data.language,
        contacts=contacts_of(data),
        primary_colour=data.colours.primary,
        accent_colour=data.colours.accent,
        logo=logo,
        example=data.example,
        placeholder_pattern=data.placeholder_pattern,
        details=path,
    )


def contacts_of(data: SchoolFile | TrustFile) -> tuple[Contact, ...]:
    """The contacts a school's or a trust's details list, as the model holds them."""
    return tuple(Contact(c.id, c.role, c.email, c.name, c.phone) for c in data.contacts)


def check_details(
    root: Path, path: Path, data: SchoolFile | TrustFile, doc: YamlDocument, diags: Diagnostics
) -> Path | None:
    """The checks a school's and a trust's details share: contact ids once each, readable
    colours, a safe logo (relative to ``root``). Returns the logo's path, if any."""
    ids: set[str] = set()
    for index, contact in enumerate(data.contacts):
        if contact.id in ids:
            pos = doc.position(("contacts", index, "id"))
            diags.error_at(path, pos, f"duplicate contact id '{contact.id}'")
        ids.add(contact.id)
    for key, colour in (("primary", data.colours.primary), ("accent", data.colours.accent)):
        ratio = contrast_ratio(colour, "#ffffff")
        if ratio < MIN_CONTRAST:
            pos = doc.position(("colours", key))
            diags.error_at(
                path,
                pos,
                f"colours.{key} {colour} has contrast {ratio:.2f}:1 with white; expected at "
                f"least {MIN_CONTRAST}:1 so text on it stays readable (choose a darker colour)",
            )
    logo: Path | None = None
    if data.logo is not None:
        logo = (root / data.logo).resolve()
        pos = doc.position(("logo",))
        if not logo.is_relative_to(root.resolve()):
            diags.error_at(path, pos, f"logo '{data.logo}' is outside {root.name}/")
        elif not logo.is_file():
            diags.error_at(path, pos, f"logo file '{data.logo}' not found")
        elif logo.suffix.lower() not in (".svg", ".png"):
            diags.error_at(path, pos, f"logo '{data.logo}': expected an .svg or .png")
        else:
            for problem in logo_problems(logo):
                diags.error_at(path, pos, f"logo '{data.logo}' {problem}")
    return logo


@dataclass
class _LoadedText:
    """One policy text (the working draft or an approved snapshot), parsed and validated."""

    policy: Policy
    parsed: ParsedBody
    related_at: list[Position]


@dataclass
class _LoadedPolicy:
    approved: list[_LoadedText]
    working: _LoadedText
    unpublished_message: str | None = None  # why the public site leaves it out, if not approval

    def for_mode(self, mode: Mode) -> _LoadedText | None:
        """What a build shows: the newest approved text, or in a preview the working text."""
        if mode == "preview":
            return self.working
        return self.approved[-1] if self.approved else None


def _load_policy(
    folder: Path,
    md: MarkdownIt,
    school: School | None,
    diags: Diagnostics,
    variables: Variables | None = None,
) -> _LoadedPolicy | None:
    slug = folder.name
    source = folder / POLICY_FILE
    history_path = folder / HISTORY_FILE
    errors_before = len(diags.errors)
    if not SLUG.match(slug):
        diags.error(
            folder,
            0,
            0,
            f"policy folder name '{slug}' is not a valid slug; expected "
            "lowercase letters, digits and single hyphens, e.g. 'online-safety'",
        )
    if not os.path.lexists(source):
        diags.error(
            source, 0, 0, f"file not found; expected each policy folder to hold {POLICY_FILE}"
        )
        return None
    history = read_history(history_path, diags)
    if history is not None:
        for item in history.unconfirmed:
            diags.warning_at(item.path, item.at, item.message)
        for entry in history.entries:
            if entry.version.model is not None:
                diags.error_at(
                    history_path,
                    entry.at,
                    f"version {entry.version.number} names a model version; only a school's "
                    "adoption history (schools/<id>/policies/<slug>/history.yml in a group "
                    "of schools) records one, written by 'policypress adopt'",
                )
    working = _load_text(source, slug, md, school, diags, variables=variables)
    # With a broken history, snapshots cannot be matched to entries: fix the history first.
    snapshots = (
        _load_snapshots(folder, slug, history, md, school, diags, variables)
        if history is not None
        else None
    )
    if history is None or working is None or snapshots is None or len(diags.errors) > errors_before:
        return None
    # Each text is built once with its place in the history; nothing changes it afterwards.
    legacy = tuple(history.legacy)
    approved = [
        dataclasses.replace(
            text,
            policy=dataclasses.replace(
                text.policy,
                versions=tuple(e.version for e in history.entries[: index + 1]),
                history_source=history_path,
                is_latest=index == len(snapshots) - 1,
                legacy=legacy,
            ),
        )
        for index, text in enumerate(snapshots)
    ]
    if approved and working.policy.digest == approved[-1].policy.digest:
        shown = dataclasses.replace(
            working.policy, versions=approved[-1].policy.versions, is_latest=True, legacy=legacy
        )
    else:
        shown = dataclasses.replace(
            working.policy,
            is_draft=True,
            versions=(*(e.version for e in history.entries), _draft_version(history)),
            legacy=legacy,
        )
    return _LoadedPolicy(approved, dataclasses.replace(working, policy=shown))


def _draft_version(history: History) -> ApprovedVersion:
    """Stand-in history entry for a working draft: numbered as the next minor version (the
    first approval: as approve will number it)."""
    today = build_date()
    return ApprovedVersion(
        number=history.next_number("minor" if history.entries else "major"),
        date=today,
        kind="minor",
        note="Draft, not yet approved.",
        approval=Approval("Not yet approved", today, None),
        line=0,
        approved=False,
    )


def _load_snapshots(
    folder: Path,
    slug: str,
    history: History,
    md: MarkdownIt,
    school: School | None,
    diags: Diagnostics,
    variables: Variables | None = None,
) -> list[_LoadedText] | None:
    """The approved text of every history entry, each checked against its recorded hash."""
    versions_dir = folder / VERSIONS_DIR
    texts: list[_LoadedText] = []
    ok = check_frozen_copies(versions_dir, diags)
    expected = {f"{entry.version.number}.md" for entry in history.entries}
    legacy = {f"{item.version}.md" for item in history.legacy if item.version}
    if versions_dir.is_dir():
        for orphan in sorted(versions_dir.glob("*.md")):
            if orphan.name in legacy and orphan.name not in expected:
                diags.error(
                    orphan,
                    1,
                    1,
                    f"version {orphan.stem} is a legacy entry in {HISTORY_FILE} (its text is "
                    "not held), so it has no snapshot; expected no file here (to publish this "
                    "text, approve it as a new version with 'policypress approve')",
                )
                ok = False
            elif orphan.name not in expected:
                diags.error(
                    orphan,
                    1,
                    1,
                    f"snapshot of version {orphan.stem} has no entry in "
                    f"{HISTORY_FILE}; was its entry removed?",
                )
                ok = False
    for entry in history.entries:
        number = entry.version.number
        path = versions_dir / f"{number}.md"
        if not os.path.lexists(path):
            diags.error_at(
                folder / HISTORY_FILE,
                entry.at,
                f"version {number}: approved text {VERSIONS_DIR}/{number}.md is missing",
            )
            ok = False
            continue
        text = _load_text(path, slug, md, school, diags, snapshot=True, variables=variables)
        if text is None:
            ok = False
            continue
        if text.policy.digest != entry.sha256:
            diags.error(
                path,
                1,
                1,
                f"version {number} was changed after approval: its text "
                f"hashes to {text.policy.digest[:12]}…, but {HISTORY_FILE} recorded "
                f"{entry.sha256[:12]}… when it was approved",
            )
            ok = False
        texts.append(text)
    return texts if ok else None


def _load_text(
    source: Path,
    slug: str,
    md: MarkdownIt,
    school: School | None,
    diags: Diagnostics,
    *,
    snapshot: bool = False,
    text: str | None = None,
    variables: Variables | None = None,
) -> _LoadedText | None:
    """``source`` read and validated; with ``text``, that text as if read from ``source`` (a
    school's composed text, checked as an approved snapshot is)."""
    errors_before = len(diags.errors)
    document = (
        read_markdown_document(source, diags, what="the policy's sections")
        if text is None
        else _document_of(source, text, diags)
    )
    if document is None:
        return None
    text, doc, body_text, body_line = document
    meta = validate_document(FrontMatterFile, doc, diags, what="front matter") if doc else None
    # Variables show the school's values in every output; the text (and its hash) keeps them.
    if variables is None and school is not None:
        variables = Variables.for_school(school)
    parsed = parse_body(md, body_text, variables)
    if variables is not None:
        check_variables(
            source, parsed.variables, variables, diags, body_line - 1, snapshot=snapshot
        )
    # An approved snapshot cannot be edited any more, so style warnings about it are noise.
    clauses = _build_clauses(parsed, source, body_line, diags, warn=not snapshot)
    if not snapshot:  # an approved text cannot change: its PDF wraps any code it holds
        pattern = school.placeholder_pattern if school else None
        check_pasted_text(source, text, body_line, doc, diags, pattern)
        check_code_blocks(source, parsed.code, body_line - 1, diags)
    links = _shift(parsed, body_line).links
    images = check_images(source, links, diags, snapshot=snapshot)
    if meta is None or len(diags.errors) > errors_before:
        return None
    assert doc is not None  # meta is only set when the document parsed
    if school is None:  # school.yml has errors of its own; owners cannot be checked yet
        return None
    unconfirmed = front_matter_unconfirmed(source, doc, meta)
    unchosen = unchosen_title(source, meta)
    if unchosen and not snapshot:
        diags.warning_at(source, doc.position(("title",)), unchosen)
    for item in unconfirmed:
        if snapshot:  # approve refuses while any remains, so an approved text has none
            diags.error_at(
                source,
                item.at,
                f"{item.what} of approved version {source.stem} is 'to-confirm'; expected "
                "an approved text to say it (was this snapshot edited?)",
            )
        else:
            diags.warning_at(source, item.at, item.message)
    if snapshot and unconfirmed:
        return None
    owner = None if meta.owner == TO_CONFIRM else school.contact(meta.owner)
    if owner is None and meta.owner != TO_CONFIRM:
        pos = doc.position(("owner",))
        known = [c.id for c in school.contacts]
        hint = did_you_mean(meta.owner, known) or f"; expected one of: {', '.join(known)}"
        diags.error_at(
            source,
            pos,
            f"owner '{meta.owner}' is not a contact id in "
            f"{diags.location(school.details).path}{hint}",
        )
        return None
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
        versions=(),  # placed in its history by _load_policy
        source=source,
        history_source=source.parent / HISTORY_FILE,
        # A working text's digest is that of the snapshot approve would write, which names
        # each image by its hash: editing an image makes the policy a draft again.
        digest=digest(text if snapshot else _frozen(md, source, text, images, diags)),
        images=images,
        review_date=meta.next_review,
        adapted_from=_adapted_from(meta),
    )
    related_at = [doc.position(("related", index)) for index in range(len(related))]
    return _LoadedText(policy, parsed, related_at)


def _document_of(source: Path, text: str, diags: Diagnostics) -> MarkdownDocument | None:
    split = split_front_matter(text)
    if split is None:
        diags.error(source, 1, 1, "no front matter found in the composed text")
        return None
    front_text, body_text, body_line = split
    return text, parse_yaml(front_text, source, diags, line_offset=1), body_text, body_line


def _frozen(
    md: MarkdownIt, source: Path, text: str, images: tuple[PolicyImage, ...], diags: Diagnostics
) -> str:
    try:
        return frozen_text(md, text, images)
    except FreezeError as exc:
        diags.error(source, 1, 1, str(exc))
        return text


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


def _build_clauses(
    parsed: ParsedBody, source: Path, body_line: int, diags: Diagnostics, *, warn: bool = True
) -> tuple[Clause, ...]:
    offset = body_line - 1
    for token in parsed.preamble:
        if token.map and token.type not in ("hr",):
            diags.error(
                source,
                token.map[0] + 1 + offset,
                1,
                "text before the first section; expected every paragraph to be inside "
                "a section that starts with '## Title {#clause-id}'",
            )
            break
    for heading in parsed.headings_other:
        if heading.tag == "h1":
            message = (
                "level-1 heading '# …' found; the title comes from the front matter, "
                "so start sections at '##'"
            )
        else:
            message = f"heading level {heading.tag[1]} is too deep; expected '##' to '####'"
        diags.error(source, heading.line + offset, 1, message)

    top: list[_ClauseNode] = []
    stack: list[_ClauseNode] = []
    seen: dict[str, int] = {}
    for item in parsed.clauses:
        heading = item.heading
        line = heading.line + offset
        if heading.level > len(stack) + 1:
            diags.error(
                source,
                line,
                1,
                f"heading '{heading.title}' skips a level; expected {'#' * (len(stack) + 2)} here",
            )
            continue
        if not heading.title:
            diags.error(source, line, 1, "heading has no title; expected text after the '#'s")
        clause_id = heading.clause_id
        if clause_id is None:
            clause_id = _slugify(heading.title)
            if warn:
                diags.warning(
                    source,
                    line,
                    1,
                    f"heading '{heading.title}' has no explicit id; "
                    f"add '{{#{clause_id}}}' so links to it stay stable if the title "
                    "changes",
                )
        elif not SLUG.match(clause_id):
            diags.error(
                source,
                line,
                heading.col_of_id,
                f"clause id '{clause_id}' is not valid; "
                "expected lowercase letters, digits and single hyphens",
            )
        elif clause_id in RESERVED_IDS:
            diags.error(
                source,
                line,
                heading.col_of_id,
                f"clause id '{clause_id}' is used by the page itself; choose another id",
            )
        if clause_id in seen:
            diags.error(
                source,
                line,
                heading.col_of_id,
                f"duplicate clause id '{clause_id}' "
                f"(first used at line {seen[clause_id]}); expected each id once per policy",
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
                line,
                heading.level + 3,  # where the title starts, after the '#'s and a space
                f"heading '{heading.title}' starts with a hand-typed number '{typed.strip()}'; "
                f"policypress numbers sections itself, so it would read '{label} "
                f"{heading.title}': write '{'#' * (heading.level + 1)} "
                f"{heading.title[len(typed) :]}' instead",
            )
        for unknown in (c for c in heading.classes if c != LOCAL_CLASS):
            diags.error(
                source,
                line,
                heading.col_of_id,
                f"heading '{heading.title}' has the class '.{unknown}'; expected only "
                f"'.{LOCAL_CLASS}' (a local section each school writes) after the id",
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
            body_line,
            1,
            "policy has no sections; expected at least one '## Title {#clause-id}' heading",
        )
    return tuple(node.freeze() for node in top)


def _slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"


def _check_review_dates(content: Content, today: dt.date, diags: Diagnostics) -> None:
    """Warn from DUE_SOON_DAYS before a review falls due; overdue is a warning that fails
    ``--strict`` like every warning."""
    for policy in content.policies:
        if not policy.approved_versions:
            continue
        status = review_status(policy, today)
        due = policy.next_review
        where = policy.history_source
        line = policy.approved_versions[-1].line
        if status == "overdue":
            diags.warning(
                where,
                line,
                1,
                f"{policy.slug}: review overdue since {due} "
                f"({(today - due).days} days); approve a reviewed version",
            )
        elif status == "due-soon":
            diags.warning(
                where, line, 1, f"{policy.slug}: review due on {due} (in {(due - today).days} days)"
            )


def _check_references(content: Content, loaded: _LoadedText, diags: Diagnostics) -> None:
    policy, parsed = loaded.policy, loaded.parsed
    slugs = [p.slug for p in content.policies]
    for related, pos in zip(policy.related, loaded.related_at, strict=True):
        if related.slug in content.unpublished:
            # Not an error: policies that list each other could never be approved one by one.
            diags.warning_at(
                policy.source,
                pos,
                f"related policy '{related.slug}' has never been approved, so the public "
                "page leaves its link out until it is",
            )
        elif related.slug is not None and content.policy(related.slug) is None:
            diags.error_at(
                policy.source,
                pos,
                f"related policy '{related.slug}' "
                f"{unpublished_hint(content, related.slug) or 'not found'}"
                f"{did_you_mean(related.slug, slugs)}",
            )
    for link in parsed.links:
        if not link.image:  # images were checked as the text was read (content/images.py)
            check_link(content, link, policy.slug, policy.source, diags)
