"""Recording a new approved version, as ``approve`` and ``adopt`` both do: one new entry of a
policy's hash-chained ``history.yml`` and its snapshot ``versions/<v>.md``.

Everything is checked first, the new history text included (read back through the same parser
and chain check as ``check``); only then is anything written: the images the snapshot shows,
the snapshot, then the history entry, each atomically. A crash between the two leaves a
snapshot without an entry, never an entry without its text, and the next approval of the same
text replaces it."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Literal

import yaml

from policypress.content.history import chain_hash, parse_history
from policypress.core.diagnostics import Diagnostics
from policypress.core.errors import PolicypressError, ReportedProblems, report_lines
from policypress.core.files import write_atomic_bytes
from policypress.core.hashing import canonical_text
from policypress.core.messages import gettext as _
from policypress.model import ApprovedVersion, VersionNumber
from policypress.source.tree import SourceTree

Kind = Literal["major", "minor"]


class ApprovalRefused(PolicypressError):
    """The approval cannot be recorded; ``problems`` say why, one line each. Nothing was
    written."""

    action: ClassVar[str] = "approve"

    def __init__(self, *problems: str) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems

    def messages(self) -> Sequence[str]:
        return tuple(f"policypress: cannot {self.action}: {problem}" for problem in self.problems)


class ContentNotSound(ReportedProblems):
    """``check`` reports errors in what a new version would be recorded from: nothing is
    recorded until they are put right. Carries them, printed as ``check`` prints them, then
    the command's own refusal (:attr:`refusal`, a sentence of the catalogue)."""

    refusal: ClassVar[str]

    def __init__(self, diagnostics: Diagnostics) -> None:
        super().__init__(_("%(count)s error(s) in content") % {"count": len(diagnostics.errors)})
        self.diagnostics = diagnostics

    def messages(self) -> Sequence[str]:
        return [*report_lines(self.diagnostics), _(self.refusal)]


@dataclass(frozen=True)
class NewVersion:
    """A version ready to record: its history entry's values, its text and where it goes."""

    version: ApprovedVersion
    text: str  # the snapshot's text, canonical
    sha256: str  # of the text, as the history entry records it
    snapshot: Path  # versions/<v>.md


def record_version(
    history_path: Path,
    history_text: str,
    previous_chain: str,
    new: NewVersion,
    *,
    first: bool,
    freeze_images: Callable[[], None],
    refused: type[ApprovalRefused] = ApprovalRefused,
) -> None:
    """Append ``new`` to the history (``first``: the history has no entry yet), chained to
    ``previous_chain`` ("" for the first entry); write the images (``freeze_images``), the
    snapshot, then the history. Raises ``refused`` if the entry would not read back as
    written, before anything is written."""
    version = new.version
    chain = chain_hash(previous_chain, version, new.sha256)
    approval: dict[str, object] = {
        "body": version.approval.body,
        "meeting": version.approval.meeting,
    }
    if version.approval.minute is not None:
        approval["minute"] = version.approval.minute
    entry: dict[str, object] = {
        "version": str(version.number),
        "date": version.date,
        "kind": version.kind,
        "note": version.note,
        "approval": approval,
    }
    if version.model is not None:
        entry["model"] = {"version": str(version.model.version), "sha256": version.model.sha256}
    entry |= {"sha256": new.sha256, "chain": chain}
    new_history = append_entry(history_text, entry, first=first)
    problem = written_form_problem(history_path, new_history, version.number, chain)
    if problem is not None:
        raise refused(problem)
    # The images first: a snapshot is never written before the frozen copies it cites.
    freeze_images()
    write_text_atomic(new.snapshot, new.text)
    write_text_atomic(history_path, new_history)


def written_form_problem(path: Path, text: str, number: VersionNumber, chain: str) -> str | None:
    """Read the would-be history back as ``check`` will: what YAML makes of the values (a
    note that looks like a date, say) must be what was hashed, or the entry is refused now
    rather than found broken after it is written."""
    diags = Diagnostics(path.parent)
    entries = parse_history(path, text, diags)
    if entries is None or entries[-1].version.number != number or entries[-1].chain != chain:
        if not diags.errors:
            return _(
                "the new history entry would not read back as written: the entry reads back "
                "differently"
            )
        return _("the new history entry would not read back as written: %(messages)s") % {
            "messages": "; ".join(d.message for d in diags.errors)
        }
    return None


class _PlainDumper(yaml.SafeDumper):
    """Writes a value twice rather than as an anchor and an alias (``&id001``/``*id001``, which
    PyYAML emits when the meeting and the version date are the same object): history files
    are read by people, and aliases are what a YAML bomb is made of."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def append_entry(history_text: str, entry: dict[str, object], *, first: bool) -> str:
    """``history_text`` with ``entry`` as the last item of its ``versions`` list, indented as
    the list's items already are (two spaces, as policypress writes them, or none, as PyYAML
    and many editors write a list under its key): an entry indented otherwise would not
    read back as part of the list."""
    dumped = yaml.dump([entry], Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=96)
    indent = " " * (2 if first else _item_indent(history_text))
    block = "".join(f"{indent}{line}\n" if line else "\n" for line in dumped.splitlines())
    if first:
        # 'versions: []' (or an empty file) becomes a block list; comments above it are kept.
        kept = [line for line in history_text.splitlines() if line.lstrip().startswith("#")]
        return "\n".join([*kept, "versions:"]) + "\n" + block
    return history_text.rstrip("\n") + "\n" + block


# An item of the versions list: a dash at the start of a line, after its indentation.
_LIST_ITEM = re.compile(r"^( *)- ", re.MULTILINE)


def _item_indent(history_text: str) -> int:
    """How far the versions list's items are indented (the first item's dash; two spaces
    when the text has none to go by)."""
    found = _LIST_ITEM.search(history_text)
    return len(found.group(1)) if found else 2


def holds_text(snapshot: Path, text: str, tree: SourceTree) -> bool:
    """Whether ``snapshot`` exists and holds ``text`` (canonical): a leftover of an
    interrupted recording of this very text, which may be written again. Taken from the
    ``tree`` the policy was read into, as every source is; a file the gate refuses holds
    nothing to keep."""
    if not snapshot.is_file():
        return False
    found = tree[snapshot].as_text(Diagnostics(snapshot.parent))
    return found is not None and canonical_text(found) == text


def visible_value(value: str) -> str:
    """A value quoted in a message: control characters made visible, length bounded."""
    visible = value.encode("unicode_escape").decode("ascii")
    return visible if len(visible) <= 60 else visible[:57] + "..."


def write_text_atomic(path: Path, text: str) -> None:
    write_atomic_bytes(path, text.encode("utf-8"))
