"""Governors' approval of a policy's working text, as ``policypress approve`` records it: the
text frozen as the next approved version.

Writes two plain-text files, both atomically and only after every check has passed (through
:func:`~policypress.commands.recording.record_version`): the snapshot ``versions/<v>.md``
(never edited again) and one new entry appended to ``history.yml``, so the change reads well
in ``git diff``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from policypress.commands.recording import (
    ApprovalRefused,
    Kind,
    NewVersion,
    holds_text,
    record_version,
    visible_value,
)
from policypress.content.confirm import Unconfirmed, front_matter_unconfirmed
from policypress.content.history import HISTORY_FILE, History, read_history
from policypress.content.images import (
    IMAGES_DIR,
    MAX_IMAGE_BYTES,
    FreezeError,
    check_images,
    frozen_text,
)
from policypress.content.loader import POLICY_FILE, VERSIONS_DIR
from policypress.content.schema import FrontMatterFile
from policypress.content.validation import validate_document
from policypress.core.dates import add_months, build_date
from policypress.core.diagnostics import ContentError, Diagnostics
from policypress.core.files import write_atomic_bytes
from policypress.core.hashing import canonical_text, digest
from policypress.core.messages import gettext as _
from policypress.core.safefile import read_bytes
from policypress.core.visible import says_nothing
from policypress.core.vocabulary import SLUG
from policypress.model import TO_CONFIRM, Approval, ApprovedVersion, PolicyImage, VersionNumber
from policypress.source.frontmatter import read_markdown_document, split_front_matter
from policypress.source.markdown import create_parser, parse_body
from policypress.source.sourceyaml import read_text


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
_LIMITS = {"--by": 120, "--minute": 120, "--note": 500}


def request_problems(request: ApprovalRequest, today: dt.date) -> list[str]:
    """Everything wrong with the command line's values, found before anything is read or
    written. These values go into the hash chain for good, so they must be right first time."""
    problems = []
    if not SLUG.match(request.slug):
        problems.append(
            f"'{visible_value(request.slug)}' is not a policy name; expected the policy's folder "
            "name: lowercase letters, digits and single hyphens"
        )
    for option, value in (
        ("--by", request.body),
        ("--minute", request.minute),
        ("--note", request.note),
    ):
        if value is None:  # only --minute may be left out
            continue
        if value.strip() == TO_CONFIRM:
            # It would go into the hash chain for good, and then block every later approval.
            hint = " (leave --minute out when the meeting kept no minute)"
            problems.append(
                f"{option} is 'to-confirm'; expected the real value"
                f"{hint if option == '--minute' else ''}"
            )
        elif not value.strip():
            problems.append(f"{option} is empty; expected some text")
        elif says_nothing(value):
            problems.append(
                f"{option} '{visible_value(value)}' is made only of characters that show nothing "
                "(invisible or blank characters); expected some text a reader can see"
            )
        elif any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in value):
            problems.append(
                f"{option} '{visible_value(value)}' contains a line break or control character; "
                "expected one line of plain text"
            )
        elif len(value.strip()) > _LIMITS[option]:
            problems.append(
                f"{option} is {len(value.strip())} characters long; expected at most "
                f"{_LIMITS[option]}"
            )
    if request.meeting > today:
        problems.append(
            f"the meeting date {request.meeting} is in the future (today is {today}); "
            "record an approval after the meeting"
        )
    if request.date is not None and request.date > today:
        # The public build publishes the newest approved version at once, so a future
        # "in force from" date would publish it early.
        problems.append(
            f"date {request.date} is in the future; record the approval on or after the day "
            "the version takes effect"
        )
    return problems


def leftover_snapshot(content_root: Path, slug: str, kind: Kind) -> Path | None:
    """The snapshot an interrupted approval of the current working text left without its
    history entry, if there is one: the next approval may replace it. (A leftover snapshot
    of some other text is not this, and still stops the approval.)"""
    if not SLUG.match(slug):
        return None
    folder = content_root / "policies" / slug
    quiet = Diagnostics(content_root)
    history = read_history(folder / HISTORY_FILE, quiet)
    try:
        working = _working_text(folder, quiet)
    except ApprovalRefused:  # approve itself says why
        return None
    if history is None or working is None or (not history.entries and kind == "minor"):
        return None
    number = history.next_number(kind)
    snapshot = folder / VERSIONS_DIR / f"{number}.md"
    return snapshot if holds_text(snapshot, canonical_text(working[0])) else None


def _working_text(folder: Path, diags: Diagnostics) -> tuple[str, tuple[PolicyImage, ...]] | None:
    """The text ``approve`` would write for the working text: its images pointed at their
    frozen copies (the text itself when it has none), and those images. None, with the
    problems in ``diags``, when the text or an image cannot be read."""
    source = folder / POLICY_FILE
    working = read_text(source, diags)
    split = split_front_matter(working) if working is not None else None
    if working is None or split is None:
        return None
    _, body, body_line = split
    md = create_parser()
    links = parse_body(md, body).links
    for link in links:
        link.line += body_line - 1
    errors = len(diags.errors)
    images = check_images(source, links, diags, snapshot=False)
    unconfirmed = [link for link in links if link.image and link.alt.lower() == TO_CONFIRM]
    if unconfirmed:
        raise ApprovalRefused(
            *(
                f"{POLICY_FILE}:{link.line}:{link.col}: image '{link.href}' still has "
                "'to-confirm' as its alternative text; describe what it shows first"
                for link in unconfirmed
            )
        )
    if len(diags.errors) > errors:
        return None
    try:
        return frozen_text(md, working, images), images
    except FreezeError as exc:
        raise ApprovalRefused(f"{POLICY_FILE}: {exc}") from None


def approve(
    content_root: Path, diags: Diagnostics, request: ApprovalRequest, review_cycle_months: int
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
    folder = content_root / "policies" / request.slug
    history_path = folder / HISTORY_FILE
    history = read_history(history_path, diags)
    loaded = _working_text(folder, diags)
    history_text = read_text(history_path, diags) if history is not None else None
    review_date, unconfirmed = _front_matter(folder / POLICY_FILE, diags)
    if history is None or loaded is None or history_text is None:
        raise ContentError(diags)
    working, images = loaded
    text = canonical_text(working)
    sha256 = digest(working)
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
        f"{diags.location(item.path, item.at.line, item.at.col)}: {item.what} is still "
        "'to-confirm'; write it in before approving"
        for item in (*unconfirmed, *history.unconfirmed)
    ]
    if history.legacy and date < history.legacy[-1].date.earliest:
        legacy = history.legacy[-1]
        problems.append(
            f"date {date} is before the last legacy version's date '{legacy.date.text}' "
            f"(from {legacy.date.earliest}); dates may not go backwards"
        )
    if review_date is not None and review_date <= date:
        problems.append(
            f"next_review {review_date} in {POLICY_FILE} is not after the date the version "
            f"takes effect ({date}); set the next review date, or remove next_review to use "
            "the review cycle"
        )
    if request.meeting > date:
        problems.append(
            f"the meeting ({request.meeting}) is after the date the version "
            f"takes effect ({date}); give --date on or after the meeting"
        )
    if last is not None and date < last.version.date:
        problems.append(
            f"date {date} is before version {last.version.number}'s date "
            f"{last.version.date}; dates may not go backwards"
        )
    snapshot = folder / VERSIONS_DIR / f"{number}.md"
    if snapshot.exists() and not holds_text(snapshot, text):
        problems.append(
            f"{snapshot} already exists, has no history entry and is not the text being "
            "approved; if it is left over from an interrupted approval of another text, "
            "delete it and try again"
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
        history_text,
        last.chain if last else "",
        NewVersion(version, text, sha256, snapshot),
        first=last is None and not history.legacy,
        freeze_images=lambda: _freeze_images(folder / VERSIONS_DIR / IMAGES_DIR, images, diags),
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


def _front_matter(path: Path, diags: Diagnostics) -> tuple[dt.date | None, list[Unconfirmed]]:
    """The working text's ``next_review`` and its 'to-confirm' values. (``check`` has passed
    before approve runs, so the front matter is valid.)"""
    document = read_markdown_document(path, diags, what="the policy's sections")
    doc = document[1] if document is not None else None
    meta = validate_document(FrontMatterFile, doc, diags, what="front matter") if doc else None
    if doc is None or meta is None:
        return None, []
    return meta.next_review, front_matter_unconfirmed(path, doc, meta)


def _freeze_images(folder: Path, images: tuple[PolicyImage, ...], diags: Diagnostics) -> None:
    """Copy each image to ``versions/images/<sha256>.<ext>`` (kept if already there: the name
    is the content). The bytes are read again and must still be the ones checked."""
    for image in images:
        target = folder / image.frozen_name
        if target.exists():
            continue
        data = read_bytes(image.path, diags, limit=MAX_IMAGE_BYTES)
        if data is None:
            raise ContentError(diags)
        if hashlib.sha256(data).hexdigest() != image.sha256:
            raise ApprovalRefused(
                _("image %(src)s changed while it was being approved; run approve again")
                % {"src": image.src}
            )
        write_atomic_bytes(target, data)
