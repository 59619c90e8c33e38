"""A policy's review history (``history.yml``): approved versions, hash-chained.

Each entry records the SHA-256 of the approved text (the snapshot in ``versions/<v>.md``) and a
``chain`` hash over the entry and the previous entry's chain. Editing an approved text changes
its hash; removing, reordering or editing an entry breaks the chain from that point on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from policypress.content.schema import HistoryFile
from policypress.content.validation import validate_document
from policypress.core.dates import build_date
from policypress.core.diagnostics import Diagnostics
from policypress.model import Approval, ApprovedVersion, Content, VersionNumber
from policypress.source.sourceyaml import Position, YamlDocument, parse_yaml, read_text

HISTORY_FILE = "history.yml"


@dataclass(frozen=True)
class HistoryEntry:
    version: ApprovedVersion
    sha256: str
    chain: str
    at: Position  # where the entry starts in history.yml


def chain_hash(previous_chain: str, version: ApprovedVersion, sha256: str) -> str:
    """The chain link for an entry: covers every field of it and the link before it."""
    record = {
        "previous": previous_chain,
        "version": str(version.number),
        "date": version.date.isoformat(),
        "kind": version.kind,
        "note": version.note,
        "approval": {
            "body": version.approval.body,
            "meeting": version.approval.meeting.isoformat(),
            "minute": version.approval.minute,
        },
        "sha256": sha256,
    }
    encoded = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def next_number(previous: VersionNumber | None, kind: str) -> VersionNumber:
    if previous is None:
        return VersionNumber(1, 0)
    if kind == "major":
        return VersionNumber(previous.major + 1, 0)
    return VersionNumber(previous.major, previous.minor + 1)


def load_history(path: Path, diags: Diagnostics) -> list[HistoryEntry] | None:
    """Entries oldest first, or None after reporting every problem found."""
    if not os.path.lexists(path):  # anything else there (a FIFO, a folder) is refused when read
        diags.error(
            path,
            0,
            0,
            "file not found; expected the policy's review history here "
            "(write 'versions: []' for a policy not yet approved)",
        )
        return None
    text = read_text(path, diags)
    return parse_history(path, text, diags) if text is not None else None


def parse_history(path: Path, text: str, diags: Diagnostics) -> list[HistoryEntry] | None:
    """``text`` as the history at ``path``: the same checks as a file on disk, so ``approve``
    can check the history it is about to write before writing it."""
    doc = parse_yaml(text, path, diags)
    if doc is None:
        return None
    if doc.data is None:  # an empty file is a policy never approved, like 'versions: []'
        data: HistoryFile | None = HistoryFile()
    else:
        data = validate_document(HistoryFile, doc, diags, what="history.yml")
    if data is None:
        return None
    today = build_date()
    entries: list[HistoryEntry] = []
    ok = True
    for index, item in enumerate(data.versions):
        version = ApprovedVersion(
            number=VersionNumber.parse(item.version),
            date=item.date,
            kind=item.kind,
            note=item.note,
            approval=Approval(item.approval.body, item.approval.meeting, item.approval.minute),
            line=doc.position(("versions", index)).line,
        )
        entry = HistoryEntry(version, item.sha256, item.chain, doc.position(("versions", index)))
        ok = _check_entry(path, doc, index, entry, entries[-1] if entries else None, diags) and ok
        ok = _check_not_future(path, doc, index, version, today, diags) and ok
        entries.append(entry)
    return entries if ok else None


def _check_not_future(
    path: Path,
    doc: YamlDocument,
    index: int,
    version: ApprovedVersion,
    today: dt.date,
    diags: Diagnostics,
) -> bool:
    """A date after the build date cannot have been recorded by ``approve`` (which refuses
    one): it was edited by hand, and would make the version look newer than it is."""
    ok = True
    for key, day in (
        (("date",), version.date),
        (("approval", "meeting"), version.approval.meeting),
    ):
        if day > today:
            diags.error_at(
                path,
                doc.position(("versions", index, *key)),
                f"version {version.number}: {key[-1]} {day} is in the future (the build "
                f"date is {today}); expected a date on or before it",
            )
            ok = False
    return ok


def chain_links(content: Content, slug: str) -> list[tuple[ApprovedVersion, str, str]]:
    """Each approved version of a policy, oldest first, with its text's SHA-256 and its chain
    hash: recomputed from the model, which the loader has checked against the recorded ones."""
    chain, links = "", []
    for text in content.archive(slug):
        chain = chain_hash(chain, text.current, text.digest)
        links.append((text.current, text.digest, chain))
    return links


def _check_entry(
    path: Path,
    doc: YamlDocument,
    index: int,
    entry: HistoryEntry,
    previous: HistoryEntry | None,
    diags: Diagnostics,
) -> bool:
    ok = True
    version = entry.version
    if version.approval.meeting > version.date:
        pos = doc.position(("versions", index, "approval", "meeting"))
        diags.error_at(
            path,
            pos,
            f"version {version.number}: approval meeting "
            f"{version.approval.meeting} is after the version date {version.date}; "
            "expected approval on or before it",
        )
        ok = False
    if previous is not None:
        expected = next_number(previous.version.number, version.kind)
        if version.number != expected:
            pos = doc.position(("versions", index, "version"))
            diags.error_at(
                path,
                pos,
                f"version {version.number} follows "
                f"{previous.version.number} as a {version.kind} revision; expected "
                f"{expected}",
            )
            ok = False
        if version.date < previous.version.date:
            pos = doc.position(("versions", index, "date"))
            diags.error_at(
                path,
                pos,
                f"version {version.number}: date "
                f"{version.date} is before the previous version's date "
                f"{previous.version.date}; expected dates in order, oldest first",
            )
            ok = False
    expected_chain = chain_hash(previous.chain if previous else "", version, entry.sha256)
    if entry.chain != expected_chain:
        pos = doc.position(("versions", index, "chain"))
        diags.error_at(
            path,
            pos,
            f"version {version.number}: chain hash does not "
            "match; this entry, or one before it, was edited, removed or reordered "
            "after approval",
        )
        ok = False
    return ok
