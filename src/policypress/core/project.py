"""Where a project's inputs and outputs live."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

# A project is a group of schools when this file is at its root (see content/group.py).
TRUST_FILE = "trust.yml"
SCHOOLS_DIR = "schools"


@dataclass(frozen=True)
class Project:
    root: Path
    content: Path
    templates: Path
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
        return self.root / "mkdocs.yml"

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
        return self.templates / "icons"

    def icon_names(self) -> frozenset[str]:
        return frozenset(p.stem for p in self.icons.glob("*.svg"))

    def relative(self, path: Path) -> str:
        """A path as shown in the manifest: relative to the project when inside it."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
