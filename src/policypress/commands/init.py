"""``policypress init``: start a project that builds at once.

It writes the school's details (or a group's: ``trust.yml`` and ``schools/``) with what it
was told and ``to-confirm`` for the rest, an empty ``content/policies/``, a ``.gitignore``
and, where git is installed, a repository with a first commit. Templates and ``mkdocs.yml``
are not copied: the package's are used until the project keeps its own.

Nothing is half-written: a new folder is made beside its place and renamed into it; in a
folder that already exists, everything is made in a hidden folder inside it and moved into
place with ``content/`` last, since ``content/`` is what makes a folder a project."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from policypress.commands.context import CommandContext
from policypress.commands.gitcommit import git_program, identity_options, in_repository, run_git
from policypress.core.errors import EXIT_OK, EXIT_USAGE, PolicypressError
from policypress.core.files import write_atomic_bytes
from policypress.core.messages import N_
from policypress.core.messages import gettext as _
from policypress.core.project import SCHOOLS_DIR, TRUST_FILE

NAME = "init"
HELP = N_("start a new project: the school's details and an empty policies folder")
DESCRIPTION = N_(
    "Write a project that builds at once: content/school.yml (or trust.yml and schools/ for a "
    "group of schools) with 'to-confirm' for every fact not given, an empty "
    "content/policies/, a .gitignore and, where git is installed, a repository with a first "
    "commit. The package's templates and mkdocs.yml are used until the project keeps its own."
)

SCHOOL_FILE = "school.yml"
IGNORED = ("build/", "private/")  # the build, and people's data (see register's --private)
# Who makes the first commit when git knows nobody on this machine.
# Addresses under the reserved top-level domain .invalid (RFC 2606): school.yml needs a web
# and an e-mail address in their own forms, where 'to-confirm' cannot stand, so these hold
# the place and can never reach anyone.
PLACEHOLDER_WEBSITE = "https://school.invalid/"
PLACEHOLDER_TRUST_WEBSITE = "https://trust.invalid/"


class InitRefused(PolicypressError):
    """The folder cannot take a new project (it holds one, or is a file): ``path: message``,
    exit 2, nothing written."""

    exit_code: ClassVar[int] = EXIT_USAGE

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")

    def messages(self) -> tuple[str, ...]:
        return (str(self),)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help=_("the folder to start the project in (default: the current folder)"),
    )
    parser.add_argument(
        "--name",
        help=_("the school's name (or the group's, with --trust); 'to-confirm' when not given"),
    )
    parser.add_argument(
        "--trust",
        action="store_true",
        help=_("a group of schools: trust.yml, the trust's model policies and schools/"),
    )


def run(ctx: CommandContext) -> int:
    from policypress.model import TO_CONFIRM  # here: --help does not load the model

    folder: Path = ctx.args.folder
    name: str = (ctx.args.name or "").strip() or TO_CONFIRM
    _refuse_existing(folder)
    files = _trust_files(name, TO_CONFIRM) if ctx.args.trust else _school_files(name, TO_CONFIRM)
    created = not os.path.lexists(folder)
    with _staging(folder) as stage:
        for relative, text in files.items():
            path = stage / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        if created:  # the whole folder is renamed into place: its repository with it
            git = _first_commit(stage, None)
            os.rename(stage, folder)
        else:
            _move_into(stage, folder, files)
            git = _first_commit(folder, files)
    ctx.say(_("%(folder)s: a new policypress project") % {"folder": folder})
    if git:
        ctx.say(git)
    ctx.say(
        _(
            "Next: open the studio (policypress studio --project %(folder)s) to fill in the "
            "school's details and add a policy; or write the details in place of each "
            "'to-confirm' in %(details)s, add a policy (policypress import FILE) and build "
            "(policypress build)."
        )
        % {
            "folder": folder,
            "details": folder / (TRUST_FILE if ctx.args.trust else f"content/{SCHOOL_FILE}"),
        }
    )
    return EXIT_OK


def _refuse_existing(folder: Path) -> None:
    if os.path.lexists(folder) and not folder.is_dir():
        raise InitRefused(folder, _("is a file; expected a folder for the project"))
    for marker in ("content", SCHOOL_FILE, TRUST_FILE):
        if os.path.lexists(folder / marker):
            raise InitRefused(
                folder / marker,
                _(
                    "this folder already holds a policypress project; nothing was written "
                    "(start a new project in an empty or new folder)"
                ),
            )


@contextmanager
def _staging(folder: Path) -> Iterator[Path]:
    """A temporary folder on the same file system as ``folder``'s place, removed afterwards
    unless it was renamed into place."""
    if os.path.lexists(folder):
        stage = Path(tempfile.mkdtemp(prefix=".policypress-init-", dir=folder))
    else:
        folder.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{folder.name}.init-", dir=folder.parent))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _move_into(stage: Path, folder: Path, files: dict[str, str]) -> None:
    """Each top-level entry of ``stage`` renamed into ``folder``, ``content/`` last. A
    ``.gitignore`` already there is kept, with the lines it lacks added."""
    entries = sorted({relative.split("/")[0] for relative in files}, key=lambda e: e == "content")
    for entry in entries:
        target = folder / entry
        if entry == ".gitignore" and os.path.lexists(target):
            lines = target.read_text(encoding="utf-8").splitlines()
            missing = [line for line in IGNORED if line not in lines]
            if missing:
                write_atomic_bytes(target, "\n".join([*lines, *missing, ""]).encode("utf-8"))
            continue
        os.rename(stage / entry, target)


def _first_commit(folder: Path, files: dict[str, str] | None) -> str:
    """A repository with a first commit of ``files`` (None: everything in ``folder``), and
    what to say about it. Never fails: without git, or when git refuses, the project is
    written all the same and the sentence says why there is no commit."""
    git = git_program()
    if git is None:
        return _("git is not installed: the project is not a git repository (nothing committed)")
    if in_repository(folder):  # the repository around it keeps the project's history
        return _("already in a git repository: the new files are left for you to commit")
    paths = sorted({relative.split("/")[0] for relative in files}) if files else ["."]
    message = _("Start the policies project (policypress init)")
    steps = (
        ("init", ["init", "--quiet"]),
        ("add", ["add", "--", *paths]),
        ("commit", ["commit", "--quiet", "--no-verify", "-m", message]),
    )
    for step, args in steps:
        if step == "commit":
            args = [*identity_options(git, folder), *args]
        done = run_git(git, folder, *args)
        if done.returncode != 0:
            problem = " ".join((done.stderr or done.stdout).split()) or f"exit {done.returncode}"
            return _(
                "git %(step)s failed (%(problem)s): the project is written, with no first commit"
            ) % {"step": step, "problem": problem}
    return _("a git repository with a first commit")


def _quoted(text: str) -> str:
    """``text`` as a YAML double-quoted string (JSON's escapes are YAML's too)."""
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str) -> str:
    """A YAML comment line: ``text`` on one line, so a translation cannot end the comment."""
    return "# " + " ".join(text.split())


def _ignore_file() -> str:
    return "".join(f"{line}\n" for line in IGNORED)


def _policies_readme() -> str:
    return (
        _(
            "Each policy is a folder here, named by its slug (online-safety/), holding policy.md. "
            "`policypress import FILE` writes one from a Word, OpenDocument, HTML, Markdown or "
            "text file; `policypress check` says what is left to do."
        )
        + "\n"
    )


def _contact(contact_id: str, role: str, email: str, unknown: str) -> str:
    return (
        f"  - id: {contact_id}\n"
        f"    role: {_quoted(role)}\n"
        f"    name: {unknown}\n"
        f"    {_comment(_('to confirm: their e-mail address'))}\n"
        f"    email: {email}\n"
    )


def _school_files(name: str, unknown: str) -> dict[str, str]:
    """The files of a school's project; ``unknown``: the to-confirm marker."""
    school = "\n".join(
        [
            _comment(
                _(
                    "The school's details: every page, PDF and form shows them. Write each "
                    "fact in place of 'to-confirm' and of each placeholder marked 'to confirm'."
                )
            ),
            f"name: {_quoted(name)}",
            "address:",
            f"  - {unknown}",
            _comment(
                _(
                    "one of: nursery, infant, junior, primary, middle, secondary, "
                    "all-through or special"
                )
            ),
            f"phase: {unknown}",
            _comment(_("to confirm: the school's website, where the policies are published")),
            f"website: {PLACEHOLDER_WEBSITE}",
            "language: en-GB",
            "contacts:",
            _contact("headteacher", _("Headteacher"), "head@school.invalid", unknown)
            + _contact("dsl", _("Designated Safeguarding Lead"), "dsl@school.invalid", unknown),
        ]
    )
    return {
        ".gitignore": _ignore_file(),
        f"content/{SCHOOL_FILE}": school,
        "content/policies/README.md": _policies_readme(),
    }


def _trust_files(name: str, unknown: str) -> dict[str, str]:
    """The files of a group's project; ``unknown``: the to-confirm marker."""
    trust = "\n".join(
        [
            _comment(
                _(
                    "The group's details: the trust's pages and every school's show them. "
                    "Write each fact in place of 'to-confirm' and of each placeholder marked "
                    "'to confirm'. Each school is a folder in schools/ with its own school.yml."
                )
            ),
            f"name: {_quoted(name)}",
            "kind: trust",
            _comment(_("to confirm: the trust's website")),
            f"website: {PLACEHOLDER_TRUST_WEBSITE}",
            "contacts:",
            _contact("ceo", _("Chief Executive Officer"), "ceo@trust.invalid", unknown)
            + _contact("dsl", _("Trust Safeguarding Lead"), "safeguarding@trust.invalid", unknown),
        ]
    )
    return {
        ".gitignore": _ignore_file(),
        TRUST_FILE: trust,
        f"{SCHOOLS_DIR}/README.md": _(
            "Each school of the group is a folder here (schools/<id>/) with its school.yml."
        )
        + "\n",
        "content/policies/README.md": _policies_readme(),
    }
