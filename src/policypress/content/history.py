"""A policy's review history (``history.yml``): legacy versions, then approved ones, hash-chained.

Each approved entry records the SHA-256 of the approved text (the snapshot in
``versions/<v>.md``) and a ``chain`` hash over the entry and the previous entry's chain. Editing
an approved text changes its hash; removing, reordering or editing an entry breaks the chain
from that point on. Legacy entries (``legacy: true``) come first: versions from before
policypress whose text is not held, outside the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from policypress.content.confirm import Unconfirmed
from policypress.content.notation import parse_date_as_given, parse_loose_version, parse_version
from policypress.content.schema import HistoryFile, LegacyVersionFile, VersionFile
from policypress.content.validation import validate_document
from policypress.core.dates import build_date
from policypress.core.diagnostics import WHOLE_FILE, Diagnostics, Position
from policypress.core.messages import gettext as _
from policypress.model import (
    TO_CONFIRM,
    Approval,
    ApprovedVersion,
    LegacyApproval,
    LegacyVersion,
    ModelRef,
    VersionNumber,
)
from policypress.source.sourceyaml import YamlDocument, parse_yaml
from policypress.source.tree import SourceTree

HISTORY_FILE = "history.yml"


@dataclass(frozen=True)
class HistoryEntry:
    version: ApprovedVersion
    sha256: str
    chain: str
    at: Position  # where the entry starts in history.yml


@dataclass(frozen=True)
class History:
    """What ``history.yml`` holds: legacy versions, then the approved (hash-chained) ones,
    and every ``to-confirm`` value in them."""

    legacy: list[LegacyVersion] = field(default_factory=list)
    entries: list[HistoryEntry] = field(default_factory=list)
    unconfirmed: list[Unconfirmed] = field(default_factory=list)
    # The file as read: approve and adopt append the new entry to it, without reading again.
    text: str = "versions: []\n"

    @property
    def last(self) -> HistoryEntry | None:
        return self.entries[-1] if self.entries else None

    def next_number(self, kind: str) -> VersionNumber:
        """The number ``approve`` gives the next version: after the last approved one; the
        first after legacy versions is the next major after the last legacy number (3 or
        3.2 → 4.0) when it is written N or N.M, else 1.0."""
        if self.entries:
            return next_number(self.entries[-1].version.number, kind)
        legacy = self.legacy[-1].number if self.legacy else None
        return VersionNumber(legacy.major + 1, 0) if legacy else VersionNumber(1, 0)


def chain_hash(previous_chain: str, version: ApprovedVersion, sha256: str) -> str:
    """The chain link for an entry: covers every field of it and the link before it."""
    approval = {
        "body": version.approval.body,
        "meeting": version.approval.meeting.isoformat(),
    }
    if version.approval.minute is not None:
        # Left out when absent, not null: a record with a minute is hashed exactly as before
        # minutes became optional, so every existing chain keeps its hashes.
        approval["minute"] = version.approval.minute
    record = {
        "previous": previous_chain,
        "version": str(version.number),
        "date": version.date.isoformat(),
        "kind": version.kind,
        "note": version.note,
        "approval": approval,
        "sha256": sha256,
    }
    if version.model is not None:  # a school's adoption; absent otherwise, so chains hold
        record["model"] = {"version": str(version.model.version), "sha256": version.model.sha256}
    encoded = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def next_number(previous: VersionNumber | None, kind: str) -> VersionNumber:
    if previous is None:
        return VersionNumber(1, 0)
    if kind == "major":
        return VersionNumber(previous.major + 1, 0)
    return VersionNumber(previous.major, previous.minor + 1)


def load_history(path: Path, diags: Diagnostics, tree: SourceTree) -> list[HistoryEntry] | None:
    """Approved entries oldest first, or None after reporting every problem found."""
    history = read_history(path, diags, tree)
    return history.entries if history is not None else None


def read_history(path: Path, diags: Diagnostics, tree: SourceTree) -> History | None:
    """The whole history at ``path`` (a policy's ``history.yml``, or a school's adoptions of
    a model), or None after reporting every problem found."""
    if not os.path.lexists(path):  # anything else there (a FIFO, a folder) is refused when read
        diags.error(
            path,
            WHOLE_FILE,
            _(
                "file not found; expected the policy's review history here (write "
                "'versions: []' for a policy not yet approved)"
            ),
        )
        return None
    read = tree[path].yaml(diags)
    return _history_of(path, *read, diags) if read is not None else None


def parse_history(path: Path, text: str, diags: Diagnostics) -> list[HistoryEntry] | None:
    """``text`` as the history at ``path``: the same checks as a file on disk, so ``approve``
    can check the history it is about to write before writing it."""
    history = parse_full_history(path, text, diags)
    return history.entries if history is not None else None


def parse_full_history(path: Path, text: str, diags: Diagnostics) -> History | None:
    """``text`` as the history at ``path``, every entry checked (positions kept)."""
    doc = parse_yaml(text, path, diags)
    return _history_of(path, text, doc, diags) if doc is not None else None


def _history_of(path: Path, text: str, doc: YamlDocument, diags: Diagnostics) -> History | None:
    if doc.data is None:  # an empty file is a policy never approved, like 'versions: []'
        data: HistoryFile | None = HistoryFile()
    else:
        data = validate_document(HistoryFile, doc, diags, what="history.yml")
    if data is None:
        return None
    today = build_date()
    history = History(text=text)
    ok = True
    for index, item in enumerate(data.versions):
        at = doc.position(("versions", index))
        if isinstance(item, LegacyVersionFile):
            legacy = _legacy_version(item, at.line)
            ok = _check_legacy(path, doc, index, legacy, history, today, diags) and ok
            history.legacy.append(legacy)
            continue
        version = _approved_version(item, at.line)
        if version.approval.body == TO_CONFIRM:
            diags.error(
                path,
                doc.position(("versions", index, "approval", "body")),
                _(
                    "version %(number)s: approval body is 'to-confirm'; expected the body or "
                    "role that approved it (only a legacy version may leave it to confirm)"
                )
                % {"number": version.number},
            )
            ok = False
        entry = HistoryEntry(version, item.sha256, item.chain, at)
        ok = _check_entry(path, doc, index, entry, history.last, diags) and ok
        ok = _check_not_future(path, doc, index, version, today, diags) and ok
        if not history.entries and history.legacy:
            ok = _check_after_legacy(path, doc, index, version, history.legacy[-1], diags) and ok
        history.entries.append(entry)
    history.unconfirmed.extend(_unconfirmed(path, doc, data))
    return history if ok else None


def _legacy_version(item: LegacyVersionFile, line: int) -> LegacyVersion:
    date = parse_date_as_given(item.date, item.effective)
    assert date is not None  # the schema has checked the form
    approval = None
    if item.approval is not None:
        meeting = parse_date_as_given(item.approval.meeting) if item.approval.meeting else None
        approval = LegacyApproval(item.approval.body, meeting, item.approval.minute)
    number = parse_loose_version(item.version) if item.version else None
    return LegacyVersion(item.version, date, item.note, approval, line, number)


def _approved_version(item: VersionFile, line: int) -> ApprovedVersion:
    return ApprovedVersion(
        chain=item.chain,
        number=parse_version(item.version),
        date=item.date,
        kind=item.kind,
        note=item.note,
        approval=Approval(item.approval.body, item.approval.meeting, item.approval.minute),
        line=line,
        model=(
            ModelRef(parse_version(item.model.version), item.model.sha256)
            if item.model is not None
            else None
        ),
    )


def _legacy_name(legacy: LegacyVersion) -> str:
    if legacy.version:
        return _("legacy version %(version)s") % {"version": legacy.version}
    return _("a legacy version")


def _check_legacy(
    path: Path,
    doc: YamlDocument,
    index: int,
    legacy: LegacyVersion,
    history: History,
    today: dt.date,
    diags: Diagnostics,
) -> bool:
    """Legacy entries come before every approved one (an error: the chain would otherwise
    not start at the first approved text) and oldest first (a warning: old review tables are
    not always in order, and nothing depends on it)."""
    ok = True
    name = _legacy_name(legacy)
    if history.last is not None:
        diags.error(
            path,
            doc.position(("versions", index)),
            _(
                "%(name)s comes after approved version %(number)s; expected legacy "
                "entries (versions whose text is not held) first, before every approved "
                "one"
            )
            % {"name": name, "number": history.last.version.number},
        )
        ok = False
    elif history.legacy and legacy.date.earliest < history.legacy[-1].date.earliest:
        previous = history.legacy[-1]
        diags.warning(
            path,
            doc.position(("versions", index, "date")),
            _(
                "%(name)s: date '%(date)s' is before the previous entry's date "
                "'%(previous)s'; expected legacy entries oldest first"
            )
            % {"name": name, "date": legacy.date.text, "previous": previous.date.text},
        )
    for key, day in (("date", legacy.date.earliest), ("effective", legacy.date.effective)):
        if day is not None and day > today:
            diags.error(
                path,
                doc.position(("versions", index, key)),
                _(
                    "%(name)s: %(key)s '%(date)s' is in the future (the build date is "
                    "%(today)s); expected a date on or before it"
                )
                % {
                    "name": name,
                    "key": key,
                    "date": day if key == "effective" else legacy.date.text,
                    "today": today,
                },
            )
            ok = False
    return ok


def _check_after_legacy(
    path: Path,
    doc: YamlDocument,
    index: int,
    version: ApprovedVersion,
    legacy: LegacyVersion,
    diags: Diagnostics,
) -> bool:
    if version.date >= legacy.date.earliest:
        return True
    diags.error(
        path,
        doc.position(("versions", index, "date")),
        _(
            "version %(number)s: date %(date)s is before %(legacy)s ('%(text)s', "
            "from %(earliest)s); expected dates in order, oldest first"
        )
        % {
            "number": version.number,
            "date": version.date,
            "legacy": _legacy_name(legacy),
            "text": legacy.date.text,
            "earliest": legacy.date.earliest,
        },
    )
    return False


def _unconfirmed(path: Path, doc: YamlDocument, data: HistoryFile) -> list[Unconfirmed]:
    """Every 'to-confirm' in the history: who approved a legacy version, or a minute."""
    found = []
    for index, item in enumerate(data.versions):
        if isinstance(item, LegacyVersionFile):
            if item.approval is None:
                continue
            name = (
                _("legacy version %(version)s") % {"version": item.version}
                if item.version
                else _("a legacy version")
            )
            values = {"body": item.approval.body, "minute": item.approval.minute}
        else:
            name = _("version %(number)s") % {"number": item.version}
            values = {"minute": item.approval.minute}
        for key, value in values.items():
            if value == TO_CONFIRM:
                where = doc.position(("versions", index, "approval", key))
                what = (
                    _("the approval body of %(version)s")
                    if key == "body"
                    else _("the approval minute of %(version)s")
                )
                found.append(Unconfirmed(path, where, what % {"version": name}))
    return found


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
            diags.error(
                path,
                doc.position(("versions", index, *key)),
                _(
                    "version %(number)s: %(key)s %(day)s is in the future (the build date is "
                    "%(today)s); expected a date on or before it"
                )
                % {"number": version.number, "key": key[-1], "day": day, "today": today},
            )
            ok = False
    return ok


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
        diags.error(
            path,
            pos,
            _(
                "version %(number)s: approval meeting %(meeting)s is after the version "
                "date %(date)s; expected approval on or before it"
            )
            % {"number": version.number, "meeting": version.approval.meeting, "date": version.date},
        )
        ok = False
    if previous is not None:
        expected = next_number(previous.version.number, version.kind)
        if version.number != expected:
            pos = doc.position(("versions", index, "version"))
            diags.error(
                path,
                pos,
                _(
                    "version %(number)s follows %(previous)s as a %(kind)s revision; expected "
                    "%(expected)s"
                )
                % {
                    "number": version.number,
                    "previous": previous.version.number,
                    "kind": version.kind,
                    "expected": expected,
                },
            )
            ok = False
        if version.date < previous.version.date:
            pos = doc.position(("versions", index, "date"))
            diags.error(
                path,
                pos,
                _(
                    "version %(number)s: date %(date)s is before the previous version's date "
                    "%(previous)s; expected dates in order, oldest first"
                )
                % {
                    "number": version.number,
                    "date": version.date,
                    "previous": previous.version.date,
                },
            )
            ok = False
    expected_chain = chain_hash(previous.chain if previous else "", version, entry.sha256)
    if entry.chain != expected_chain:
        pos = doc.position(("versions", index, "chain"))
        diags.error(
            path,
            pos,
            _(
                "version %(number)s: chain hash does not match; this entry, or one "
                "before it, was edited, removed or reordered after approval"
            )
            % {"number": version.number},
        )
        ok = False
    return ok
