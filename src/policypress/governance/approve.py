"""``policypress approve``: freeze the working text as the next approved version.

Writes two plain-text files, both atomically and only after every check has passed: the
snapshot ``versions/<v>.md`` (never edited again) and one new entry appended to
``history.yml``, so the change reads well in ``git diff``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from policypress.content.confirm import Unconfirmed, front_matter_unconfirmed
from policypress.content.history import (
    HISTORY_FILE,
    History,
    chain_hash,
    parse_history,
    read_history,
)
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
from policypress.core.safefile import read_bytes
from policypress.core.visible import says_nothing
from policypress.core.vocabulary import SLUG
from policypress.model import TO_CONFIRM, Approval, ApprovedVersion, PolicyImage, VersionNumber
from policypress.source.frontmatter import read_markdown_document, split_front_matter
from policypress.source.markdown import create_parser, parse_body
from policypress.source.sourceyaml import read_text

Kind = Literal["major", "minor"]


class ApprovalRefused(Exception):
    """The approval cannot be recorded; ``problems`` say why, one line each. Nothing was
    written."""

    def __init__(self, *problems: str) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


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
            f"'{_shown(request.slug)}' is not a policy name; expected the policy's folder "
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
                f"{option} '{_shown(value)}' is made only of characters that show nothing "
                "(invisible or blank characters); expected some text a reader can see"
            )
        elif any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in value):
            problems.append(
                f"{option} '{_shown(value)}' contains a line break or control character; "
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


def _shown(value: str) -> str:
    """A value quoted in a message: control characters made visible, length bounded."""
    visible = value.encode("unicode_escape").decode("ascii")
    return visible if len(visible) <= 60 else visible[:57] + "..."


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
    return snapshot if _holds(snapshot, canonical_text(working[0])) else None


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


def _holds(snapshot: Path, text: str) -> bool:
    try:
        return snapshot.is_file() and canonical_text(snapshot.read_text("utf-8")) == text
    except (OSError, UnicodeDecodeError):
        return False


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
            f"nothing to approve: {request.slug}/{POLICY_FILE} is the same as "
            f"approved version {last.version.number}"
        )
    number = history.next_number(request.kind)
    if last is None and request.kind == "minor":
        raise ApprovalRefused(
            f"the first approval of a policy is a new major version ({number}"
            f"{_after_legacy(history)}); use --major"
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
    if snapshot.exists() and not _holds(snapshot, text):
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
    chain = chain_hash(last.chain if last else "", version, sha256)
    approval: dict[str, object] = {"body": version.approval.body, "meeting": request.meeting}
    if minute is not None:
        approval["minute"] = minute
    entry = {
        "version": str(number),
        "date": date,
        "kind": request.kind,
        "note": version.note,
        "approval": approval,
        "sha256": sha256,
        "chain": chain,
    }
    first = last is None and not history.legacy
    new_history = _append_entry(history_text, entry, first=first)
    _check_written_form(history_path, new_history, number, chain)
    # The images first: a snapshot is never written before the frozen copies it cites.
    _freeze_images(folder / VERSIONS_DIR / IMAGES_DIR, images, diags)
    _write_atomic(snapshot, text)
    _write_atomic(history_path, new_history)
    numbering = (
        f"Numbered {number}{_after_legacy(history)}." if last is None and history.legacy else None
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
    if legacy.number is not None:
        return f", the next major version after legacy version {legacy.version}"
    shown = f"legacy version '{legacy.version}'" if legacy.version else "the legacy versions"
    return f", since {shown} is not numbered N or N.M"


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
                f"image {image.src} changed while it was being approved; run approve again"
            )
        write_atomic_bytes(target, data)


def _check_written_form(path: Path, text: str, number: VersionNumber, chain: str) -> None:
    """Read the would-be history back as ``check`` will: what YAML makes of the values (a
    note that looks like a date, say) must be what was hashed, or the entry is refused now
    rather than found broken after it is written."""
    diags = Diagnostics(path.parent)
    entries = parse_history(path, text, diags)
    if entries is None or entries[-1].version.number != number or entries[-1].chain != chain:
        found = "; ".join(d.message for d in diags.errors) or "the entry reads back differently"
        raise ApprovalRefused(f"the new history entry would not read back as written: {found}")


class _PlainDumper(yaml.SafeDumper):
    """Writes a value twice rather than as an anchor and an alias (``&id001``/``*id001``, which
    PyYAML emits when the meeting and the version date are the same object): history files
    are read by people, and aliases are what a YAML bomb is made of."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _append_entry(history_text: str, entry: dict[str, object], *, first: bool) -> str:
    dumped = yaml.dump([entry], Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=96)
    block = "".join(f"  {line}\n" if line else "\n" for line in dumped.splitlines())
    if first:
        # 'versions: []' (or an empty file) becomes a block list; comments above it are kept.
        kept = [line for line in history_text.splitlines() if line.lstrip().startswith("#")]
        return "\n".join([*kept, "versions:"]) + "\n" + block
    return history_text.rstrip("\n") + "\n" + block


def _write_atomic(path: Path, text: str) -> None:
    write_atomic_bytes(path, text.encode("utf-8"))
