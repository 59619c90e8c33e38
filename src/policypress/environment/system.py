"""The one list of what policypress needs from the operating system, and how to test for it.

``scripts/build`` and ``scripts/test`` run this file with the system Python (standard library
only, before any virtual environment exists) to learn which Debian packages are missing;
``policypress doctor`` imports it to explain each missing one. Keeping the list, the probes and
the install command in one place means the scripts and the doctor cannot drift apart.

    python3 src/policypress/environment/system.py missing build   # packages to install
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal


def N_(message: str) -> str:
    """Marks a purpose for the message catalogue (doctor translates it where it prints it).
    Defined here, not imported from core.messages: the build scripts run this file with the
    system Python before policypress is installed, so it imports nothing of policypress."""
    return message


Scope = Literal["build", "test"]
Kind = Literal["library", "pango", "font", "command"]
# WeasyPrint 60+ refuses to start with an older Pango (its documented minimum).
PANGO_MINIMUM = (1, 44, 0)


@dataclass(frozen=True)
class SystemRequirement:
    """One Debian package, what in it we use, and why."""

    package: str
    scope: Scope  # "build": policypress build needs it; "test": only scripts/test does
    kind: Kind
    target: str  # a shared library's soname, a font family or a command name
    purpose: str
    required: bool = True  # False: the build still works without it, with a notice


REQUIREMENTS: tuple[SystemRequirement, ...] = (
    SystemRequirement(
        "libglib2.0-0",
        "build",
        "library",
        "libgobject-2.0.so.0",
        N_("GObject, which WeasyPrint's text layout (Pango) is built on"),
    ),
    SystemRequirement(
        "libpango-1.0-0",
        "build",
        "pango",
        "libpango-1.0.so.0",
        N_("Pango: WeasyPrint lays out all PDF text with it (1.44 or newer)"),
    ),
    SystemRequirement(
        "libpangoft2-1.0-0",
        "build",
        "library",
        "libpangoft2-1.0.so.0",
        N_("Pango's FreeType back end: WeasyPrint loads fonts through it"),
    ),
    SystemRequirement(
        "libharfbuzz0b",
        "build",
        "library",
        "libharfbuzz.so.0",
        N_("HarfBuzz: shapes the text in PDFs"),
    ),
    SystemRequirement(
        "libharfbuzz-subset0",
        "build",
        "library",
        "libharfbuzz-subset.so.0",
        N_(
            "HarfBuzz-Subset: embeds only the glyphs each PDF uses (without it "
            "WeasyPrint falls back to slower fontTools, a fallback it will drop)"
        ),
        required=False,
    ),
    SystemRequirement(
        "libfontconfig1",
        "build",
        "library",
        "libfontconfig.so.1",
        N_("Fontconfig: how WeasyPrint finds the fonts below"),
    ),
    SystemRequirement(
        "fontconfig", "build", "command", "fc-list", N_("Fontconfig's tools and font cache")
    ),
    SystemRequirement(
        "fonts-dejavu-core",
        "build",
        "font",
        "DejaVu Sans",
        N_("the text face of policy PDFs, forms and staff posters"),
    ),
    SystemRequirement(
        "fonts-sil-andika",
        "build",
        "font",
        "Andika",
        N_("the large, child-friendly face of pupil forms, posters and worksheets"),
    ),
    SystemRequirement(
        "fonts-noto-core",
        "build",
        "font",
        "Noto Sans Bengali",
        N_(
            "Noto fonts for Arabic, Urdu, Bengali, Gurmukhi (Punjabi) and other scripts: text in "
            "them falls back to these in every PDF"
        ),
        required=False,
    ),
    SystemRequirement(
        "fonts-noto-cjk",
        "build",
        "font",
        "Noto Sans CJK SC",
        N_("Noto fonts for Chinese, Japanese and Korean text in PDFs"),
        required=False,
    ),
    SystemRequirement(
        "poppler-utils",
        "build",
        "command",
        "pdftoppm",
        N_("pdftoppm: turns posters into the preview images on the Posters page"),
    ),
    SystemRequirement(
        "qpdf",
        "test",
        "command",
        "qpdf",
        N_("qpdf: the tests fill a form as other tools do and check the typed text shows"),
    ),
    SystemRequirement(
        "chromium",
        "test",
        "command",
        "chromium",
        N_("Debian's Chromium: the browser tests drive it with Playwright"),
    ),
    SystemRequirement(
        "default-jre-headless",
        "test",
        "command",
        "java",
        N_("Java: runs the Nu HTML Checker (npm vnu-jar) that checks every built page's markup"),
    ),
    SystemRequirement(
        "libreoffice-writer-nogui",
        "test",
        "command",
        "soffice",
        N_(
            "LibreOffice Writer: the Word round-trip tests re-save an exported .docx with it, as a "
            "school editing in LibreOffice does"
        ),
    ),
)


def pango_version() -> tuple[int, int, int] | None:
    """Pango's version as WeasyPrint will see it, or None when Pango cannot be loaded."""
    try:
        pango = ctypes.CDLL("libpango-1.0.so.0")
    except OSError:
        return None
    number = int(pango.pango_version())  # encoded as major * 10000 + minor * 100 + micro
    return number // 10000, number // 100 % 100, number % 100


def _font_installed(family: str) -> bool:
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(
        ["fc-list", f":family={family}", "family"], capture_output=True, text=True, check=False
    )
    return listed.returncode == 0 and bool(listed.stdout.strip())


def _library_loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def problem(requirement: SystemRequirement, gettext: Callable[[str], str] = N_) -> str | None:
    """What is wrong with ``requirement`` on this machine, or None when it is satisfied.
    ``doctor`` passes the catalogue's ``gettext``; the build scripts, which run this file
    before policypress is installed, get the English."""
    kind, target = requirement.kind, requirement.target
    missing_library = gettext(N_("shared library %(target)s not found")) % {"target": target}
    if kind == "library":
        return None if _library_loads(target) else missing_library
    if kind == "pango":
        found = pango_version()
        if found is None:
            return missing_library
        if found < PANGO_MINIMUM:
            return gettext(
                N_("Pango %(found)s is too old; WeasyPrint needs %(minimum)s or newer")
            ) % {
                "found": ".".join(map(str, found)),
                "minimum": ".".join(map(str, PANGO_MINIMUM)),
            }
        return None
    if kind == "font":
        if _font_installed(target):
            return None
        return gettext(N_("font family '%(target)s' not found")) % {"target": target}
    if shutil.which(target):
        return None
    return gettext(N_("command '%(target)s' not found")) % {"target": target}


def install_command(packages: list[str]) -> str:
    """The exact command that installs ``packages`` on Debian or Ubuntu."""
    sudo = "" if os.geteuid() == 0 else "sudo "
    return f"{sudo}apt-get update && {sudo}apt-get install -y --no-install-recommends " + " ".join(
        packages
    )


def for_scopes(scopes: set[str]) -> list[SystemRequirement]:
    return [r for r in REQUIREMENTS if r.scope in scopes]


def main(argv: list[str]) -> int:
    """``missing SCOPE…``: print the packages whose probes fail; ``list SCOPE…``: all of them."""
    if len(argv) < 2 or argv[0] not in {"missing", "list"}:
        print("usage: system.py missing|list build [test]", file=sys.stderr)
        return 2
    wanted = for_scopes(set(argv[1:]))
    if argv[0] == "missing":
        wanted = [r for r in wanted if problem(r) is not None]
    print("\n".join(dict.fromkeys(r.package for r in wanted)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
