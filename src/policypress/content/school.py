"""The reader of a school's details (``school.yml``) and of a group's trust (``trust.yml``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

from policypress.content.logo import Subject, image_message, logo_data_problems
from policypress.content.schema import SchoolFile, TrustFile
from policypress.content.validation import validated
from policypress.core.colour import contrast_ratio
from policypress.core.diagnostics import WHOLE_FILE, Diagnostics
from policypress.core.messages import gettext as _
from policypress.core.project import TRUST_FILE
from policypress.core.safefile import MAX_ASSET_BYTES
from policypress.model import TO_CONFIRM, Contact, School, Trust
from policypress.model.ages import PHASE_LIMITS
from policypress.source.sourceyaml import YamlDocument
from policypress.source.tree import SourceTree, read_tree

SCHOOL_FILE = "school.yml"
MIN_CONTRAST = 4.5
DetailsT = TypeVar("DetailsT", SchoolFile, TrustFile)


def read_school(folder: Path, diags: Diagnostics, tree: SourceTree) -> School | None:
    """The school whose ``school.yml`` is in ``folder`` (``content/``, or ``schools/<id>/``
    in a group); None after reporting every problem of the file at its line and column."""
    path = folder / SCHOOL_FILE
    if not os.path.lexists(path):  # anything else there is refused when read
        diags.error(path, WHOLE_FILE, _("file not found; expected the school's details here"))
        return None
    read = _read_details(SchoolFile, folder, path, diags, tree)
    if read is None:
        return None
    data, doc, logo = read
    return School(
        name=data.name,
        address=tuple(data.address),
        phase=data.phase,
        website=data.website,
        language=data.language,
        contacts=contacts_of(data),
        primary_colour=data.colours.primary,
        accent_colour=data.colours.accent,
        logo=logo,
        example=data.example,
        placeholder_pattern=data.placeholder_pattern,
        details=path,
        primary_colour_at=colour_position(doc, "primary"),
        accent_colour_at=colour_position(doc, "accent"),
        ages=data.ages,
        ages_at=_position(doc, ("ages",) if data.ages is not None else ("phase",)),
        translations=tuple(data.translations),
        bilingual=data.bilingual,
    )


def read_trust(root: Path, diags: Diagnostics, tree: SourceTree) -> Trust | None:
    """The trust of the group whose project is ``root`` (its ``trust.yml``)."""
    path = root / TRUST_FILE
    read = _read_details(TrustFile, root, path, diags, tree)
    if read is None:
        return None
    data, doc, logo = read
    return Trust(
        name=data.name,
        kind=data.kind,
        website=data.website,
        contacts=contacts_of(data),
        primary_colour=data.colours.primary,
        accent_colour=data.colours.accent,
        logo=logo,
        example=data.example,
        details=path,
        primary_colour_at=colour_position(doc, "primary"),
        accent_colour_at=colour_position(doc, "accent"),
    )


def check_school_file(root: Path, path: Path, diags: Diagnostics) -> YamlDocument | None:
    """Report every problem ``check`` finds in ``path`` read as a school's details (a
    school.yml about to be written, wherever it is), its logo relative to ``root``; the
    document read, for the positions of its values (None if it is not YAML)."""
    return _check_details_file(SchoolFile, root, path, diags)


def check_trust_file(root: Path, path: Path, diags: Diagnostics) -> YamlDocument | None:
    """As :func:`check_school_file`, for ``path`` read as a group's trust (``trust.yml``),
    its logo relative to ``root`` (the group's project)."""
    return _check_details_file(TrustFile, root, path, diags)


def _check_details_file(
    model: type[DetailsT], root: Path, path: Path, diags: Diagnostics
) -> YamlDocument | None:
    tree = read_tree(diags, [path])
    _read_details(model, root, path, diags, tree)
    read = tree[path].yaml(Diagnostics(diags.root))  # its problems are reported above
    return read[1] if read is not None else None


def _read_details(
    model: type[DetailsT], root: Path, path: Path, diags: Diagnostics, tree: SourceTree
) -> tuple[DetailsT, YamlDocument, Path | None] | None:
    """A school's or a trust's details file read, validated and checked (its logo relative
    to ``root``), with its document for positions and its logo's path."""
    read = tree[path].yaml(diags)
    loaded = validated(model, read[1] if read else None, diags, what=path.name)
    if loaded is None:
        return None
    data, doc = loaded
    return data, doc, check_details(root, path, data, doc, diags, tree)


def colour_position(doc: YamlDocument, key: str) -> tuple[int, int]:
    """Where ``colours.<key>`` is written in a school's or a trust's details."""
    return _position(doc, ("colours", key))


def _position(doc: YamlDocument, key: tuple[str, ...]) -> tuple[int, int]:
    at = doc.position(key)
    return (at.line, at.col)


def contacts_of(data: SchoolFile | TrustFile) -> tuple[Contact, ...]:
    """The contacts a school's or a trust's details list, as the model holds them."""
    return tuple(Contact(c.id, c.role, c.email, c.name, c.phone) for c in data.contacts)


def check_details(
    root: Path,
    path: Path,
    data: SchoolFile | TrustFile,
    doc: YamlDocument,
    diags: Diagnostics,
    tree: SourceTree,
) -> Path | None:
    """The checks a school's and a trust's details share: contact ids once each, readable
    colours, a safe logo (relative to ``root``). Returns the logo's path, if any."""
    _unconfirmed_details(path, data, doc, diags)
    if isinstance(data, SchoolFile):
        _ages_against_phase(path, data, doc, diags)
        _check_translations(path, data, doc, diags)
    ids: set[str] = set()
    for index, contact in enumerate(data.contacts):
        if contact.id in ids:
            pos = doc.position(("contacts", index, "id"))
            diags.error(path, pos, _("duplicate contact id '%(id)s'") % {"id": contact.id})
        ids.add(contact.id)
    for key, colour in (("primary", data.colours.primary), ("accent", data.colours.accent)):
        ratio = contrast_ratio(colour, "#ffffff")
        if ratio < MIN_CONTRAST:
            pos = doc.position(("colours", key))
            diags.error(
                path,
                pos,
                _(
                    "colours.%(key)s %(colour)s has contrast %(ratio).2f:1 with white; "
                    "expected at least %(min_contrast)s:1 so text on it stays readable "
                    "(choose a darker colour)"
                )
                % {"key": key, "colour": colour, "ratio": ratio, "min_contrast": MIN_CONTRAST},
            )
    logo: Path | None = None
    if data.logo is not None:
        logo = (root / data.logo).resolve()
        pos = doc.position(("logo",))
        if not logo.is_relative_to(root.resolve()):
            diags.error(
                path,
                pos,
                _("logo '%(logo)s' is outside %(name)s/") % {"logo": data.logo, "name": root.name},
            )
        elif not logo.is_file():
            diags.error(path, pos, _("logo file '%(logo)s' not found") % {"logo": data.logo})
        elif logo.suffix.lower() not in (".svg", ".png"):
            diags.error(
                path, pos, _("logo '%(logo)s': expected an .svg or .png") % {"logo": data.logo}
            )
        elif (image := tree[logo].data(diags, limit=MAX_ASSET_BYTES)) is not None:
            for problem in logo_data_problems(image, logo.suffix):
                diags.error(path, pos, image_message(problem, Subject.LOGO, data.logo))
    return logo


def _ages_against_phase(
    path: Path, data: SchoolFile, doc: YamlDocument, diags: Diagnostics
) -> None:
    """A warning when ``ages`` go beyond what a school of its ``phase`` can teach (an infant
    school of ages 7-11): one of them is wrong, and the ages decide which forms, posters and
    quizzes the school gets."""
    limits = PHASE_LIMITS.get(data.phase)
    if data.ages is None or limits is None:
        return
    (youngest, oldest), (lowest, highest) = data.ages, limits
    if youngest < lowest or oldest > highest:
        diags.warning(
            path,
            doc.position(("ages",)),
            _(
                "ages %(youngest)s-%(oldest)s do not fit phase '%(phase)s' (a school of that "
                "phase teaches ages within %(lowest)s-%(highest)s); correct the phase or the "
                "ages: the ages decide which pupils' forms, posters and quizzes the school gets"
            )
            % {
                "youngest": youngest,
                "oldest": oldest,
                "phase": data.phase,
                "lowest": lowest,
                "highest": highest,
            },
        )


def _check_translations(
    path: Path, data: SchoolFile, doc: YamlDocument, diags: Diagnostics
) -> None:
    """Each language of ``translations`` once, and not the main language: the site would
    publish a language twice, or a page in its own language as a translation of itself."""
    main = data.language.lower()
    seen: dict[str, int] = {}
    for index, code in enumerate(data.translations):
        at = doc.position(("translations", index))
        if code.lower() == main or code.split("-")[0].lower() == main.split("-")[0]:
            diags.error(
                path,
                at,
                _(
                    "'%(code)s' is the school's main language (language: %(main)s); list in "
                    "translations only the other languages the school publishes policies in"
                )
                % {"code": code, "main": data.language},
            )
        elif code.lower() in seen:
            diags.error(
                path,
                at,
                _("'%(code)s' is listed twice in translations (first as item %(first)s)")
                % {"code": code, "first": seen[code.lower()] + 1},
            )
        seen.setdefault(code.lower(), index)
    if data.bilingual is not None and data.bilingual.lower() not in seen:
        diags.error(
            path,
            doc.position(("bilingual",)),
            _(
                "bilingual: '%(code)s' is not among the translations school.yml lists "
                "(%(listed)s); forms and posters are printed side by side only in a language "
                "the school publishes"
            )
            % {"code": data.bilingual, "listed": ", ".join(data.translations) or _("none")},
        )


# The domain reserved for addresses that reach no one (RFC 2606): `policypress init` writes
# its placeholders there, since school.yml needs a web and an e-mail address to be valid.
_PLACEHOLDER_DOMAIN = ".invalid"


def _unconfirmed_details(
    path: Path, data: SchoolFile | TrustFile, doc: YamlDocument, diags: Diagnostics
) -> None:
    """A warning for each fact still to be written: an address line, the phase or a contact's
    name that is 'to-confirm' (pages show 'to be confirmed'), and a placeholder web or e-mail
    address."""
    lines = getattr(data, "address", [])
    for index, line in enumerate(lines):
        if line == TO_CONFIRM:
            diags.warning(
                path,
                doc.position(("address", index)),
                _(
                    "address line %(number)s is 'to-confirm'; write the school's address "
                    "(pages show 'to be confirmed' until then)"
                )
                % {"number": index + 1},
            )
    if getattr(data, "phase", None) == TO_CONFIRM:
        diags.warning(
            path,
            doc.position(("phase",)),
            _(
                "phase is 'to-confirm'; write the school's phase: nursery, infant, junior, "
                "primary, middle, secondary, all-through or special"
            ),
        )
    host = data.website.split("/")[2] if data.website.count("/") >= 2 else ""
    if host.endswith(_PLACEHOLDER_DOMAIN):
        diags.warning(
            path,
            doc.position(("website",)),
            _(
                "website %(address)s is a placeholder that reaches no one; write the web "
                "address where the policies are published"
            )
            % {"address": data.website},
        )
    for index, contact in enumerate(data.contacts):
        if contact.name == TO_CONFIRM:
            diags.warning(
                path,
                doc.position(("contacts", index, "name")),
                _(
                    "contact '%(id)s' has 'to-confirm' as their name; write it (pages show "
                    "'to be confirmed' until then)"
                )
                % {"id": contact.id},
            )
        if contact.email.endswith(_PLACEHOLDER_DOMAIN):
            diags.warning(
                path,
                doc.position(("contacts", index, "email")),
                _(
                    "contact '%(id)s' has the placeholder e-mail address %(address)s, which "
                    "reaches no one; write theirs"
                )
                % {"id": contact.id, "address": contact.email},
            )
