"""Where a project's inputs and outputs live."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path
    content: Path
    templates: Path
    out: Path

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
    def cache(self) -> Path:
        """Kept between builds; safe to delete."""
        return self.out / ".cache"

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
