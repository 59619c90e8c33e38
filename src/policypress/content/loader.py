"""Compose the readers of ``content/`` and ``quizzes/`` into the frozen :class:`Content`.

Every file is read once, into an in-memory tree (:mod:`policypress.source.tree`), and taken
from it by its reader (:mod:`.school`, :mod:`.policy`, :mod:`.agreements`, :mod:`.posters`,
:mod:`.learning`), into :class:`Sources`; :func:`assemble` then builds the
content of a build mode from them and runs the checks that span files (references between
policies, posters and forms, review dates). Every problem is collected, none stops the rest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from policypress.content.agreements import LoadedAgreement, load_agreements
from policypress.content.agreementtranslation import (
    LoadedAgreementTranslation,
    check_agreement_translations,
    read_agreement_translations,
)
from policypress.content.crosschecks import check_across
from policypress.content.learning import LoadedPoints, load_points
from policypress.content.learningtranslation import load_point_translations
from policypress.content.policy import POLICY_FILE as POLICY_FILE  # approve, adopt use them
from policypress.content.policy import VERSIONS_DIR as VERSIONS_DIR
from policypress.content.policy import LoadedPolicy, read_policy
from policypress.content.posters import LoadedPoster, read_poster_translations, read_posters
from policypress.content.school import SCHOOL_FILE, read_school
from policypress.content.translation import (
    LoadedTranslation,
    check_translation_links,
    read_translations,
)
from policypress.core.dates import build_date
from policypress.core.diagnostics import WHOLE_FILE, Diagnostics, Position
from policypress.core.messages import gettext as _
from policypress.core.safefile import check_tree
from policypress.model import (
    Content,
    Mode,
    PointTranslation,
    PosterTranslation,
    School,
    Trust,
)
from policypress.model.variables import Variables
from policypress.source.markdown import create_parser
from policypress.source.tree import SourceTree, read_tree

POLICIES_DIR = "policies"
AGREEMENTS_DIR = "agreements"
POSTERS_DIR = "posters"


@dataclass(frozen=True)
class Sources:
    """Everything read from ``content/`` and ``quizzes/`` that does not depend on the build
    mode: read once, then assembled into the public content, the preview, or both."""

    root: Path
    school: School
    policies: list[LoadedPolicy]
    agreements: list[LoadedAgreement]
    points: LoadedPoints
    posters: list[LoadedPoster]
    posters_read: bool  # False: a poster file could not be read (its problems are reported)
    icon_names: frozenset[str] | None
    trust: Trust | None = None  # a group project's trust (see content/group.py)
    # Every policy's translations (policy.<language>.md), checked against its history: the
    # same whatever the build mode, since a translation only ever translates approved text.
    translations: tuple[LoadedTranslation, ...] = ()
    # Every form's translations (<form>.<language>.md), each read on its own: they are
    # compared with their English form as a build of each mode shows it.
    agreement_translations: tuple[LoadedAgreementTranslation, ...] = ()
    # The learning points' wording and the posters' titles in other languages.
    point_translations: tuple[PointTranslation, ...] = ()
    poster_translations: tuple[PosterTranslation, ...] = ()


def read_sources(
    root: Path,
    diags: Diagnostics,
    icon_names: frozenset[str] | None = None,
    quizzes: Path | None = None,
) -> Sources | None:
    """A school's content (``root``, its ``school.yml`` included) and learning points,
    read and validated; None if any error was reported."""
    errors_before = len(diags.errors)
    tree = read_content(root, quizzes, diags, also=[root / SCHOOL_FILE])
    school = read_school(root, diags, tree)
    variables = Variables.for_school(school) if school is not None else None
    return sources_from(
        tree,
        root,
        diags,
        icon_names,
        quizzes,
        school=school,
        variables=variables,
        since=errors_before,
    )


def read_content(
    root: Path,
    quizzes: Path | None,
    diags: Diagnostics,
    *,
    also: Sequence[Path] = (),
    checked: Sequence[Path] = (),
) -> SourceTree:
    """Every file the readers read from ``root`` (the content folder), ``quizzes`` and
    ``also``, read once into a tree, after what the gate refuses in the ``checked`` folders
    is reported (the content folders are checked where their problems count, see
    :func:`sources_from`)."""
    diags.readable.extend(p for p in (root, quizzes) if p is not None)
    places = [root / POLICIES_DIR, root / AGREEMENTS_DIR, root / POSTERS_DIR]
    return read_tree(diags, [*also, *places, *([quizzes] if quizzes else [])], checked=checked)


def sources_from(
    tree: SourceTree,
    root: Path,
    diags: Diagnostics,
    icon_names: frozenset[str] | None,
    quizzes: Path | None,
    *,
    school: School | None,
    variables: Variables | None,
    since: int,
) -> Sources | None:
    """The content of ``root`` and the learning points of ``quizzes``, taken from ``tree``
    and validated, read for ``school`` (in a group, the school or the trust the models are
    read for), its ``{{ … }}`` showing ``variables``. None if any error was reported after
    the first ``since`` (a group reads the models once per school, with one Diagnostics).
    """
    md = create_parser()
    errors_before = since
    # Everything in the folders that is not a regular file inside the project, reported
    # (the tree's gate refused each such file without opening it).
    for folder in (root, quizzes):
        if folder is not None:
            check_tree(folder, diags)
    policies_dir = root / POLICIES_DIR
    drafts: list[LoadedPolicy] = []
    translations: list[LoadedTranslation] = []
    if not policies_dir.is_dir():
        diags.error(
            policies_dir, WHOLE_FILE, _("folder not found; expected one folder per policy here")
        )
    else:
        for folder in sorted(p for p in policies_dir.iterdir() if p.is_dir()):
            loaded = read_policy(folder, md, school, diags, tree, variables)
            if loaded is not None:
                drafts.append(loaded)
            translations += read_translations(folder, loaded, school, md, diags, tree, variables)
    agreements = load_agreements(
        root / AGREEMENTS_DIR,
        md,
        icon_names,
        diags,
        tree,
        school.placeholder_pattern if school else None,
        variables,
    )
    agreement_translations = read_agreement_translations(
        root / AGREEMENTS_DIR, agreements, school, md, icon_names, diags, tree, variables
    )
    points = load_points(quizzes, diags, tree, icon_names)
    point_translations = load_point_translations(quizzes, points.points, school, diags, tree)
    if school is None or len(diags.errors) > errors_before:
        return None
    # A poster that cannot be read does not stop the checks that span files (as they run
    # only on sources read), but the content is refused after them.
    posters_before = len(diags.errors)
    posters = read_posters(root / POSTERS_DIR, diags, tree)
    poster_translations = read_poster_translations(root / POSTERS_DIR, school, diags, tree)
    posters_read = len(diags.errors) == posters_before
    return Sources(
        root,
        school,
        drafts,
        agreements,
        points,
        posters,
        posters_read,
        icon_names,
        translations=tuple(translations),
        agreement_translations=tuple(agreement_translations),
        point_translations=tuple(point_translations),
        poster_translations=tuple(poster_translations),
    )


def assemble(sources: Sources, mode: Mode, diags: Diagnostics) -> Content | None:
    """The content a build of ``mode`` shows, with the checks that depend on it."""
    errors_before = len(diags.errors)
    shown = []
    drafts = sources.policies
    for loaded in drafts:
        text = loaded.for_mode(mode)
        if text is None:
            diags.warning(
                loaded.working.policy.source,
                Position(1, 1),
                loaded.unpublished_message
                or _(
                    "policy '%(slug)s' has never been approved, so the public site leaves it "
                    "out; approve it with 'policypress approve'"
                )
                % {"slug": loaded.working.policy.slug},
            )
        else:
            shown.append(text)
    content = Content(
        root=sources.root,
        school=sources.school,
        policies=[t.policy for t in shown],
        agreements=[],
        mode=mode,
        points=sources.points.points,
        unpublished=frozenset(d.working.policy.slug for d in drafts if d.for_mode(mode) is None),
        archives={d.working.policy.slug: tuple(t.policy for t in d.approved) for d in drafts},
        trust=sources.trust,
        translations=tuple(loaded.translation for loaded in sources.translations),
        point_translations=sources.point_translations,
        poster_translations=sources.poster_translations,
    )
    checked = check_across(
        content,
        shown,
        sources.points,
        sources.posters,
        sources.agreements,
        sources.icon_names,
        build_date(),
        diags,
    )
    for translation in sources.translations:
        check_translation_links(content, translation, diags)
    agreement_translations = check_agreement_translations(
        content, checked.agreements, sources.agreement_translations, diags
    )
    if len(diags.errors) > errors_before or not sources.posters_read:
        return None
    # Everything was checked above, whatever ages it is for; the build gets what fits the
    # ages the school teaches.
    checked_content = dataclasses.replace(
        content,
        posters=checked.posters,
        agreements=checked.agreements,
        agreement_translations=agreement_translations,
    )
    return checked_content.for_its_ages()
