"""A group of schools (a trust, federation or local authority) in one project.

``trust.yml`` at the project root makes a project a group: ``content/`` holds the trust's
model policies (and the agreements, posters and assets every school shares), and
``schools/<id>/`` each school's ``school.yml``, its text for the models' local sections
(``local/<slug>.md``) and its adoptions (``policies/<slug>/history.yml`` and ``versions/``).

A school's content is the model content read with the school's details, its policies replaced
by the school's: each adopted version (the model version's text with the school's local text,
hash-chained in the school's own history, with the model version it came from), and for the
preview the latest approved model version composed with the school's current local text.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from policypress.content.history import HISTORY_FILE, History, HistoryEntry, read_history
from policypress.content.loader import Sources, read_content, sources_from
from policypress.content.local import LOCAL_DIR, LocalText, read_composed_text, read_local
from policypress.content.othernames import group_names, warn_local_names, warn_model_names
from policypress.content.policy import (
    VERSIONS_DIR,
    LoadedPolicy,
    PolicyText,
    draft_version,
    placed_in_history,
    read_snapshots,
)
from policypress.content.school import SCHOOL_FILE, read_school, read_trust
from policypress.core.diagnostics import WHOLE_FILE, Diagnostics, Position, ProjectPlace, Suggestion
from policypress.core.messages import gettext as _
from policypress.core.project import SCHOOLS_DIR, TRUST_FILE, Project
from policypress.core.safefile import check_tree
from policypress.core.vocabulary import SLUG
from policypress.model import (
    Clause,
    ModelRef,
    ModelVersionNote,
    Policy,
    School,
    VersionNumber,
)
from policypress.model.variables import Variables
from policypress.source.markdown import create_parser
from policypress.source.tree import SourceTree

POLICIES_DIR = "policies"


def school_ids(root: Path) -> list[str]:
    return Project.at(root).school_ids()


def read_trust_sources(
    root: Path,
    content: Path,
    diags: Diagnostics,
    icon_names: frozenset[str] | None = None,
    quizzes: Path | None = None,
) -> Sources | None:
    """The trust's model content on its own (as ``approve`` of a model sees it), read with
    the trust's details standing in for a school's."""
    checked = [root / SCHOOLS_DIR]
    tree = read_content(content, quizzes, diags, also=[root / TRUST_FILE], checked=checked)
    trust = read_trust(root, diags, tree)
    if trust is None:
        return None
    sources = sources_from(
        tree,
        content,
        diags,
        icon_names,
        quizzes,
        school=trust.as_school(),
        variables=Variables.for_model(trust),
        since=len(diags.errors),
    )
    if sources is None:
        return None
    names = list(group_names(root, school_ids(root)).values())
    for loaded in sources.policies:  # the working texts: approved ones cannot change
        warn_model_names(loaded.working.policy.source, loaded.working.text, names, diags)
    return dataclasses.replace(sources, trust=trust)


def check_school_ids(root: Path, diags: Diagnostics) -> list[str]:
    """The school ids, after reporting bad folder names, a school folder that is a symlink
    (leading outside the project, or to another of its folders). A group without schools yet
    (a new one) builds the trust's pages alone.
    ``check`` and every group build call this, so what one refuses the other does too."""
    folder = root / SCHOOLS_DIR
    check_tree(folder, diags)  # a link leading outside the project, among everything else
    project = root.resolve()
    for entry in sorted(folder.iterdir()) if folder.is_dir() else ():
        target = entry.resolve()
        if entry.is_symlink() and target.is_dir() and target.is_relative_to(project):
            diags.error(
                entry,
                WHOLE_FILE,
                _(
                    "is a symlink to %(target)s; expected the school's own folder (a school "
                    "is never a link to another folder)"
                )
                % {"target": target},
            )
    ids = school_ids(root)
    for school_id in ids:
        if not SLUG.match(school_id):
            diags.error(
                root / SCHOOLS_DIR / school_id,
                WHOLE_FILE,
                _(
                    "school folder name '%(school_id)s' is not a valid id; expected "
                    "lowercase letters, digits and single hyphens, e.g. 'oakfield-infant'"
                )
                % {"school_id": school_id},
            )
    return [i for i in ids if SLUG.match(i)]


def read_school_sources(
    root: Path,
    content: Path,
    school_id: str,
    diags: Diagnostics,
    icon_names: frozenset[str] | None = None,
    quizzes: Path | None = None,
) -> Sources | None:
    """One school's content: the models read with its details, its policies its adoptions."""
    folder = root / SCHOOLS_DIR / school_id
    if not folder.is_dir():
        diags.error(
            folder,
            WHOLE_FILE,
            _("no school '%(school_id)s' in %(schools_dir)s/")
            % {"school_id": school_id, "schools_dir": SCHOOLS_DIR},
            Suggestion(school_id, tuple(school_ids(root))),
        )
        return None
    errors_before = len(diags.errors)  # check reads every school with the same diagnostics
    diags.readable.append(folder)
    also = [root / TRUST_FILE, folder / SCHOOL_FILE, folder / LOCAL_DIR, folder / POLICIES_DIR]
    tree = read_content(content, quizzes, diags, also=also, checked=[folder])
    trust = read_trust(root, diags, tree)
    school = read_school(folder, diags, tree)
    if trust is None or school is None:
        return None
    variables = Variables.for_school(school, trust)
    models = sources_from(
        tree,
        content,
        diags,
        icon_names,
        quizzes,
        school=school,
        variables=variables,
        # The models' problems alone stop reading the school's policies from them: a
        # problem of the school's own files is reported with those of its policies.
        since=len(diags.errors),
    )
    if models is None:
        return None
    md = create_parser()
    _check_local_files(folder, [m.working.policy.slug for m in models.policies], diags)
    names = list(group_names(root, school_ids(root)).values())
    policies = [
        loaded
        for model in models.policies
        if (
            loaded := _school_policy(
                folder, school_id, model, md, school, variables, diags, tree, names
            )
        )
        is not None
    ]
    if len(diags.errors) > errors_before:
        return None
    # A model's translations translate the trust's approved text, not the school's adopted
    # one (its local sections, its own hash): a school of a group has none yet.
    return dataclasses.replace(models, policies=policies, trust=trust, translations=())


def _check_local_files(folder: Path, slugs: list[str], diags: Diagnostics) -> None:
    """A local file or adoption folder for a policy the trust has no model of is an error."""
    for sub, what in ((folder / LOCAL_DIR, _("local file")), (folder / POLICIES_DIR, _("folder"))):
        if not sub.is_dir():
            continue
        for path in sorted(sub.iterdir()):
            slug = path.stem if sub.name == LOCAL_DIR else path.name
            if sub.name == LOCAL_DIR and path.suffix != ".md":
                diags.error(
                    path,
                    Position(1, 1),
                    _("expected only <policy-slug>.md files in %(local_dir)s/")
                    % {"local_dir": LOCAL_DIR},
                )
            elif slug not in slugs:
                diags.error(
                    path,
                    Position(1, 1),
                    _("%(what)s for '%(slug)s', but the trust has no model policy '%(slug)s'")
                    % {"what": what, "slug": slug},
                    Suggestion(slug, tuple(slugs)),
                )


@dataclass(frozen=True)
class _Adoptions:
    history: History
    texts: list[PolicyText]


def _school_policy(
    folder: Path,
    school_id: str,
    model: LoadedPolicy,
    md: MarkdownIt,
    school: School,
    variables: Variables,
    diags: Diagnostics,
    tree: SourceTree,
    names: list[str],
) -> LoadedPolicy | None:
    """The school's policy from the ``model``: its adoptions and its local text (in which
    other schools of the group, ``names``, are pointed out)."""
    slug = model.working.policy.slug
    adoptions = _read_adoptions(
        folder / POLICIES_DIR / slug, slug, model, md, school, variables, diags, tree
    )
    local = read_local(folder / LOCAL_DIR / f"{slug}.md", md, diags, tree)
    if local is not None and local.text:
        warn_local_names(local.path, local.text, school.name, names, diags)
    if adoptions is None or local is None:
        return None
    base = model.approved[-1] if model.approved else None
    _check_local_sections(local, model, base, diags)
    latest = base.policy.current if base else None  # the model's newest approved version
    due = None
    last = adoptions.history.last
    if latest is not None and (
        last is None or last.version.model is None or last.version.model.version < latest.number
    ):
        due = ModelVersionNote(latest.number, latest.date, latest.note)
    approved = [
        dataclasses.replace(text, policy=dataclasses.replace(text.policy, adoption_due=due))
        if text.policy.is_latest
        else text
        for text in adoptions.texts
    ]
    history_path = folder / POLICIES_DIR / slug / HISTORY_FILE
    unpublished = _(
        "%(school)s has not adopted '%(slug)s' yet, so its public site leaves it out; adopt "
        "the model with 'policypress adopt %(school_id)s %(slug)s --model-version V --by "
        "BODY --date DATE'"
    ) % {"school": school.name, "slug": slug, "school_id": school_id}
    if base is None:  # the trust has not approved the model: its preview shows the draft
        return LoadedPolicy(approved, model.working, adoptions.history, unpublished)
    _composed, working = read_composed_text(md, base, local, school, variables, diags, tree)
    if working is None:
        return None
    if approved and working.policy.digest == approved[-1].policy.digest:
        shown = approved[-1].policy
    else:
        entries = adoptions.history.entries
        shown = dataclasses.replace(
            working.policy,
            is_draft=True,
            versions=(*(e.version for e in entries), draft_version(adoptions.history)),
            history_source=history_path,
            model=ModelRef(base.policy.current.number, base.policy.digest),
            adoption_due=due,
        )
    return LoadedPolicy(
        approved, dataclasses.replace(working, policy=shown), adoptions.history, unpublished
    )


def _read_adoptions(
    folder: Path,
    slug: str,
    model: LoadedPolicy,
    md: MarkdownIt,
    school: School,
    variables: Variables,
    diags: Diagnostics,
    tree: SourceTree,
) -> _Adoptions | None:
    """The school's adopted versions of a model, each checked against its hash, its chain and
    the model version it names."""
    history_path = folder / HISTORY_FILE
    if not os.path.lexists(history_path):
        if (folder / VERSIONS_DIR).exists():
            diags.error(
                history_path, WHOLE_FILE, _("file not found; expected the adoption history here")
            )
            return None
        return _Adoptions(History(), [])
    errors_before = len(diags.errors)
    history = read_history(history_path, diags, tree)
    if history is None:
        return None
    model_versions = {t.policy.current.number: t.policy for t in model.approved}
    for item in history.legacy:
        diags.error(
            history_path,
            Position(item.line, 1),
            _(
                "a legacy entry in a school's adoption history; expected only versions "
                "written by 'policypress adopt' (record legacy versions in the model's "
                "history)"
            ),
        )
    previous: HistoryEntry | None = None
    for entry in history.entries:
        _check_model_ref(history_path, entry, previous, model_versions, diags)
        previous = entry
    if len(diags.errors) > errors_before:
        return None
    snapshots = read_snapshots(folder, slug, history, md, school, diags, tree, variables)
    if snapshots is None:
        return None
    texts = placed_in_history(snapshots, history, history_path)
    return _Adoptions(history, texts)


def _check_model_ref(
    path: Path,
    entry: HistoryEntry,
    previous: HistoryEntry | None,
    model_versions: dict[VersionNumber, Policy],
    diags: Diagnostics,
) -> None:
    version, ref = entry.version, entry.version.model
    if ref is None:
        diags.error(
            path,
            entry.at,
            _(
                "version %(number)s names no model version; expected 'model: {version, "
                "sha256}', written by 'policypress adopt'"
            )
            % {"number": version.number},
        )
        return
    model = model_versions.get(ref.version)
    if model is None:
        known = ", ".join(str(v) for v in model_versions) or _("none yet")
        diags.error(
            path,
            entry.at,
            _(
                "version %(number)s adopts model version %(version)s, which the trust's "
                "history does not have; expected one of: %(known)s"
            )
            % {"number": version.number, "version": ref.version, "known": known},
        )
        return
    digest = model.digest
    if digest != ref.sha256:
        diags.error(
            path,
            entry.at,
            _(
                "version %(number)s: model version %(version)s hashes to %(digest)s… in "
                "the trust's history, but this adoption recorded %(sha256)s…; was the "
                "adoption or the model's history edited?"
            )
            % {
                "number": version.number,
                "version": ref.version,
                "digest": digest[:12],
                "sha256": ref.sha256[:12],
            },
        )
    earlier = previous.version.model if previous is not None else None
    if earlier is not None and ref.version < earlier.version:
        diags.error(
            path,
            entry.at,
            _(
                "version %(number)s adopts model version %(version)s, older than the "
                "%(earlier)s adopted before it; expected model versions in order"
            )
            % {"number": version.number, "version": ref.version, "earlier": earlier.version},
        )


def _check_local_sections(
    local: LocalText, model: LoadedPolicy, base: PolicyText | None, diags: Diagnostics
) -> None:
    """Every section the school wrote is a local section of the model (its working text or
    its latest approved version); every local section of the latest approved version that
    the school has not written is a warning (adopt refuses until it is)."""
    slug = model.working.policy.slug
    known: dict[str, Clause] = {}
    for text in (model.working, *([base] if base else [])):
        known.update({c.id: c for c in text.policy.all_clauses if c.local})
    for section in local.sections.values():
        if section.id not in known and not known:
            diags.error(
                local.path,
                Position(section.line, section.col),
                _(
                    "'%(id)s' is not a local section of the model '%(slug)s'; the model has "
                    "no local sections"
                )
                % {"id": section.id, "slug": slug},
            )
        elif section.id not in known:
            diags.error(
                local.path,
                Position(section.line, section.col),
                _("'%(id)s' is not a local section of the model '%(slug)s'")
                % {"id": section.id, "slug": slug},
                Suggestion(section.id, tuple(sorted(known))),
            )
    if base is None:
        return
    for clause in base.policy.all_clauses:
        if clause.local and not local.filled(clause.id):
            where = local.sections.get(clause.id)
            diags.warning(
                local.path,
                Position(where.line if where else 1, where.col if where else 1),
                _(
                    "local section '%(id)s' (%(label)s %(title)s) of '%(slug)s' is not "
                    "written yet (model %(location)s); add '## {#%(id)s}' and the school's "
                    "text here: the school cannot adopt the policy until it is"
                )
                % {
                    "id": clause.id,
                    "label": clause.label,
                    "title": clause.title,
                    "slug": slug,
                    "location": ProjectPlace(diags.root, base.policy.source, clause.line, 1),
                },
            )
