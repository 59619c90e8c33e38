"""``policypress doctor``: is this machine able to build (and test) policypress?

Checks the Python version, the Python packages policypress declares, and every system library,
font and command in :mod:`policypress.environment.system`; for each missing one it says what it
is for and the exact command that installs it.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, requires, version

from packaging.requirements import InvalidRequirement, Requirement

from policypress.core.messages import gettext as _
from policypress.environment import system

PYTHON_MINIMUM = (3, 11)


@dataclass(frozen=True)
class Finding:
    name: str
    purpose: str
    problem: str | None  # None: all is well
    fix: str = ""
    required: bool = True

    @property
    def ok(self) -> bool:
        return self.problem is None


def python_findings() -> list[Finding]:
    found = sys.version_info[:3]
    problem = None
    if found[:2] < PYTHON_MINIMUM:
        problem = _("Python %(version)s is too old") % {"version": ".".join(map(str, found))}
    return [
        Finding(
            _("Python %(version)s or newer") % {"version": ".".join(map(str, PYTHON_MINIMUM))},
            _("runs policypress"),
            problem,
            _("install a newer Python (python.org or your distribution) and recreate .venv"),
        )
    ]


def package_findings(extras: set[str], distribution: str = "policypress") -> list[Finding]:
    """One finding per requirement of ``distribution`` (its core plus ``extras``)."""
    findings = []
    try:
        declared = requires(distribution) or []
    except PackageNotFoundError:
        return [
            Finding(
                distribution,
                _("this program"),
                _("%(distribution)s is not installed") % {"distribution": distribution},
                _("scripts/build (or: pip install -e .)"),
            )
        ]
    for line in declared:
        try:
            requirement = Requirement(line)
        except InvalidRequirement:  # pragma: no cover - our own pyproject.toml
            continue
        marker = requirement.marker
        wanted = [
            e for e in ("", *sorted(extras)) if marker is None or marker.evaluate({"extra": e})
        ]
        if not wanted:
            continue
        extra = wanted[0]
        purpose = (
            _("needed for tests")
            if extra == "test"
            else _("needed for %(extra)s") % {"extra": extra}
            if extra
            else _("needed for every command")
        )
        wanted_spec = f"{requirement.name}{requirement.specifier}"
        fix = f"{shlex.quote(sys.executable)} -m pip install {shlex.quote(wanted_spec)}"
        try:
            installed = version(requirement.name)
        except PackageNotFoundError:
            findings.append(Finding(requirement.name, purpose, _("not installed"), fix))
            continue
        problem = None
        if requirement.specifier and not requirement.specifier.contains(
            installed, prereleases=True
        ):
            problem = _("version %(installed)s installed, %(needed)s needed") % {
                "installed": installed,
                "needed": requirement.specifier,
            }
        findings.append(Finding(f"{requirement.name} {installed}", purpose, problem, fix))
    return findings


Probe = Callable[[system.SystemRequirement], str | None]


def system_findings(scopes: set[str], probe: Probe | None = None) -> list[Finding]:
    probe = probe or (lambda requirement: system.problem(requirement, _))
    findings = []
    for requirement in system.for_scopes(scopes):
        problem = probe(requirement)
        findings.append(
            Finding(
                f"{requirement.target} ({requirement.package})",
                _("%(purpose)s — for scripts/test") % {"purpose": _(requirement.purpose)}
                if requirement.scope == "test"
                else _(requirement.purpose),
                problem,
                system.install_command([requirement.package]),
                requirement.required,
            )
        )
    return findings


def diagnose(tests: bool, probe: Probe | None = None) -> list[Finding]:
    scopes = {"build", "test"} if tests else {"build"}
    extras = {"test"} if tests else set()
    return [*python_findings(), *package_findings(extras), *system_findings(scopes, probe)]


def report(findings: list[Finding]) -> tuple[str, int]:
    """The text ``doctor`` prints and its exit code: 1 when anything required is missing."""
    lines = []
    for finding in findings:
        if finding.ok:
            lines.append(f"ok       {finding.name}")
            continue
        label = "MISSING " if finding.required else "notice  "
        lines.append(f"{label} {finding.name}: {finding.problem}")
        lines.append("         " + _("what it is for: %(purpose)s") % {"purpose": finding.purpose})
        lines.append("         " + _("install it with: %(command)s") % {"command": finding.fix})
    missing = [f for f in findings if not f.ok and f.required]
    optional = [f for f in findings if not f.ok and not f.required]
    if missing:
        lines.append(
            _(
                "%(count)s required item(s) missing; scripts/build and scripts/test install all "
                "of them."
            )
            % {"count": len(missing)}
        )
    elif optional:
        lines.append(
            _("Everything required is here; %(count)s optional item(s) missing.")
            % {"count": len(optional)}
        )
    else:
        lines.append(_("Everything policypress needs is here."))
    return "\n".join(lines), 1 if missing else 0
