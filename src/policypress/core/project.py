"""Where a project's inputs and outputs live."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

# A project is a group of schools when this file is at its root (see content/group.py).
TRUST_FILE = "trust.yml"
SCHOOLS_DIR = "schools"

# What the package ships for a project that keeps none of its own: the templates (a project's
# templates/ overrides them file by file, as MkDocs' custom_dir does) and mkdocs.yml (used
# whole when the project has none). Package files are trusted; a project's are checked.
DEFAULTS = Path(__file__).resolve().parent.parent / "defaults"
DEFAULT_TEMPLATES = DEFAULTS / "templates"
DEFAULT_MKDOCS_CONFIG = DEFAULTS / "mkdocs.yml"
MKDOCS_CONFIG = "mkdocs.yml"


@dataclass(frozen=True)
class Project:
    root: Path
    content: Path
    templates: Path  # the project's own templates/, which it need not have: see template_folders
    out: Path
    school: str | None = None  # in a group: the school this project builds (None: the trust)
    shared_cache: Path | None = None  # a school's: the group's cache, shared by every school

    @classmethod
    def at(cls, root: Path, content: Path | None = None, out: Path | None = None) -> Project:
        root = root.resolve()
        return cls(
            root=root,
            content=(content or root / "content").resolve(),
            templates=root / "templates",
            out=(out or root / "build").resolve(),
        )

    @property
    def mkdocs_config(self) -> Path:
        """The project's ``mkdocs.yml``, or the package's when it has none."""
        own = self.root / MKDOCS_CONFIG
        return own if os.path.lexists(own) else DEFAULT_MKDOCS_CONFIG

    @property
    def own_templates(self) -> Path | None:
        """The project's ``templates/`` when it has one (the package's defaults are not)."""
        own = self.templates
        if not own.is_dir() or own.resolve() == DEFAULT_TEMPLATES:
            return None
        return own

    @property
    def template_folders(self) -> tuple[Path, ...]:
        """Where a template is looked for, first match wins: the project's ``templates/``,
        then the package's defaults."""
        own = self.own_templates
        return (own, DEFAULT_TEMPLATES) if own is not None else (DEFAULT_TEMPLATES,)

    def template_file(self, *parts: str) -> Path:
        """The file ``templates/<parts>`` in effect: the project's when it has it (as anything:
        a symlink or FIFO there is refused where it is read), else the package's."""
        for folder in self.template_folders:
            path = folder.joinpath(*parts)
            if os.path.lexists(path):
                return path
        return DEFAULT_TEMPLATES.joinpath(*parts)

    @property
    def translations(self) -> Path:
        """The project's own catalogues (``translations/<code>/LC_MESSAGES/messages.po``),
        read before the package's: a group's schools share the group's."""
        return self.root / "translations"

    @property
    def cache(self) -> Path:
        """Kept between builds; safe to delete."""
        return self.shared_cache or self.out / ".cache"

    @property
    def is_group(self) -> bool:
        """Whether this is a group of schools (a trust, federation or local authority)."""
        return os.path.lexists(self.root / TRUST_FILE)

    def school_ids(self) -> list[str]:
        """The group's schools: each folder under ``schools/``, in name order."""
        folder = self.root / SCHOOLS_DIR
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.is_symlink())

    def for_school(self, school_id: str) -> Project:
        """The project of one school of the group: built into ``build/schools/<id>``, with
        the group's cache."""
        return dataclasses.replace(
            self,
            school=school_id,
            out=self.out / SCHOOLS_DIR / school_id,
            shared_cache=self.cache,
        )

    @property
    def school_folder(self) -> Path | None:
        """``schools/<id>`` of a school's project."""
        return self.root / SCHOOLS_DIR / self.school if self.school is not None else None

    @property
    def quizzes(self) -> Path:
        return self.root / "quizzes"

    @property
    def icons(self) -> Path:
        """The first template folder's ``icons/``: a picture's address in a PDF starts here
        (the PDF renderer looks for one the project lacks in the package's)."""
        return self.template_folders[0] / "icons"

    def icon_files(self) -> dict[str, Path]:
        """Each pupil icon by name: the project's own, then the package's it does not replace."""
        files: dict[str, Path] = {}
        for folder in self.template_folders:
            for path in sorted((folder / "icons").glob("*.svg")):
                files.setdefault(path.stem, path)
        return dict(sorted(files.items()))

    def icon_names(self) -> frozenset[str]:
        return frozenset(self.icon_files())

    def relative(self, path: Path) -> str:
        """A path as shown in the manifest: relative to the project when inside it."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
