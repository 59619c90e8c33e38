"""Publishing from the studio: what a build would publish (the approved versions, or the
problems that stop it), then the same build ``policypress build`` runs, in a thread of its
own, one at a time, telling its stages as it goes; then what it published, and, where
school.yml names a publishing branch, the site pushed there (``commands/sitepush.py``): in a
group, each school's site to the branch its own school.yml names, and the trust's overview
to trust.yml's, as ``build --push`` does."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from policypress.build import STEPS, StrictFailure, build, check
from policypress.commands.groupbuild import (
    TRUST_OUT,
    build_group,
    refuse_bad_school_folders,
)
from policypress.commands.sitepush import (
    PublishTarget,
    SitePushed,
    SiteToPush,
    group_sites,
    publish_message,
    publishing_target,
    push_group,
    push_site,
)
from policypress.content.school import SCHOOL_FILE
from policypress.core.diagnostics import ContentError, Diagnostics
from policypress.core.errors import PolicypressError
from policypress.core.messages import gettext as _
from policypress.core.messages import use_language
from policypress.core.project import SCHOOLS_DIR, Project
from policypress.outputs.urls import SITE
from policypress.studio.checked import checked

EventKind = Literal["stage", "detail", "done", "failed"]
State = Literal["running", "done", "failed"]


@dataclass(frozen=True)
class PlannedPolicy:
    slug: str
    title: str
    version: str
    approved_on: str  # the approval's date, as YYYY-MM-DD


@dataclass(frozen=True)
class PlannedSchool:
    """One school's part of a publish: its approved policies and those never approved."""

    name: str
    policies: tuple[PlannedPolicy, ...]
    unpublished: tuple[str, ...]  # slugs of drafts never approved: left out


@dataclass(frozen=True)
class Plan:
    """What a build would publish now, or the problems that stop it (``check``'s errors,
    each as ``path:line:col: message``)."""

    schools: tuple[PlannedSchool, ...]
    problems: tuple[str, ...]
    target: PublishTarget | None  # where a single school's site is pushed after it is built
    # a group's sites, each school's and the trust's, each with where it is pushed (if at all)
    sites: tuple[SiteToPush, ...] = ()

    @property
    def ready(self) -> bool:
        return not self.problems

    @property
    def pushes(self) -> int:
        """How many sites are pushed once built."""
        if self.target is not None:
            return 1
        return sum(1 for site in self.sites if site.target is not None)


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class LinkGroup:
    heading: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Event:
    """A step of a publish, as the progress stream sends it."""

    kind: EventKind
    text: str
    step: int
    steps: int
    status: str  # the sentence the page's status line says: the step and its stage
    links: tuple[LinkGroup, ...] = ()
    problems: tuple[str, ...] = ()

    def data(self) -> str:
        return json.dumps(
            {
                "text": self.text,
                "step": self.step,
                "steps": self.steps,
                "status": self.status,
                "links": [
                    {"heading": g.heading, "links": [vars(link) for link in g.links]}
                    for g in self.links
                ],
                "problems": list(self.problems),
            },
            ensure_ascii=False,
        )


@dataclass
class Run:
    """One publish: its events so far (the stream sends them from any point), and how it
    ended. Written by the build's thread, read by the pages': one lock."""

    steps: int
    events: list[Event] = field(default_factory=list)
    state: State = "running"
    stage: str = ""
    detail: str = ""  # how the stage is getting on (PDFs rendered so far)
    step: int = 0
    links: tuple[LinkGroup, ...] = ()
    problems: tuple[str, ...] = ()
    # what became of each push: a single school's one, or each site of a group's in turn
    pushes: tuple[SitePushed, ...] = ()
    group: bool = False
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(
        self,
        kind: EventKind,
        text: str,
        links: tuple[LinkGroup, ...] = (),
        problems: tuple[str, ...] = (),
    ) -> None:
        with self.lock:
            if kind == "stage":
                self.step = min(self.step + 1, self.steps)
                self.stage, self.detail = text, ""
            elif kind == "detail":
                self.detail = text
            elif kind == "done":
                self.step = self.steps
            status = text if kind in ("done", "failed") else self.status()
            self.events.append(Event(kind, text, self.step, self.steps, status, links, problems))

    def status(self) -> str:
        return _("Step %(step)s of %(steps)s: %(stage)s") % {
            "step": self.step,
            "steps": self.steps,
            "stage": self.stage or _("Starting"),
        }

    def since(self, index: int) -> list[Event]:
        with self.lock:
            return self.events[index:]


class Publisher:
    """The studio's publishing: at most one build at a time."""

    def __init__(self, project: Project, language: Callable[[], str]) -> None:
        self.project = project
        self.language = language
        self.run: Run | None = None
        self._starting = threading.Lock()

    def running(self) -> Run | None:
        run = self.run
        return run if run is not None and run.state == "running" else None

    def start(self, plan: Plan) -> tuple[Run, bool]:
        """A new publish of ``plan`` (which must be ready), or the one already running
        (False: not started now)."""
        with self._starting:
            if (running := self.running()) is not None:
                return running, False
            run = Run(_steps(self.project) + plan.pushes, group=self.project.is_group)
            self.run = run
            thread = threading.Thread(
                target=self._publish, args=(run, plan), name="studio-publish", daemon=True
            )
            thread.start()
            return run, True

    def _publish(self, run: Run, plan: Plan) -> None:
        started = time.monotonic()
        with use_language(self.language()):
            try:
                sites, not_built = _build_all(self.project, run)
            except (ContentError, StrictFailure) as failure:
                _fail(run, _errors(failure.diagnostics), started)
                return
            except PolicypressError as failure:
                _fail(run, tuple(failure.messages()), started)
                return
            except Exception as failure:  # the page says so; the studio keeps running
                _fail(
                    run,
                    (_("The build stopped unexpectedly: %(error)s") % {"error": failure},),
                    started,
                )
                return
            if not sites:  # a group none of whose schools could be built
                _fail(run, not_built, started)
                return
            run.problems = not_built  # a group's schools that were not built, beside the rest
            run.pushes = self._push(run, plan, sites)
            titles = {p.slug: p.title for school in plan.schools for p in school.policies}
            run.links = published_links(self.project, titles)
            run.seconds = time.monotonic() - started
            run.state = "done"
            run.add("done", _("Published."), links=run.links)

    def _push(self, run: Run, plan: Plan, built: list[_Built]) -> tuple[SitePushed, ...]:
        """Each site built pushed where its details file says (the same push as ``build
        --push``): a single school's to its branch, a group's each to its own."""
        if plan.target is not None and len(built) == 1:
            target = plan.target
            run.add(
                "stage",
                _("Pushing the site to the branch %(branch)s of %(remote)s")
                % {"branch": target.branch, "remote": target.remote},
            )
            name = plan.schools[0].name if plan.schools else ""
            details = (self.project.content / SCHOOL_FILE).as_posix()  # never shown
            site = SiteToPush(None, name, details, built[0].site, target)
            return (
                SitePushed(
                    site, push_site(self.project, built[0].site, target, publish_message(name))
                ),
            )
        # a school that was not built keeps what its branch has: only what was built is pushed
        made = {one.school for one in built}
        return push_group(
            self.project,
            (site for site in plan.sites if site.school in made),
            step=lambda text: run.add("stage", text),
        )


@dataclass(frozen=True)
class _Built:
    """A site the build published: a group's school's (by id), the trust's overview or a
    single school's (``school`` None)."""

    school: str | None
    site: Path


def _build_all(project: Project, run: Run) -> tuple[list[_Built], tuple[str, ...]]:
    """The build ``policypress build`` runs (a group's: each school and the overview), its
    stages told to ``run``: the sites it published, and the problems of a group's schools it
    could not build (each school stands alone: the others are still published)."""
    if not project.is_group:
        result = build(
            project,
            step=lambda text: run.add("stage", text),
            detail=lambda text: run.add("detail", text),
        )
        return [_Built(None, result.site)], ()
    built = build_group(project, project.school_ids(), step=lambda text: run.add("stage", text))
    problems: list[str] = []
    for school, diags in built.failed:
        problems.append(_("School %(school)s was not built:") % {"school": school})
        problems += _errors(diags)
    sites = [_Built(school, one.site) for school, one in built.built]
    if built.overview is not None:
        sites.append(_Built(None, built.overview))
    return sites, tuple(problems)


def _fail(run: Run, problems: tuple[str, ...], started: float) -> None:
    run.problems = problems
    run.seconds = time.monotonic() - started
    run.state = "failed"
    run.add("failed", _("Nothing was published."), problems=problems)


def _steps(project: Project) -> int:
    if project.is_group:
        return len(project.school_ids()) + 1  # each school, then the overview
    return STEPS


def _errors(diags: Diagnostics) -> tuple[str, ...]:
    return tuple(str(item) for item in diags.sorted() if item in diags.errors)


def plan(project: Project) -> Plan:
    """What a build would publish now: ``check`` of the public build, each school's in a
    group."""
    if not project.is_group:
        planned, found = _planned(project)
        return Plan((planned,) if planned else (), found, publishing_target(project))
    diags = Diagnostics(project.root)
    try:
        refuse_bad_school_folders(project)
    except ContentError as failure:
        diags = failure.diagnostics
    if diags.errors:
        return Plan((), _errors(diags), None)
    schools: list[PlannedSchool] = []
    problems: list[str] = []
    for school_id in project.school_ids():
        school, found = _planned(project.for_school(school_id))
        schools += [school] if school else []
        problems += found
    sites = group_sites(project, project.school_ids(), overview=True)
    return Plan(tuple(schools), tuple(problems), None, sites)


def _planned(project: Project) -> tuple[PlannedSchool | None, tuple[str, ...]]:
    # check's result, read again only once a file changed; a group's school is checked
    # afresh (the studio's cache knows a project by its folder, which its schools share)
    content, diags = check(project, "public") if project.school else checked(project, "public")
    if content is None:
        return None, _errors(diags)
    policies = tuple(
        PlannedPolicy(
            policy.slug, policy.title, str(policy.current.number), policy.current.date.isoformat()
        )
        for policy in sorted(content.policies, key=lambda policy: policy.title.casefold())
    )
    return PlannedSchool(content.school.name, policies, tuple(sorted(content.unpublished))), ()


# What each kind of published file is, in the order the page lists them (the site's own
# pages, style and search files are reached from its home page).
_LISTED = ("policy-pdf", "agreement-pdf", "poster-pdf", "quiz-worksheet", "review-calendar")


def published_links(project: Project, titles: Mapping[str, str]) -> tuple[LinkGroup, ...]:
    """What the last build published, from its manifest: the website's home page and each
    policy's page (by its title in ``titles``), then its current PDFs, forms, posters,
    worksheets and calendar, each addressed through :func:`published_file`."""
    outs = (
        [(project.out, None)]
        if not project.is_group
        else [(project.out / SCHOOLS_DIR / school, school) for school in project.school_ids()]
    )
    groups: list[LinkGroup] = []
    for out, school in outs:
        entries, current = _manifest(out / "manifest.json")
        prefix = f"/published/{SCHOOLS_DIR}/{school}/" if school else "/published/"
        pages: list[Link] = []
        files: list[Link] = []
        for entry in entries:
            kind, path = entry.get("kind"), str(entry.get("path", ""))
            if kind == "home-page":
                pages.insert(0, Link(_("The website's home page"), prefix + path))
            elif kind == "policy-page":
                slug = str(entry.get("policy"))
                pages.append(Link(titles.get(slug, slug), prefix + _folder(path)))
            elif kind in _LISTED and (
                kind != "policy-pdf"
                or current.get(str(entry.get("policy"))) == entry.get("version")
            ):
                files.append(Link(PurePosixPath(path).name, prefix + path))
        if pages or files:
            heading = (
                _("The website") if school is None else _("School %(school)s") % {"school": school}
            )
            groups.append(LinkGroup(heading, tuple(pages)))
            if files:
                groups.append(LinkGroup(_("Documents"), tuple(files)))
    if project.is_group and (project.out / TRUST_OUT / SITE / "index.html").is_file():
        groups.append(
            LinkGroup(
                _("The trust"),
                (Link(_("The trust's overview"), f"/published/{TRUST_OUT}/{SITE}/index.html"),),
            )
        )
    return tuple(groups)


def _manifest(path: Path) -> tuple[list[dict[str, object]], dict[str, object]]:
    """The manifest's outputs and each policy's published version (none if it cannot be
    read: nothing was published there yet)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [], {}
    outputs = [entry for entry in data.get("outputs", []) if isinstance(entry, dict)]
    policies = data.get("policies", {})
    current = {
        slug: facts.get("version")
        for slug, facts in (policies.items() if isinstance(policies, dict) else ())
        if isinstance(facts, dict)
    }
    return outputs, current


def _folder(path: str) -> str:
    """A page's address as its links give it: its folder, not its index.html."""
    return path.removesuffix("index.html")


def published_file(project: Project, path: str) -> Path | None:
    """The published file at ``path`` (as :func:`published_links` addresses it): only inside
    a site the build published (build/site, a school's site or the trust's), only a regular
    file (a folder: its index.html), never a link leading out of that site."""
    parts = PurePosixPath(path).parts
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    if parts[:1] == (SITE,):
        site, rest = project.out / SITE, parts[1:]
    elif len(parts) >= 3 and parts[0] == SCHOOLS_DIR and parts[2] == SITE:
        if parts[1] not in project.school_ids():
            return None
        site, rest = project.out / SCHOOLS_DIR / parts[1] / SITE, parts[3:]
    elif parts[:2] == (TRUST_OUT, SITE):
        site, rest = project.out / TRUST_OUT / SITE, parts[2:]
    else:
        return None
    try:
        root = site.resolve(strict=True)
        found = root.joinpath(*rest).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not found.is_relative_to(root):
        return None
    if found.is_dir():
        found = found / "index.html"
    return found if found.is_file() else None
