"""Classroom posters (``content/posters/*.yml``), checked against the policies, the school's
contacts and the learning points whose wording they reuse."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policypress.content.schema import FileModel, PosterFile, Text
from policypress.content.translationfiles import file_language_ok, warn_if_unlisted
from policypress.content.validation import validated
from policypress.core.diagnostics import WHOLE_FILE, Diagnostics, Suggestion
from policypress.core.messages import N_
from policypress.core.messages import gettext as _
from policypress.core.vocabulary import SLUG
from policypress.model import PosterTranslation, School
from policypress.source.sourceyaml import YamlDocument
from policypress.source.tree import SourceTree

# Which learning-point tier a poster's audience reads.
TIER_FOR_AUDIENCE = {"ks1": "ks1", "ks2": "lks2", "everyone": "ks1", "staff": "staff"}
LAYOUT_NEEDS = {"rules": "rules", "contacts": "contacts", "dos-and-donts": "dos"}


# A poster's geometry (outputs/pdf/posters.py lays it out with these). A3 is A4 scaled by the
# square root of 2, text and all, so both hold the same number of lines.
PAPER_HEIGHT_MM = {"A4": 297, "A3": 420}
MARGIN_MM = 12  # inside what ordinary school printers can print
PUPIL_ROOT_PT, STAFF_ROOT_PT, SMALL_PT = 30.0, 21.0, 8.0
_TIGHTEST_LINE = 1.1  # the smallest line height of any card's text (poster.css), in root sizes
# Lists shown one under another in one column of the poster, and what each column holds.
# Lists shown one under another in one column of the poster, and the error when a column holds
# more than fits: one whole sentence for each, so that it reads naturally in every language.
_COLUMNS = {
    ("rules",): N_(
        "this poster has %(count)s rules; a poster for this audience has room for at most "
        "%(room)s even at one line each, and this is the first that cannot fit; split them "
        "over more than one poster"
    ),
    ("people", "contacts", "helplines"): N_(
        "this poster has %(count)s names, contacts and helplines; a poster for this audience "
        "has room for at most %(room)s even at one line each, and this is the first that "
        "cannot fit; split them over more than one poster"
    ),
    ("dos",): N_(
        "this poster has %(count)s dos; a poster for this audience has room for at most "
        "%(room)s even at one line each, and this is the first that cannot fit; split them "
        "over more than one poster"
    ),
    ("donts",): N_(
        "this poster has %(count)s don'ts; a poster for this audience has room for at most "
        "%(room)s even at one line each, and this is the first that cannot fit; split them "
        "over more than one poster"
    ),
}


def poster_lines(audience: str) -> int:
    """How many lines of text a poster's frame holds, with no title, padding, gaps or footer:
    a column of more one-line cards than this can never fit, so it is refused before anything
    is rendered (a poster of 20,000 names rendered for minutes before failing)."""
    root = STAFF_ROOT_PT if audience == "staff" else PUPIL_ROOT_PT
    frame_pt = (PAPER_HEIGHT_MM["A4"] - 2 * MARGIN_MM) * 72 / 25.4
    return int(frame_pt // (root * _TIGHTEST_LINE))


def _too_many(data: PosterFile, doc: YamlDocument, path: Path, diags: Diagnostics) -> bool:
    room = poster_lines(data.audience)
    found = False
    for keys, too_many in _COLUMNS.items():
        lists = [(key, len(getattr(data, key))) for key in keys]
        total = sum(count for _key, count in lists)
        if total <= room:
            continue
        # Point at the first item that cannot fit.
        at, before = doc.position((keys[0],)), 0
        for key, count in lists:
            if before + count > room:
                at = doc.position((key, room - before))
                break
            before += count
        diags.error(
            path,
            at,
            # a number as large as this is grouped in thousands ("20,006") to be read at once
            _(too_many) % {"count": f"{total:,}", "room": room},
        )
        found = True
    return found


@dataclass(frozen=True)
class LoadedPoster:
    """A poster file read and validated on its own; checked against the content later."""

    path: Path
    data: PosterFile
    doc: YamlDocument


def read_posters(folder: Path, diags: Diagnostics, tree: SourceTree) -> list[LoadedPoster]:
    """Every poster of ``folder`` (``content/posters/``) that reads and validates on its own."""
    if not folder.is_dir():
        return []
    posters = []
    # <slug>.<language>.yml: a poster's title in another language (read_poster_translations)
    for path in sorted(p for p in folder.glob("*.yml") if "." not in p.stem):
        if not SLUG.match(path.stem):
            diags.error(
                path,
                WHOLE_FILE,
                _(
                    "poster file name '%(name)s' is not a valid slug; expected lowercase "
                    "letters, digits and single hyphens"
                )
                % {"name": path.name},
            )
            continue
        read = tree[path].yaml(diags)
        loaded = validated(PosterFile, read[1] if read else None, diags, what=_("poster"))
        if loaded is not None and not _too_many(loaded[0], loaded[1], path, diags):
            posters.append(LoadedPoster(path, *loaded))
    return posters


class PosterTranslationFile(FileModel):
    """``content/posters/<slug>.<language>.yml``: only the title is the poster's own words;
    its rules are the learning points' translated wording."""

    title: Text
    translated_by: Text


def read_poster_translations(
    folder: Path, school: School | None, diags: Diagnostics, tree: SourceTree
) -> list[PosterTranslation]:
    """Every poster title translation of ``folder`` that reads, each for a poster that exists
    (``<slug>.yml`` beside it) in a language the site can publish in."""
    if not folder.is_dir():
        return []
    slugs = sorted(p.stem for p in folder.glob("*.yml") if "." not in p.stem)
    found = []
    for path in sorted(p for p in folder.glob("*.yml") if "." in p.stem):
        slug, _dot, code = path.stem.partition(".")
        if not file_language_ok(
            path, code, "<poster>.<language code>.yml", "ks2-rules.cy.yml", diags
        ):
            continue
        if slug not in slugs:
            diags.error(
                path,
                WHOLE_FILE,
                _("no poster '%(slug)s.yml' for this translated title") % {"slug": slug},
                Suggestion(slug, tuple(slugs), list_all=False),
            )
            continue
        warn_if_unlisted(path, code, school, diags)
        read = tree[path].yaml(diags)
        loaded = validated(
            PosterTranslationFile, read[1] if read else None, diags, what=_("poster title")
        )
        if loaded is not None:
            data = loaded[0]
            found.append(PosterTranslation(slug, code, data.title, data.translated_by, path))
    return found
