"""``private/register.yml``: how a school's exports are read, and how long records are kept.

Every school management system and learning platform names its columns differently, so the
register reads them through one small mapping. The file is optional: without it the defaults
below apply. Unknown keys are errors at their line and column, so a misspelt column name
("emial") never silently drops a field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policypress.core.diagnostics import Diagnostics, KeyPath, did_you_mean
from policypress.core.messages import gettext as _
from policypress.source.sourceyaml import YamlDocument, parse_yaml, read_text

SETTINGS_FILE = "register.yml"
REGISTER_FILE = "register.json"
PATHWAYS = ("teaching", "support", "governors")

# Our field → the export's column heading. Required fields must be mapped to a column.
STAFF_FIELDS = {
    "name": True,
    "email": True,
    "role": True,
    "start": True,
    "leaving": False,
    "id": False,
}
PLATFORM_FIELDS = {"email": True, "completed": True, "status": False, "quiz": False, "grade": False}


@dataclass(frozen=True)
class Platform:
    """A learning platform's completion export: its columns, and what counts as a pass."""

    name: str
    columns: dict[str, str]
    passed: tuple[str, ...]  # status values that count (compared without case)
    pass_grade: float | None = None  # with a grade column: the lowest grade that passes


@dataclass(frozen=True)
class Requirement:
    forms: tuple[str, ...]
    quizzes: tuple[str, ...]


@dataclass(frozen=True)
class Settings:
    staff_columns: dict[str, str]
    roles: dict[str, str]  # a role as exported (lower case) → pathway
    pathways: dict[str, Requirement]
    platforms: tuple[Platform, ...]
    retention_years: int
    source: Path | None = None  # the file they were read from, if any

    def pathway_of(self, role: str) -> str | None:
        key = " ".join(role.split()).lower()
        if key in self.roles:
            return self.roles[key]
        return key if key in self.pathways else None


def default_settings() -> Settings:
    return Settings(
        staff_columns={
            "name": "Name",
            "email": "Email",
            "role": "Role",
            "start": "Start date",
            "leaving": "Leaving date",
        },
        roles={},
        pathways={
            "teaching": Requirement(("staff",), ("staff-teaching",)),
            "support": Requirement(("staff",), ("staff-support",)),
            "governors": Requirement(("governors",), ("staff-governors",)),
        },
        platforms=(
            # Moodle's quiz results download ("Grades" report, CSV)
            Platform(
                "moodle",
                {"email": "Email address", "completed": "Completed", "status": "State"},
                ("finished",),
            ),
            # a SCORM-tracking export (one row per learner and package)
            Platform(
                "scorm",
                {
                    "email": "learner_id",
                    "completed": "timestamp",
                    "status": "lesson_status",
                    "quiz": "course_id",
                },
                ("passed", "completed"),
            ),
        ),
        retention_years=6,
    )


_TOP_KEYS = ("staff", "roles", "pathways", "moodle", "scorm", "retention_years")
# the largest retention a school could mean; anything above is a typing slip
MAX_RETENTION_YEARS = 100


def load_settings(private: Path, diags: Diagnostics) -> Settings:
    """The settings in ``private/register.yml`` over the defaults; problems go to ``diags``."""
    path = private / SETTINGS_FILE
    defaults = default_settings()
    if not path.exists():
        return defaults
    text = read_text(path, diags)
    doc = parse_yaml(text, path, diags) if text is not None else None
    if doc is None or doc.data is None:
        return defaults
    reader = _Reader(doc, diags)
    data = reader.mapping((), _TOP_KEYS)
    staff = dict(defaults.staff_columns)
    if "staff" in data:
        staff = {k: v for k, v in staff.items() if STAFF_FIELDS[k]}  # optional ones only if given
        staff.update(reader.columns(("staff",), STAFF_FIELDS))
    roles = {
        " ".join(role.split()).lower(): reader.pathway(("roles", role), value)
        for role, value in reader.mapping(("roles",), None).items()
    }
    pathways = dict(defaults.pathways)
    for name in reader.mapping(("pathways",), PATHWAYS):
        entry = reader.mapping(("pathways", name), ("forms", "quizzes"))
        pathways[name] = Requirement(
            reader.names(("pathways", name, "forms"), entry.get("forms", [])),
            reader.names(("pathways", name, "quizzes"), entry.get("quizzes", [])),
        )
    platforms = tuple(
        reader.platform(p.name, p) if p.name in data else p for p in defaults.platforms
    )
    retention = data.get("retention_years", defaults.retention_years)
    if (
        not isinstance(retention, int)
        or isinstance(retention, bool)
        or not (1 <= retention <= MAX_RETENTION_YEARS)
    ):
        reader.error(
            ("retention_years",),
            _(
                "retention_years is %(retention)r; expected a whole number of years "
                "from 1 to %(max_retention_years)s"
            )
            % {"retention": retention, "max_retention_years": MAX_RETENTION_YEARS},
        )
        retention = defaults.retention_years
    return Settings(staff, roles, pathways, platforms, retention, path)


class _Reader:
    """Reads parts of the YAML document, reporting each problem at its line and column."""

    def __init__(self, doc: YamlDocument, diags: Diagnostics) -> None:
        self.doc = doc
        self.diags = diags

    def error(self, at: KeyPath, message: str, *, of_key: bool = False) -> None:
        self.diags.error(self.doc.path, self.doc.position(at, of_key=of_key), message)

    def value(self, at: KeyPath) -> Any:
        data: Any = self.doc.data
        for key in at:
            data = data.get(key) if isinstance(data, dict) else None
        return data

    def mapping(self, at: KeyPath, allowed: tuple[str, ...] | None) -> dict[str, Any]:
        data = self.value(at)
        if data is None:
            return {}
        if not isinstance(data, dict):
            self.error(
                at,
                _("expected a mapping of keys to values, found %(name)s")
                % {"name": type(data).__name__},
            )
            return {}
        good: dict[str, Any] = {}
        for key, value in data.items():
            if not isinstance(key, str):
                self.error((*at, key), _("key %(key)r is not text") % {"key": key}, of_key=True)
            elif allowed is not None and key not in allowed:
                self.error(
                    (*at, key),
                    _("unknown key '%(key)s'%(did_you_mean)s; expected one of: %(items)s")
                    % {
                        "key": key,
                        "did_you_mean": did_you_mean(key, allowed),
                        "items": ", ".join(allowed),
                    },
                    of_key=True,
                )
            else:
                good[key] = value
        return good

    def columns(self, at: KeyPath, fields: dict[str, bool]) -> dict[str, str]:
        columns: dict[str, str] = {}
        for key, heading in self.mapping(at, tuple(fields)).items():
            if heading is None:
                continue  # "leaving: null": the export has no such column
            if not isinstance(heading, str) or not heading.strip():
                self.error(
                    (*at, key), _("column heading for '%(key)s' must be text") % {"key": key}
                )
                continue
            columns[key] = heading.strip()
        for key, required in fields.items():
            if required and key not in columns:
                self.error(
                    at,
                    _("no column given for '%(key)s'; it is required") % {"key": key},
                    of_key=True,
                )
        return columns

    def names(self, at: KeyPath, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(at, _("expected a list of names, e.g. [staff]"))
            return ()
        return tuple(value)

    def pathway(self, at: KeyPath, value: Any) -> str:
        if value not in PATHWAYS:
            self.error(
                at,
                _("pathway %(pathway)r is not one of: %(items)s%(did_you_mean)s")
                % {
                    "pathway": value,
                    "items": ", ".join(PATHWAYS),
                    "did_you_mean": did_you_mean(str(value), PATHWAYS),
                },
            )
            return "support"
        return str(value)

    def platform(self, name: str, default: Platform) -> Platform:
        entry = self.mapping((name,), ("columns", "passed", "pass_grade"))
        columns = (
            self.columns((name, "columns"), PLATFORM_FIELDS)
            if "columns" in entry
            else default.columns
        )
        passed = default.passed
        if "passed" in entry:
            passed = tuple(v.lower() for v in self.names((name, "passed"), entry["passed"]))
        grade = entry.get("pass_grade")
        if grade is not None and (isinstance(grade, bool) or not isinstance(grade, int | float)):
            self.error(
                (name, "pass_grade"),
                _("pass_grade is %(grade)r; expected a number") % {"grade": grade},
            )
            grade = None
        if grade is not None and "grade" not in columns:
            self.error((name, "pass_grade"), _("pass_grade needs a 'grade' column in columns"))
        return Platform(name, columns, passed, float(grade) if grade is not None else None)
