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
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from policypress.commands.approval import ApprovalRequest, ValueProblem, value_problems
from policypress.commands.recording import (
    ApprovalRefused,
    ContentNotSound,
    Kind,
    NewVersion,
    holds_text,
    record_version,
    visible_value,
)
from policypress.content.group import POLICIES_DIR, school_ids
from policypress.content.history import HISTORY_FILE, History, read_history
from policypress.content.images import MAX_IMAGE_BYTES
from policypress.content.local import LOCAL_DIR, Composed, LocalText, read_composed_text, read_local
from policypress.content.notation import parse_version
from policypress.content.othernames import group_names, other_group_schools, shown
from policypress.content.policy import (
    VERSIONS_DIR,
    LoadedPolicy,
    PolicyText,
    read_policy,
)
from policypress.content.school import SCHOOL_FILE, read_school, read_trust
from policypress.core.dates import build_date
from policypress.core.diagnostics import ContentError, Diagnostics, did_you_mean
from policypress.core.errors import PolicypressError
from policypress.core.files import write_atomic_bytes
from policypress.core.hashing import canonical_text, digest
from policypress.core.messages import N_
from policypress.core.messages import gettext as _
from policypress.core.project import SCHOOLS_DIR, TRUST_FILE, Project
from policypress.core.safefile import reading_once
from policypress.core.vocabulary import SLUG
from policypress.model import Approval, ApprovedVersion, ModelRef, School, VersionNumber
from policypress.model.variables import Variables
from policypress.source.markdown import create_parser
from policypress.source.tree import SourceTree, read_tree

_VERSION = re.compile(r"^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$")
_FROZEN_IMAGE = re.compile(r"^images/[0-9a-f]{64}\.(png|jpg|svg)$")


# What the command line calls each of an adoption's values (``version``: the model version)
# the studio calls them by its form's labels instead. ``kind`` names the way to number a
# first adoption as 1.0.
OPTIONS: Mapping[str, str] = {
    "school": "SCHOOL",
    "version": "--model-version",
    "body": "--by",
    "date": "--date",
    "minute": "--minute",
    "note": "--note",
    "kind": "--major",
}


class AdoptionRefused(ApprovalRefused):
    """The adoption cannot be recorded; ``problems`` say why, and ``placed`` which value of
    the request each is about (None: the adoption as a whole). Nothing was written."""

    action: ClassVar[str] = "adopt"

    def __init__(self, *problems: str | ValueProblem) -> None:
        placed = tuple(
            p if isinstance(p, ValueProblem) else ValueProblem(None, p) for p in problems
        )
        super().__init__(*(problem.message for problem in placed))
        self.placed = placed


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
    return [problem.message for problem in adoption_value_problems(request, today)]


def adoption_value_problems(
    request: AdoptionRequest, today: dt.date, names: Mapping[str, str] = OPTIONS
) -> list[ValueProblem]:
    """:func:`adoption_problems`, each with the value of the request it is about;
    ``names``: what the messages call the values (the command line's options by default)."""
    problems = []
    if not SLUG.match(request.school):
        problems.append(
            ValueProblem(
                "school",
                _(
                    "'%(school)s' is not a school id; expected the school's folder name under "
                    "%(folder)s/: lowercase letters, digits and single hyphens"
                )
                % {"school": visible_value(request.school), "folder": SCHOOLS_DIR},
            )
        )
    if not _VERSION.match(request.model_version):
        problems.append(
            ValueProblem(
                "version",
                _(
                    "%(option)s '%(version)s' is not a version number; expected MAJOR.MINOR as "
                    "the model's history gives it, e.g. 2.1"
                )
                % {
                    "option": names["version"],
                    "version": visible_value(request.model_version),
                },
            )
        )
    if request.date > today:
        # The adopted version is in force from this date, and published at once.
        problems.append(
            ValueProblem(
                "date",
                _(
                    "%(option)s %(date)s is in the future (today is %(today)s); record the "
                    "adoption on or after the meeting that adopted it"
                )
                % {"option": names["date"], "date": request.date, "today": today},
            )
        )
    note = request.note if request.note is not None else "adopted"  # checked when given
    # The same rules as approve (the date checked above): values that go into the hash
    # chain for good.
    as_approval = ApprovalRequest(
        request.slug, request.body, min(request.date, today), request.minute, "major", note
    )
    problems += value_problems(as_approval, today, names)
    return list(dict.fromkeys(problems))


class SchoolNotSound(ContentNotSound):
    """``check`` reports errors in the adopting school's files: nothing can be adopted
    until they are put right."""

    refusal = N_("policypress: cannot adopt while check reports errors")


def adopt_in_group(
    project: Project, request: AdoptionRequest, names: Mapping[str, str] = OPTIONS
) -> AdoptionRecord:
    """Everything ``policypress adopt`` does before it reports, for the command line and the
    studio alike: the request checked, the school checked as ``check`` checks it, then
    :func:`adopt`. Raises :class:`AdoptionRefused`, :class:`SchoolNotSound` or a
    :class:`PolicypressError` naming a model policy there is none of; nothing is written
    then."""
    from policypress.build import check  # the whole pipeline, only when adopting

    problems = adoption_value_problems(request, build_date(), names)
    if not project.is_group:
        problems.insert(
            0,
            ValueProblem(
                None,
                _("%(root)s is not a group of schools (it has no trust.yml)")
                % {"root": project.root},
            ),
        )
    elif request.school not in project.school_ids():
        known = project.school_ids()
        problems.insert(
            0,
            ValueProblem(
                "school",
                _("no school '%(school)s'%(did_you_mean)s")
                % {"school": request.school, "did_you_mean": did_you_mean(request.school, known)},
            ),
        )
    if problems:
        raise AdoptionRefused(*problems)
    school = project.for_school(request.school)
    preview, diags = check(school, "preview")
    if diags.errors:
        raise SchoolNotSound(diags)
    if preview is None or preview.policy(request.slug) is None:
        slugs = [p.slug for p in preview.policies] if preview else []
        raise PolicypressError(
            _("no model policy '%(slug)s'%(did_you_mean)s")
            % {"slug": request.slug, "did_you_mean": did_you_mean(request.slug, slugs)}
        )
    return adopt(project.root, project.content, Diagnostics(project.root), request, names)


def adopt(
    root: Path,
    content: Path,
    diags: Diagnostics,
    request: AdoptionRequest,
    names: Mapping[str, str] = OPTIONS,
) -> AdoptionRecord:
    """Record the adoption. The caller has already run ``check`` of the school with no
    errors; every problem found here is raised as :class:`AdoptionRefused` before anything is
    written. ``names``: what its messages call the request's values."""
    if problems := adoption_value_problems(request, build_date(), names):
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
    school, variables, model_policy, history, local, schools, tree = reading
    wanted = parse_version(request.model_version)
    entry = next((e for e in model_policy.history.entries if e.version.number == wanted), None)
    if entry is None:
        known = ", ".join(str(e.version.number) for e in model_policy.history.entries) or _(
            "none yet"
        )
        raise AdoptionRefused(
            ValueProblem(
                "version",
                _(
                    "the trust has not approved version %(wanted)s of the model "
                    "'%(slug)s'; approved versions: %(known)s"
                )
                % {"wanted": wanted, "slug": slug, "known": known},
            )
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
    composed, school_text = read_composed_text(md, approved, local, school, variables, diags, tree)
    if school_text is None:
        raise ContentError(diags)
    image_bytes = _image_bytes(school_text, diags, tree)
    problems = [
        ValueProblem(None, problem)
        for problem in (
            *_unfilled(diags, model_path, composed, local.path),
            *_other_schools(schools, request.school, diags, model_path, model_text, wanted),
        )
    ]
    model = ModelRef(wanted, entry.sha256)
    text = canonical_text(composed.text)
    sha256 = digest(composed.text)
    last = history.last
    last_model = last.version.model if last is not None else None
    if last is not None and last.sha256 == sha256:
        problems.append(
            ValueProblem(
                "version",
                _(
                    "nothing to adopt: the school's version %(number)s is already model "
                    "version %(wanted)s with the same local text"
                )
                % {"number": last.version.number, "wanted": wanted},
            )
        )
    if last_model is not None and wanted < last_model.version:
        problems.append(
            ValueProblem(
                "version",
                _(
                    "model version %(wanted)s is older than version %(adopted)s, which the "
                    "school adopted as its version %(number)s"
                )
                % {
                    "wanted": wanted,
                    "adopted": last_model.version,
                    "number": last.version.number if last else "",
                },
            )
        )
    if request.date < entry.version.date:
        problems.append(
            ValueProblem(
                "date",
                _(
                    "%(option)s %(date)s is before the trust approved model version "
                    "%(wanted)s (%(approved)s); a school adopts a model version after it is "
                    "approved"
                )
                % {
                    "option": names["date"],
                    "date": request.date,
                    "wanted": wanted,
                    "approved": entry.version.date,
                },
            )
        )
    if last is not None and request.date < last.version.date:
        problems.append(
            ValueProblem(
                "date",
                _(
                    "%(option)s %(date)s is before the school's version %(number)s "
                    "(%(last)s); dates may not go backwards"
                )
                % {
                    "option": names["date"],
                    "date": request.date,
                    "number": last.version.number,
                    "last": last.version.date,
                },
            )
        )
    newer_major = last_model is None or wanted.major > last_model.version.major
    kind: Kind = request.kind or ("major" if newer_major else "minor")
    if last is None and kind == "minor":
        problems.append(
            ValueProblem(
                "kind",
                _("the first adoption of a policy is the school's version 1.0; use %(option)s")
                % {"option": names["kind"]},
            )
        )
    number = history.next_number(kind)
    snapshot = folder / VERSIONS_DIR / f"{number}.md"
    if snapshot.exists() and not holds_text(snapshot, text, tree):
        problems.append(
            ValueProblem(
                None,
                _(
                    "%(snapshot)s already exists, has no history entry and is not the text "
                    "being adopted; if it is left over from an interrupted adoption, delete it "
                    "and try again"
                )
                % {"snapshot": snapshot},
            )
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


def _image_bytes(school_text: PolicyText, diags: Diagnostics, tree: SourceTree) -> dict[str, bytes]:
    """The frozen images the school's text shows (the model version's, less those of local
    sections the school wrote), by their names: the bytes the school's check hashed."""
    found: dict[str, bytes] = {}
    for image in school_text.policy.images:
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
