"""``policypress approve``: freeze the working text as the next approved version.

Writes two plain-text files, both atomically: the snapshot ``versions/<v>.md`` (never edited
again) and one new entry appended to ``history.yml``, so the change reads well in ``git diff``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from policypress.content.history import HISTORY_FILE, chain_hash, load_history, next_number
from policypress.content.loader import POLICY_FILE, VERSIONS_DIR
from policypress.core.dates import add_months, build_date
from policypress.core.diagnostics import ContentError, Diagnostics
from policypress.core.files import write_atomic_bytes
from policypress.core.hashing import canonical_text, digest
from policypress.model import Approval, ApprovedVersion, VersionNumber
from policypress.source.sourceyaml import read_text

Kind = Literal["major", "minor"]


class ApprovalRefused(Exception):
    """The approval cannot be recorded; the message says why."""


@dataclass(frozen=True)
class ApprovalRequest:
    slug: str
    body: str
    meeting: dt.date
    minute: str
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


def approve(
    content_root: Path, diags: Diagnostics, request: ApprovalRequest, review_cycle_months: int
) -> ApprovalRecord:
    """Record the approval. The caller has already run ``check`` with no errors."""
    folder = content_root / "policies" / request.slug
    history_path = folder / HISTORY_FILE
    history = load_history(history_path, diags)
    working = read_text(folder / POLICY_FILE, diags)
    if history is None or working is None:
        raise ContentError(diags)
    text = canonical_text(working)
    sha256 = digest(working)
    last = history[-1] if history else None
    if last is not None and last.sha256 == sha256:
        raise ApprovalRefused(
            f"nothing to approve: {request.slug}/{POLICY_FILE} is the same as "
            f"approved version {last.version.number}"
        )
    if last is None and request.kind == "minor":
        raise ApprovalRefused("the first approval of a policy is version 1.0; use --major")
    number = next_number(last.version.number if last else None, request.kind)
    if last is not None and number <= last.version.number:
        raise ApprovalRefused(f"version {number} would not be above {last.version.number}")
    today = build_date()
    date = request.date or request.meeting
    if date > today:
        # The public build publishes the newest approved version at once, so a future
        # "in force from" date would publish it early.
        raise ApprovalRefused(
            f"date {date} is in the future; record the approval on or "
            "after the day the version takes effect"
        )
    if request.meeting > date:
        raise ApprovalRefused(
            f"the meeting ({request.meeting}) is after the date the version "
            f"takes effect ({date}); give --date on or after the meeting"
        )
    if last is not None and date < last.version.date:
        raise ApprovalRefused(
            f"date {date} is before version {last.version.number}'s date "
            f"{last.version.date}; dates may not go backwards"
        )
    snapshot = folder / VERSIONS_DIR / f"{number}.md"
    if snapshot.exists():
        raise ApprovalRefused(
            f"{snapshot} already exists but has no history entry; if it is "
            "left over from an interrupted approval, delete it and try again"
        )
    version = ApprovedVersion(
        number,
        date,
        request.kind,
        request.note.strip(),
        Approval(request.body.strip(), request.meeting, request.minute.strip()),
        line=0,
    )
    chain = chain_hash(last.chain if last else "", version, sha256)
    entry = {
        "version": str(number),
        "date": date,
        "kind": request.kind,
        "note": version.note,
        "approval": {
            "body": version.approval.body,
            "meeting": request.meeting,
            "minute": version.approval.minute,
        },
        "sha256": sha256,
        "chain": chain,
    }
    history_text = read_text(history_path, diags) or ""
    new_history = _append_entry(history_text, entry, first=last is None)
    # Snapshot first: a crash between the two writes leaves a snapshot without an entry, which
    # check reports, never an entry whose text is missing.
    _write_atomic(snapshot, text)
    _write_atomic(history_path, new_history)
    return ApprovalRecord(
        number, date, add_months(date, review_cycle_months), snapshot, history_path, sha256
    )


def _append_entry(history_text: str, entry: dict[str, object], *, first: bool) -> str:
    dumped = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=96)
    block = "".join(f"  {line}\n" if line else "\n" for line in dumped.splitlines())
    if first:
        # 'versions: []' (or an empty file) becomes a block list; comments above it are kept.
        kept = [line for line in history_text.splitlines() if line.lstrip().startswith("#")]
        return "\n".join([*kept, "versions:"]) + "\n" + block
    return history_text.rstrip("\n") + "\n" + block


def _write_atomic(path: Path, text: str) -> None:
    write_atomic_bytes(path, text.encode("utf-8"))
