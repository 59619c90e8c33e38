"""Governors' approval of a policy's working text, as ``policypress approve`` records it: the
text frozen as the next approved version.

Writes two plain-text files, both atomically and only after every check has passed (through
:func:`~policypress.commands.recording.record_version`): the snapshot ``versions/<v>.md``
(never edited again) and one new entry appended to ``history.yml``, so the change reads well
in ``git diff``.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from policypress.commands.recording import (
    ApprovalRefused,
    ContentNotSound,
    Kind,
    NewVersion,
    holds_text,
    record_version,
    visible_value,
)
from policypress.content.history import HISTORY_FILE, History, read_history
from policypress.content.images import IMAGES_DIR, MAX_IMAGE_BYTES
from policypress.content.policy import (
    POLICY_FILE,
    VERSIONS_DIR,
    LoadedPolicy,
    PolicyText,
    read_policy,
    read_policy_text,
)
from policypress.content.school import SCHOOL_FILE, read_school, read_trust
from policypress.core.dates import add_months, build_date
from policypress.core.diagnostics import ContentError, Diagnostics, did_you_mean
from policypress.core.errors import PolicypressError
from policypress.core.files import write_atomic_bytes
from policypress.core.hashing import canonical_text, digest
from policypress.core.messages import N_
from policypress.core.messages import gettext as _
from policypress.core.project import TRUST_FILE, Project
from policypress.core.visible import says_nothing
from policypress.core.vocabulary import SLUG
from policypress.model import (
    TO_CONFIRM,
    Approval,
    ApprovedVersion,
    PolicyImage,
    School,
    VersionNumber,
)
from policypress.model.variables import Variables
from policypress.source.markdown import create_parser
from policypress.source.tree import SourceTree, read_tree


@dataclass(frozen=True)
class ApprovalRequest:
    slug: str
    body: str
    meeting: dt.date
    minute: str | None  # None: the meeting kept no minute reference
    kind: Kind
    note: str
    # When the version takes effect. Default: the meeting's date, never today — a clerk
    # recording an old meeting must not make an overdue review look on time.
    date: dt.date | None = None


@dataclass(frozen=True)
class ApprovalRecord:
    number: VersionNumber
    date: dt.date
    next_review: dt.date
    snapshot: Path
    history: Path
    sha256: str
    # How the number was chosen, when it is not simply the next one (the first approval
    # after legacy versions); the command prints it.
    numbering: str | None = None


# Longest value of each free-text option: enough for any real body, minute or change note,
# short enough that a paste of the wrong thing (a whole document) is caught.
_LIMITS = {"body": 120, "minute": 120, "note": 500}
# What the command line calls each of a request's values; the studio calls them by its
# form's labels instead (see :func:`value_problems`).
OPTIONS: Mapping[str, str] = {"body": "--by", "minute": "--minute", "note": "--note"}


@dataclass(frozen=True)
class ValueProblem:
    """A problem with one of a request's values: ``value`` names it as the request's field
    does (``body``, ``minute``, ``note``, ``meeting``, ``date``, ``slug``; None: the request
    as a whole), so a form can show the message at its field without reading the message."""

    value: str | None
    message: str


def request_problems(request: ApprovalRequest, today: dt.date) -> list[str]:
    """Everything wrong with the command line's values, found before anything is read or
    written. These values go into the hash chain for good, so they must be right first time."""
    return [problem.message for problem in value_problems(request, today)]


def value_problems(
    request: ApprovalRequest, today: dt.date, names: Mapping[str, str] = OPTIONS
) -> list[ValueProblem]:
    """:func:`request_problems`, each with the value it is about; ``names``: what the
    messages call the free-text values (the command line's options by default)."""
    problems = []
    if not SLUG.match(request.slug):
        problems.append(
            ValueProblem(
                "slug",
                _(
                    "'%(slug)s' is not a policy name; expected the policy's folder name: "
                    "lowercase letters, digits and single hyphens"
                )
                % {"slug": visible_value(request.slug)},
            )
        )
    for key, value in (
        ("body", request.body),
        ("minute", request.minute),
        ("note", request.note),
    ):
        if value is None:  # only --minute may be left out
            continue
        option = names[key]
        message = None
        if value.strip() == TO_CONFIRM:
            # It would go into the hash chain for good, and then block every later approval.
            message = (
                _(
                    "%(option)s is 'to-confirm'; expected the real value (leave --minute out "
                    "when the meeting kept no minute)"
                )
                % {"option": option}
                if key == "minute" and option == OPTIONS[key]
                else _("%(option)s is 'to-confirm'; expected the real value") % {"option": option}
            )
        elif not value.strip():
            message = _("%(option)s is empty; expected some text") % {"option": option}
        elif says_nothing(value):
            message = _(
                "%(option)s '%(value)s' is made only of characters that show nothing "
                "(invisible or blank characters); expected some text a reader can see"
            ) % {"option": option, "value": visible_value(value)}
        elif any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in value):
            message = _(
                "%(option)s '%(value)s' contains a line break or control character; "
                "expected one line of plain text"
            ) % {"option": option, "value": visible_value(value)}
        elif len(value.strip()) > _LIMITS[key]:
            message = _("%(option)s is %(length)s characters long; expected at most %(limit)s") % {
                "option": option,
                "length": len(value.strip()),
                "limit": _LIMITS[key],
            }
        if message is not None:
            problems.append(ValueProblem(key, message))
    if request.meeting > today:
        problems.append(
            ValueProblem(
                "meeting",
                _(
                    "the meeting date %(meeting)s is in the future (today is %(today)s); record "
                    "an approval after the meeting"
                )
                % {"meeting": request.meeting, "today": today},
            )
        )
    if request.date is not None and request.date > today:
        # The public build publishes the newest approved version at once, so a future
        # "in force from" date would publish it early.
        problems.append(
            ValueProblem(
                "date",
                _(
                    "date %(date)s is in the future; record the approval on or after the day "
                    "the version takes effect"
                )
                % {"date": request.date},
            )
        )
    return problems


class DraftNotSound(ContentNotSound):
    """``check`` reports errors in the working texts: nothing can be approved until they are
    put right."""

    refusal = N_("policypress: cannot approve while check reports errors")


def approve_working_text(
    project: Project, request: ApprovalRequest, notice: Callable[[str], None]
) -> ApprovalRecord:
    """Everything ``policypress approve`` does before it reports, for the command line and
    the studio alike: the request checked, a leftover snapshot of this text replaced (said
    through ``notice``), the working texts checked as ``check`` checks them, then
    :func:`approve`. Raises :class:`ApprovalRefused`, :class:`DraftNotSound` or a
    :class:`PolicypressError` naming a policy there is none of; nothing is written then."""
    from policypress.build import check  # the whole pipeline, only when approving

    # The values go into the hash chain for good: all of them are checked before anything.
    if problems := request_problems(request, build_date()):
        raise ApprovalRefused(*problems)
    # The snapshot an interrupted approval of this very text left behind (written, but not
    # its history entry) holds nothing the working text does not: it is removed, and this
    # approval writes it again with its entry.
    leftover = leftover_snapshot(project, request.slug, request.kind)
    if leftover is not None:
        notice(
            _(
                "policypress: notice: replacing %(leftover)s, left without its history "
                "entry by an interrupted approval of this same text"
            )
            % {"leftover": project.relative(leftover)}
        )
        leftover.unlink()
    # The working texts must be sound; the public build may still miss a policy that this
    # approval is about to publish for the first time.
    preview, diags = check(project, "preview")
    if diags.errors:
        raise DraftNotSound(diags)
    policy = preview.policy(request.slug) if preview else None
    if policy is None:
        slugs = [p.slug for p in preview.policies] if preview else []
        raise PolicypressError(
            _("no policy '%(slug)s'%(did_you_mean)s")
            % {"slug": request.slug, "did_you_mean": did_you_mean(request.slug, slugs)}
        )
    return approve(project, Diagnostics(project.root), request, policy.review_cycle_months)


def next_numbers(project: Project, slug: str) -> dict[Kind, VersionNumber] | None:
    """The version a major and a minor approval of ``slug`` would record now (only major for
    a policy never approved: its first approval is a major version), read as ``approve``
    numbers it; None when the policy's history cannot be read."""
    if not SLUG.match(slug):
        return None
    diags = Diagnostics(project.root)
    path = project.content / "policies" / slug / HISTORY_FILE
    history = read_history(path, diags, read_tree(diags, [path]))
    if history is None:
        return None
    kinds: tuple[Kind, ...] = ("major", "minor") if history.last is not None else ("major",)
    return {kind: history.next_number(kind) for kind in kinds}


def unconfirmed_count(project: Project, slug: str) -> int:
    """How many 'to-confirm' values the working text and history of ``slug`` still hold:
    what :func:`approve` refuses while any remains (0 when the policy cannot be read; check
    reports why)."""
    if not SLUG.match(slug):
        return 0
    diags = Diagnostics(project.root)
    folder = project.content / "policies" / slug
    loaded = read_policy_folder(project, folder, diags, policy_tree(project, folder, diags))
    if loaded is None:
        return 0
    return len(loaded.working.unconfirmed) + len(loaded.history.unconfirmed)


def leftover_snapshot(project: Project, slug: str, kind: Kind) -> Path | None:
    """The snapshot an interrupted approval of the current working text left without its
    history entry, if there is one: the next approval may replace it. (A leftover snapshot
    of some other text is not this, and still stops the approval.)"""
    if not SLUG.match(slug):
        return None
    quiet = Diagnostics(project.root)
    # The leftover has no history entry, so the policy's reader would refuse the folder:
    # its history and working text are read on their own, by the readers it composes.
    folder = project.content / "policies" / slug
    tree = policy_tree(project, folder, quiet)
    history = read_history(folder / HISTORY_FILE, quiet, tree)
    working = _read_working_text(project, folder, quiet, tree)
    if history is None or working is None or (not history.entries and kind == "minor"):
        return None
    number = history.next_number(kind)
    snapshot = folder / VERSIONS_DIR / f"{number}.md"
    return snapshot if holds_text(snapshot, canonical_text(working.frozen), tree) else None


def policy_tree(project: Project, folder: Path, diags: Diagnostics) -> SourceTree:
    """What approving the policy in ``folder`` reads, each file once: the policy's folder
    and the details it is read with (the school's, or in a group the trust's)."""
    details = project.root / TRUST_FILE if project.is_group else project.content / SCHOOL_FILE
    return read_tree(diags, [details, folder])


def read_with(
    project: Project, diags: Diagnostics, tree: SourceTree
) -> tuple[School, Variables] | None:
    """The school whose details a policy of ``project`` is read with, and the values its
    ``{{ … }}`` show, as ``check`` reads it: in a group, the trust standing in for a school,
    with the models' variables."""
    if project.is_group:
        trust = read_trust(project.root, diags, tree)
        return (trust.as_school(), Variables.for_model(trust)) if trust is not None else None
    school = read_school(project.content, diags, tree)
    return (school, Variables.for_school(school)) if school is not None else None


def _read_working_text(
    project: Project, folder: Path, diags: Diagnostics, tree: SourceTree
) -> PolicyText | None:
    reading = read_with(project, diags, tree)
    if reading is None:
        return None
    school, variables = reading
    source = folder / POLICY_FILE
    return read_policy_text(
        source, folder.name, create_parser(), school, diags, tree, variables=variables
    )


def read_policy_folder(
    project: Project, folder: Path, diags: Diagnostics, tree: SourceTree
) -> LoadedPolicy | None:
    reading = read_with(project, diags, tree)
    if reading is None:
        return None
    school, variables = reading
    return read_policy(folder, create_parser(), school, diags, tree, variables)


def _unconfirmed_images(working: PolicyText) -> None:
    """Refuses a working text whose images still have 'to-confirm' as alternative text."""
    unconfirmed = [
        link for link in working.parsed.links if link.image and link.alt.lower() == TO_CONFIRM
    ]
    if unconfirmed:
        raise ApprovalRefused(
            *(
                _(
                    "%(file)s:%(line)s:%(col)s: image '%(href)s' still has 'to-confirm' as its "
                    "alternative text; describe what it shows first"
                )
                % {"file": POLICY_FILE, "line": link.line, "col": link.col, "href": link.href}
                for link in unconfirmed
            )
        )


def approve(
    project: Project, diags: Diagnostics, request: ApprovalRequest, review_cycle_months: int
) -> ApprovalRecord:
    """Record the approval. The caller has already run ``check`` with no errors.

    Everything is checked first, the new history text included (through the same parser
    and chain check as ``check``); only then is anything written: the snapshot, then the
    history entry. A crash between the two leaves a snapshot without an entry, never an
    entry without its text, and the next ``approve`` of the same text replaces it."""
    today = build_date()
    problems = request_problems(request, today)
    if problems:
        raise ApprovalRefused(*problems)
    folder = project.content / "policies" / request.slug
    history_path = folder / HISTORY_FILE
    # Read as check reads it, each file once; the images' bytes are kept for the frozen
    # copies, so what is written is what was checked.
    tree = policy_tree(project, folder, diags)
    loaded = read_policy_folder(project, folder, diags, tree)
    if loaded is not None:
        _unconfirmed_images(loaded.working)
    image_bytes = _image_bytes(loaded.working.policy.images, diags, tree) if loaded else None
    if loaded is None or image_bytes is None:
        raise ContentError(diags)
    history, working = loaded.history, loaded.working
    review_date, unconfirmed = working.policy.review_date, working.unconfirmed
    text = canonical_text(working.frozen)
    sha256 = digest(working.frozen)
    last = history.last
    if last is not None and last.sha256 == sha256:
        raise ApprovalRefused(
            _(
                "nothing to approve: %(slug)s/%(policy_file)s is the same as approved "
                "version %(number)s"
            )
            % {"slug": request.slug, "policy_file": POLICY_FILE, "number": last.version.number}
        )
    number = history.next_number(request.kind)
    if last is None and request.kind == "minor":
        raise ApprovalRefused(
            _(
                "the first approval of a policy is a new major version "
                "(%(number)s%(after_legacy)s); use --major"
            )
            % {"number": number, "after_legacy": _after_legacy(history)}
        )
    date = request.date or request.meeting
    problems = [
        _("%(location)s: %(what)s is still 'to-confirm'; write it in before approving")
        % {"location": diags.location(item.path, item.at.line, item.at.col), "what": item.what}
        for item in (*unconfirmed, *history.unconfirmed)
    ]
    if history.legacy and date < history.legacy[-1].date.earliest:
        legacy = history.legacy[-1]
        problems.append(
            _(
                "date %(date)s is before the last legacy version's date '%(legacy)s' (from "
                "%(earliest)s); dates may not go backwards"
            )
            % {"date": date, "legacy": legacy.date.text, "earliest": legacy.date.earliest}
        )
    if review_date is not None and review_date <= date:
        problems.append(
            _(
                "next_review %(review)s in %(file)s is not after the date the version takes "
                "effect (%(date)s); set the next review date, or remove next_review to use the "
                "review cycle"
            )
            % {"review": review_date, "file": POLICY_FILE, "date": date}
        )
    if request.meeting > date:
        problems.append(
            _(
                "the meeting (%(meeting)s) is after the date the version takes effect "
                "(%(date)s); give --date on or after the meeting"
            )
            % {"meeting": request.meeting, "date": date}
        )
    if last is not None and date < last.version.date:
        problems.append(
            _(
                "date %(date)s is before version %(number)s's date %(last)s; dates may not go "
                "backwards"
            )
            % {"date": date, "number": last.version.number, "last": last.version.date}
        )
    snapshot = folder / VERSIONS_DIR / f"{number}.md"
    if snapshot.exists() and not holds_text(snapshot, text, tree):
        problems.append(
            _(
                "%(snapshot)s already exists, has no history entry and is not the text being "
                "approved; if it is left over from an interrupted approval of another text, "
                "delete it and try again"
            )
            % {"snapshot": snapshot}
        )
    if problems:
        raise ApprovalRefused(*problems)
    minute = request.minute.strip() if request.minute is not None else None
    version = ApprovedVersion(
        number,
        date,
        request.kind,
        request.note.strip(),
        Approval(request.body.strip(), request.meeting, minute),
        line=0,
    )
    record_version(
        history_path,
        history.text,
        last.chain if last else "",
        NewVersion(version, text, sha256, snapshot),
        first=last is None and not history.legacy,
        freeze_images=lambda: _freeze_images(folder / VERSIONS_DIR / IMAGES_DIR, image_bytes),
    )
    numbering = (
        _("Numbered %(number)s%(after_legacy)s.")
        % {"number": number, "after_legacy": _after_legacy(history)}
        if last is None and history.legacy
        else None
    )
    return ApprovalRecord(
        number,
        date,
        review_date or add_months(date, review_cycle_months),
        snapshot,
        history_path,
        sha256,
        numbering,
    )


def _after_legacy(history: History) -> str:
    """Why the first approved version has its number: what it follows."""
    if not history.legacy:
        return ""
    legacy = history.legacy[-1]
    # Translators: these three end the sentences "Numbered 1.0…" and "the first approval of a
    # policy is a new major version (1.0…)", so each begins with a comma.
    if legacy.number is not None:
        return _(", the next major version after legacy version %(version)s") % {
            "version": legacy.version
        }
    if legacy.version:
        return _(", since legacy version '%(version)s' is not numbered N or N.M") % {
            "version": legacy.version
        }
    return _(", since the legacy versions are not numbered N or N.M")


def _image_bytes(
    images: tuple[PolicyImage, ...], diags: Diagnostics, tree: SourceTree
) -> dict[str, bytes] | None:
    """Each image's bytes, by its frozen copy's name: taken from the tree the policy was
    read from, so these are the bytes the reader checked and hashed, not a second opening
    of the file."""
    found: dict[str, bytes] = {}
    for image in images:
        data = tree[image.path].data(diags, limit=MAX_IMAGE_BYTES)
        if data is None:
            return None
        found[image.frozen_name] = data
    return found


def _freeze_images(folder: Path, image_bytes: Mapping[str, bytes]) -> None:
    """Write each image as ``versions/images/<sha256>.<ext>`` (kept if already there: the
    name is the content)."""
    for name, data in image_bytes.items():
        target = folder / name
        if not target.exists():
            write_atomic_bytes(target, data)
