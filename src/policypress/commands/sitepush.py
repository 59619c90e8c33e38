"""Pushing the built site to a git branch that GitHub or GitLab Pages serves, where
``school.yml`` names one (``publish: {remote: …, branch: gh-pages}``).

The site (``build/site``) becomes one commit with no parent, made in a temporary repository
with git's plumbing: the user's working tree, index, branches and objects are never touched.
The commit is the same for the same site: its author, committer and dates are fixed (the
build's day, or ``SOURCE_DATE_EPOCH``), so publishing again what was published changes
nothing. The branch is replaced, not added to, and only if it is one policypress wrote
(its tip a parentless commit by :data:`PUBLISHER`) and still is what was looked at just
before (``--force-with-lease``): a branch of the school's own work is never overwritten."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from policypress.commands.gitcommit import GIT_TIMEOUT_SECONDS, git_program
from policypress.commands.groupbuild import TRUST_OUT
from policypress.content.schema import SchoolFile, TrustFile
from policypress.content.school import SCHOOL_FILE
from policypress.content.validation import validated
from policypress.core.dates import build_time
from policypress.core.diagnostics import Diagnostics
from policypress.core.messages import gettext as _
from policypress.core.project import SCHOOLS_DIR, TRUST_FILE, Project
from policypress.outputs.urls import SITE
from policypress.source.tree import read_tree

# Whom every published commit is by: fixed, so that the same site is the same commit.
PUBLISHER = ("policypress", "publish@policypress.invalid")
# GitHub Pages runs Jekyll on a branch without this file, which hides folders whose names
# begin with "_" and slows every publish; the site needs no Jekyll.
NOJEKYLL = ".nojekyll"
# git never asks a question (there may be no terminal) and runs no remote helper that is a
# command ("ext::…"), whatever the remote's address says.
_QUIET = {"GIT_TERMINAL_PROMPT": "0", "GIT_EDITOR": "true", "GIT_PAGER": "cat"}
_NO_COMMANDS = ("-c", "protocol.ext.allow=never")


@dataclass(frozen=True)
class PublishTarget:
    """Where the site goes: a remote's name or address, and the branch there."""

    remote: str
    branch: str


@dataclass(frozen=True)
class Pushed:
    """What became of a push: the commit the branch now names, or the problem in words."""

    commit: str | None = None
    problem: str | None = None
    unchanged: bool = False  # the branch already named this commit: nothing was sent

    @property
    def ok(self) -> bool:
        return self.problem is None


class _GitFailed(Exception):
    """A git command failed; its message is git's own words."""


class _Refused(Exception):
    """Not pushed, for a reason said in a whole sentence of the catalogue."""


def publishing_target(project: Project) -> PublishTarget | None:
    """``publish`` in the project's school.yml; None where it names none (or the file cannot
    be read: ``check`` and the build say why, at the line)."""
    return _details(project, SchoolFile, _school_file(project))[1]


def _school_file(project: Project) -> Path:
    return (project.school_folder or project.content) / SCHOOL_FILE


def _details(
    project: Project, model: type[SchoolFile] | type[TrustFile], path: Path
) -> tuple[str, PublishTarget | None]:
    """The name a school.yml or trust.yml gives, and its ``publish`` (none where the file
    cannot be read: ``check`` and the build say why, at the line)."""
    diags = Diagnostics(project.root)
    read = read_tree(diags, [path])[path].yaml(diags)
    loaded = validated(model, read[1] if read else None, diags, what=path.name)
    if loaded is None:
        return "", None
    details = loaded[0]
    publish = details.publish
    return details.name, PublishTarget(publish.remote, publish.branch) if publish else None


def publish_message(school: str) -> str:
    return _("The policies website of %(school)s, as policypress built it") % {"school": school}


@dataclass(frozen=True)
class SiteToPush:
    """One site of a group that a push concerns: a school's, or the trust's overview."""

    school: str | None  # the school's id; None for the trust's overview
    name: str  # the school's or the trust's, as its details file gives it
    details: str  # that file, from the project's folder: schools/<id>/school.yml or trust.yml
    site: Path  # its built site
    target: PublishTarget | None  # where it is pushed; None: its details file names nowhere


@dataclass(frozen=True)
class SitePushed:
    """What became of one site's push: pushed, failed (``pushed.problem``), or skipped
    (``pushed`` None) because its details file names no publishing branch."""

    site: SiteToPush
    pushed: Pushed | None

    @property
    def failed(self) -> bool:
        return self.pushed is not None and not self.pushed.ok

    @property
    def sentence(self) -> str:
        """What became of the site, in a sentence that names it."""
        target, pushed = self.site.target, self.pushed
        name = self.site.name
        if target is None or pushed is None:
            return _("%(name)s: not pushed: no publishing branch in %(file)s.") % {
                "name": name,
                "file": self.site.details,
            }
        if pushed.problem is not None:
            return _("%(name)s: not pushed. %(failure)s") % {
                "name": name,
                "failure": pushed.problem,
            }
        if pushed.unchanged:
            return _(
                "%(name)s: the branch %(branch)s of %(remote)s already held this site, so "
                "nothing needed pushing."
            ) % {"name": name, "branch": target.branch, "remote": target.remote}
        return _(
            "%(name)s: pushed to the branch %(branch)s of %(remote)s as commit %(commit)s."
        ) % {
            "name": name,
            "branch": target.branch,
            "remote": target.remote,
            "commit": (pushed.commit or "")[:12],
        }


def group_sites(project: Project, schools: Iterable[str], overview: bool) -> tuple[SiteToPush, ...]:
    """The sites of a group a push concerns: each of ``schools`` (by id), then the trust's
    overview when ``overview``; each with the publishing branch its details file names."""
    sites = []
    for school in sorted(schools):
        of_school = project.for_school(school)
        name, target = _details(project, SchoolFile, _school_file(of_school))
        details = f"{SCHOOLS_DIR}/{school}/{SCHOOL_FILE}"
        sites.append(SiteToPush(school, name or school, details, of_school.out / SITE, target))
    if overview:
        name, target = _details(project, TrustFile, project.root / TRUST_FILE)
        sites.append(SiteToPush(None, name, TRUST_FILE, project.out / TRUST_OUT / SITE, target))
    return tuple(sites)


def push_group(
    project: Project, sites: Iterable[SiteToPush], step: Callable[[str], None] = lambda _: None
) -> tuple[SitePushed, ...]:
    """Each of ``sites`` (as :func:`group_sites` lists them) pushed to its own publishing
    branch, in turn: one that names none is skipped, and one whose push fails does not stop
    the others. ``step`` is told of each push as it starts."""
    done = []
    # Each push replaces its branch: a second site naming a branch already pushed to would
    # replace the first's site there, so it is refused (a remote is known by how it is
    # written: a name and an address for the same repository are not matched).
    claimed: dict[PublishTarget, str] = {}
    for site in sites:
        if site.target is None:
            done.append(SitePushed(site, None))
            continue
        if (first := claimed.setdefault(site.target, site.details)) != site.details:
            problem = _(
                "The site was built but not pushed: %(file)s names the branch %(branch)s of "
                "%(remote)s, as %(first)s does, and a push would replace that site. Name a "
                "branch of its own under publish in %(file)s."
            ) % {
                "file": site.details,
                "first": first,
                "branch": site.target.branch,
                "remote": site.target.remote,
            }
            done.append(SitePushed(site, Pushed(problem=problem)))
            continue
        step(
            _("Pushing the site of %(name)s to the branch %(branch)s of %(remote)s")
            % {"name": site.name, "branch": site.target.branch, "remote": site.target.remote}
        )
        pushed = push_site(project, site.site, site.target, publish_message(site.name))
        done.append(SitePushed(site, pushed))
    return tuple(done)


def push_site(project: Project, site: Path, target: PublishTarget, message: str) -> Pushed:
    """``site`` (a built site folder) as the one commit on ``target``'s branch."""
    git = git_program()
    if git is None:
        return Pushed(problem=_("git is not installed, so the site was not pushed."))
    try:
        address = _address(git, project.root, target.remote)
        with tempfile.TemporaryDirectory(prefix="policypress-publish-") as scratch:
            repository = Path(scratch) / "site.git"
            commit = site_commit(git, site.resolve(), repository, message)
            return _push(git, repository, address, target, commit)
    except _Refused as refused:
        return Pushed(problem=str(refused))
    except _GitFailed as failed:
        return Pushed(
            problem=_(
                "The site was built but not pushed to %(branch)s of %(remote)s; git said: %(said)s"
            )
            % {"branch": target.branch, "remote": target.remote, "said": failed}
        )


def site_commit(git: str, site: Path, repository: Path, message: str) -> str:
    """The commit of ``site``'s files (and :data:`NOJEKYLL`) made in a new repository at
    ``repository``, with git's configuration left out so that nothing of the machine's
    (line-ending conversion, filters, hooks) changes what is committed."""
    env = _isolated()
    _git(git, env, "init", "--quiet", "--bare", str(repository))
    where = ("--git-dir", str(repository), "--work-tree", str(site))
    _git(git, env, *where, "add", "--all", "--force", ".")
    empty = _git(git, env, *where, "hash-object", "-w", "--stdin", stdin="")
    _git(git, env, *where, "update-index", "--add", "--cacheinfo", f"100644,{empty},{NOJEKYLL}")
    tree = _git(git, env, *where, "write-tree")
    return _git(git, env, "--git-dir", str(repository), "commit-tree", tree, "-m", message)


def _push(git: str, repository: Path, address: str, target: PublishTarget, commit: str) -> Pushed:
    ref = f"refs/heads/{target.branch}"
    # the user's own configuration from here on: their credentials and ssh settings
    env = {**os.environ, **_QUIET}
    local = ("--git-dir", str(repository))
    listed = _git(git, env, *local, *_NO_COMMANDS, "ls-remote", "--", address, ref)
    tip = listed.split()[0] if listed else ""
    if tip == commit:
        return Pushed(commit, unchanged=True)
    if tip:
        seen = "refs/policypress/published"
        _git(
            git, env, *local, *_NO_COMMANDS, "fetch", "--quiet", "--no-tags", "--depth=1",
            "--", address, f"+{ref}:{seen}",
        )  # fmt: skip
        parents, author = _git(
            git, env, *local, "log", "-1", "--format=%P%x00%an <%ae>", seen
        ).split("\0")
        if parents or author != f"{PUBLISHER[0]} <{PUBLISHER[1]}>":
            raise _Refused(
                _(
                    "The site was built but not pushed: the branch %(branch)s of %(remote)s "
                    "holds commits policypress did not make, and publishing would replace "
                    "them. Name another branch as publish.branch in school.yml, or delete "
                    "that branch first if nothing on it is needed."
                )
                % {"branch": target.branch, "remote": target.remote}
            )
    _git(
        git, env, *local, *_NO_COMMANDS, "push", "--quiet", "--porcelain",
        f"--force-with-lease={ref}:{tip}", "--", address, f"{commit}:{ref}",
    )  # fmt: skip
    return Pushed(commit)


def _address(git: str, root: Path, remote: str) -> str:
    """The address to push to: a remote's name looked up in the project's repository (with
    its pushurl and insteadOf rules), an address as it is."""
    if "/" in remote or ":" in remote:
        return remote
    env = {**os.environ, **_QUIET}
    try:
        return _git(git, env, "-C", str(root), "remote", "get-url", "--push", "--", remote)
    except _GitFailed:
        raise _Refused(
            _(
                "The site was built but not pushed: the project's git repository has no "
                "remote named '%(remote)s' (`git remote -v` lists those it has)."
            )
            % {"remote": remote}
        ) from None


def _isolated() -> dict[str, str]:
    """An environment for git that reads no configuration but the repository's own and
    commits as :data:`PUBLISHER` at the fixed time."""
    when = f"{_commit_time()} +0000"
    name, email = PUBLISHER
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
        **_QUIET,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_COMMITTER_DATE": when,
    }


def _commit_time() -> int:
    """``SOURCE_DATE_EPOCH``, or the start of the build's day (the day its pages show): the
    same site built on the same day is the same commit."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
        return int(build_time().timestamp())
    day = build_time().date()
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def _git(git: str, env: Mapping[str, str], *args: str, stdin: str | None = None) -> str:
    try:
        done = subprocess.run(
            [git, *args],
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            timeout=GIT_TIMEOUT_SECONDS,
            env=dict(env),
            stdin=None if stdin is not None else subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise _Refused(
            _("The site was built but not pushed: git did not finish within %(seconds)s seconds.")
            % {"seconds": GIT_TIMEOUT_SECONDS}
        ) from None
    except OSError as error:
        raise _GitFailed(str(error)) from None
    if done.returncode != 0:
        said = " ".join((done.stderr or done.stdout).split())
        raise _GitFailed(said or f"git {args[0]}: exit {done.returncode}")
    return done.stdout.strip()
