"""A school's governing body adopts a trust's model version, as ``policypress adopt SCHOOL
SLUG`` records it.

The school's text is model version V's approved snapshot with the school's local sections
filled in (``schools/<id>/local/<slug>.md``). Like ``approve``, everything is checked first;
only then are the snapshot ``schools/<id>/policies/<slug>/versions/<n>.md`` and one new entry
of the school's own hash-chained ``history.yml`` (with ``model: {version, sha256}``) written,
each atomically, the snapshot first (by :func:`~policypress.commands.recording.record_version`,
as an approval is).

Numbering is the school's own: the first adoption is 1.0; adopting a newer model MAJOR version
is the school's next major version, anything else its next minor one.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from policypress.commands.approval import OPTION_NAMES, ApprovalRequest, request_problems
from policypress.commands.recording import (
    ApprovalRefused,
    Kind,
    NewVersion,
    holds_text,
    record_version,
    visible_value,
)
from policypress.content.group import POLICIES_DIR, school_ids
from policypress.content.history import HISTORY_FILE, History, read_history
from policypress.content.images import MAX_IMAGE_BYTES
from policypress.content.local import LOCAL_DIR, Composed, LocalText, compose, read_local
from policypress.content.notation import parse_version
from policypress.content.othernames import group_names, other_group_schools, shown
from policypress.content.policy import (
    VERSIONS_DIR,
    LoadedPolicy,
    PolicyText,
    read_policy,
    read_policy_text,
)
from policypress.content.school import SCHOOL_FILE, read_school, read_trust
from policypress.core.dates import build_date
from policypress.core.diagnostics import ContentError, Diagnostics
from policypress.core.files import write_atomic_bytes
from policypress.core.hashing import canonical_text, digest
from policypress.core.messages import gettext as _
from policypress.core.project import SCHOOLS_DIR, TRUST_FILE
from policypress.core.safefile import reading_once
from policypress.core.vocabulary import SLUG
from policypress.model import Approval, ApprovedVersion, ModelRef, School, VersionNumber
from policypress.model.variables import Variables
from policypress.source.markdown import create_parser
from policypress.source.tree import SourceTree, read_tree

_VERSION = re.compile(r"^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$")
_FROZEN_IMAGE = re.compile(r"^images/[0-9a-f]{64}\.(png|jpg|svg)$")


class AdoptionRefused(ApprovalRefused):
    """The adoption cannot be recorded; ``problems`` say why. Nothing was written."""

    action: ClassVar[str] = "adopt"


@dataclass(frozen=True)
class AdoptionRequest:
    school: str
    slug: str
    model_version: str  # as typed: '2.1'
    body: str
    date: dt.date  # the adopting meeting, and the day the adopted version takes effect
    minute: str | None = None
    note: str | None = None  # default: "Adopted the trust's model version V."
    kind: Kind | None = None  # None: by the model's numbering (see the module's docstring)


@dataclass(frozen=True)
class AdoptionRecord:
    number: VersionNumber
    kind: Kind
    model: ModelRef
    snapshot: Path
    history: Path
    sha256: str


def adoption_problems(request: AdoptionRequest, today: dt.date) -> list[str]:
    """Everything wrong with the command line's values, before anything is read."""
    problems = []
    if not SLUG.match(request.school):
        problems.append(
            _(
                "'%(school)s' is not a school id; expected the school's folder name under "
                "%(folder)s/: lowercase letters, digits and single hyphens"
            )
            % {"school": visible_value(request.school), "folder": SCHOOLS_DIR}
        )
    if not _VERSION.match(request.model_version):
        problems.append(
            _(
                "--model-version '%(version)s' is not a version number; expected MAJOR.MINOR as "
                "the model's history gives it, e.g. 2.1"
            )
            % {"version": visible_value(request.model_version)}
        )
    note = request.note if request.note is not None else "adopted"  # checked when given
    as_approval = ApprovalRequest(
        request.slug, request.body, request.date, request.minute, "major", note, request.date
    )
    # The same rules as approve: values that go into the hash chain for good.
    names = {**OPTION_NAMES, "meeting": "--date", "date": "--date"}
    problems += [problem.message for problem in request_problems(as_approval, today, names)]
    return list(dict.fromkeys(problems))


def adopt(
    root: Path, content: Path, diags: Diagnostics, request: AdoptionRequest
) -> AdoptionRecord:
    """Record the adoption. The caller has already run ``check`` of the school with no
    errors; every problem found here is raised as :class:`AdoptionRefused` before anything is
    written."""
    if problems := adoption_problems(request, build_date()):
        raise AdoptionRefused(*problems)
    slug, school_dir = request.slug, root / SCHOOLS_DIR / request.school
    folder = school_dir / POLICIES_DIR / slug
    history_path = folder / HISTORY_FILE
    md = create_parser()
    # Read as the school's check reads them, each file once (the group's school names are
    # read apart from the tree: reading once, the school's details are still opened once).
    with reading_once():
        reading = _read_sources(root, content, request, diags)
    if reading is None:
        raise ContentError(diags)
    school, variables, model_policy, history, local, names, tree = reading
    wanted = parse_version(request.model_version)
    entry = next((e for e in model_policy.history.entries if e.version.number == wanted), None)
    if entry is None:
        known = ", ".join(str(e.version.number) for e in model_policy.history.entries) or _(
            "none yet"
        )
        raise AdoptionRefused(
            _(
                "the trust has not approved version %(wanted)s of the model "
                "'%(slug)s'; approved versions: %(known)s"
            )
            % {"wanted": wanted, "slug": slug, "known": known}
        )
    approved = model_policy.approved[model_policy.history.entries.index(entry)]
    model_path, model_text = approved.policy.source, approved.text
    if digest(model_text) != entry.sha256:
        raise AdoptionRefused(
            _(
                "%(model_path)s: model version %(wanted)s no longer hashes to what the "
                "trust approved; run 'policypress check'"
            )
            % {"model_path": model_path, "wanted": wanted}
        )
    composed = compose(md, model_text, {k: s.text for k, s in local.sections.items()})
    image_bytes = _image_bytes(approved, composed, (school, variables), diags, tree)
    problems = _unfilled(diags, model_path, composed, local.path)
    problems += _other_schools(names, request.school, diags, model_path, model_text, wanted)
    model = ModelRef(wanted, entry.sha256)
    text = canonical_text(composed.text)
    sha256 = digest(composed.text)
    last = history.last
    last_model = last.version.model if last is not None else None
    if last is not None and last.sha256 == sha256:
        problems.append(
            _(
                "nothing to adopt: the school's version %(number)s is already model version "
                "%(wanted)s with the same local text"
            )
            % {"number": last.version.number, "wanted": wanted}
        )
    if last_model is not None and wanted < last_model.version:
        problems.append(
            _(
                "model version %(wanted)s is older than version %(adopted)s, which the school "
                "adopted as its version %(number)s"
            )
            % {
                "wanted": wanted,
                "adopted": last_model.version,
                "number": last.version.number if last else "",
            }
        )
    if request.date < entry.version.date:
        problems.append(
            _(
                "--date %(date)s is before the trust approved model version %(wanted)s "
                "(%(approved)s); a school adopts a model version after it is approved"
            )
            % {"date": request.date, "wanted": wanted, "approved": entry.version.date}
        )
    if last is not None and request.date < last.version.date:
        problems.append(
            _(
                "--date %(date)s is before the school's version %(number)s (%(last)s); dates "
                "may not go backwards"
            )
            % {"date": request.date, "number": last.version.number, "last": last.version.date}
        )
    newer_major = last_model is None or wanted.major > last_model.version.major
    kind: Kind = request.kind or ("major" if newer_major else "minor")
    if last is None and kind == "minor":
        problems.append(
            _("the first adoption of a policy is the school's version 1.0; use --major")
        )
    number = history.next_number(kind)
    snapshot = folder / VERSIONS_DIR / f"{number}.md"
    if snapshot.exists() and not holds_text(snapshot, text, tree):
        problems.append(
            _(
                "%(snapshot)s already exists, has no history entry and is not the text being "
                "adopted; if it is left over from an interrupted adoption, delete it and try "
                "again"
            )
            % {"snapshot": snapshot}
        )
    if problems:
        raise AdoptionRefused(*problems)
    note = (request.note or f"Adopted the trust's model version {wanted}.").strip()
    minute = request.minute.strip() if request.minute is not None else None
    version = ApprovedVersion(
        number,
        request.date,
        kind,
        note,
        Approval(request.body.strip(), request.date, minute),
        line=0,
        model=model,
    )
    record_version(
        history_path,
        history.text,
        last.chain if last else "",
        NewVersion(version, text, sha256, snapshot),
        first=last is None,
        freeze_images=lambda: _copy_images(image_bytes, folder / VERSIONS_DIR),
        refused=AdoptionRefused,
    )
    return AdoptionRecord(number, kind, model, snapshot, history_path, sha256)


def _read_sources(
    root: Path, content: Path, request: AdoptionRequest, diags: Diagnostics
) -> tuple[School, Variables, LoadedPolicy, History, LocalText, dict[str, str], SourceTree] | None:
    """What an adoption reads, by the readers the school's check composes: the school's
    details, the model policy (read with them), the school's adoption history of it (none
    yet: an empty one), its local sections and the names of the group's schools."""
    school_dir = root / SCHOOLS_DIR / request.school
    diags.readable.append(school_dir)
    md = create_parser()
    model_dir = content / "policies" / request.slug
    adoption_dir = school_dir / POLICIES_DIR / request.slug
    local_path = school_dir / LOCAL_DIR / f"{request.slug}.md"
    details = (root / TRUST_FILE, school_dir / SCHOOL_FILE)
    tree = read_tree(diags, [*details, model_dir, adoption_dir, local_path])
    trust = read_trust(root, diags, tree)
    school = read_school(school_dir, diags, tree)
    if trust is None or school is None:
        return None
    variables = Variables.for_school(school, trust)
    model = read_policy(model_dir, md, school, diags, tree, variables)
    history_path = adoption_dir / HISTORY_FILE
    exists = os.path.lexists(history_path)
    history = read_history(history_path, diags, tree) if exists else History()
    local = read_local(local_path, md, diags, tree)
    if model is None or history is None or local is None:
        return None
    return school, variables, model, history, local, group_names(root, school_ids(root)), tree


def _image_bytes(
    approved: PolicyText,
    composed: Composed,
    reading: tuple[School, Variables],
    diags: Diagnostics,
    tree: SourceTree,
) -> dict[str, bytes]:
    """The frozen images the school's text shows (the model version's, less those of local
    sections the school wrote), by their names: read by the reader of a composed text, as
    the school's check reads it, so the bytes are the ones it hashed."""
    school, variables = reading
    source, slug = approved.policy.source, approved.policy.slug
    text = read_policy_text(
        source,
        slug,
        create_parser(),
        school,
        diags,
        tree,
        snapshot=True,
        text=composed.text,
        variables=variables,
    )
    if text is None:
        raise ContentError(diags)
    found: dict[str, bytes] = {}
    for image in text.policy.images:
        data = tree[image.path].data(diags, limit=MAX_IMAGE_BYTES)
        if data is None:
            raise ContentError(diags)
        found[image.src] = data
    return found


def _unfilled(
    diags: Diagnostics, model_path: Path, composed: Composed, local_path: Path
) -> list[str]:
    """One line per local section the school has not written, naming where the model has it."""
    return [
        _(
            "%(location)s: local section '%(section)s' is not written (model %(model)s); add "
            "'## {#%(section)s}' and the school's text before adopting"
        )
        % {
            "location": diags.location(local_path),
            "section": section,
            "model": diags.location(model_path, composed.headings.get(section, 1), 1),
        }
        for section in composed.unfilled
    ]


def _other_schools(
    names: dict[str, str],
    school_id: str,
    diags: Diagnostics,
    model_path: Path,
    model_text: str,
    wanted: VersionNumber,
) -> list[str]:
    """One line per place where the model version names another school of the group: adopted,
    that name would stand in this school's approved text for good."""
    own = names.get(school_id, "")
    return [
        _(
            "%(location)s: model version %(wanted)s names %(found)s, another school of the "
            "group; the trust should write {{ school.name }} there and approve a new model "
            "version, then adopt that"
        )
        % {
            "location": diags.location(model_path, at.line, at.col),
            "wanted": wanted,
            "found": shown(at.found),
        }
        for at in other_group_schools(model_text, own, list(names.values()))
    ]


def _copy_images(image_bytes: dict[str, bytes], school_versions: Path) -> None:
    """The frozen images the school's text shows, copied beside its snapshot (names are their
    SHA-256: a copy already there is the same image)."""
    for src, data in image_bytes.items():
        target = school_versions / src
        if not target.exists():
            write_atomic_bytes(target, data)
