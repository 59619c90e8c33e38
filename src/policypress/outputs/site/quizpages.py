"""Quiz pages of the site: one interactive page per quiz, an index, and the coverage grid."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from policypress.content.learning import PUPIL_TIERS, TIERS
from policypress.content.quizschema import PATHWAY_TITLES, STRAND_TITLES, tier_title
from policypress.core.dates import long_date
from policypress.core.diagnostics import Diagnostics
from policypress.core.messages import gettext as _
from policypress.model import Content, LearningPoint
from policypress.outputs import urls
from policypress.outputs.markup import HrefForClause
from policypress.outputs.templating import render_template
from policypress.outputs.urls import (
    ASSETS,
    CLASS_STYLE,
    QUIZ_COVERAGE,
    QUIZ_SCRIPT,
    QUIZZES,
    docs_path,
    relative_url,
)
from policypress.quizzes.generate import Quiz, answer_hash
from policypress.quizzes.translated import point_translation


@dataclass(frozen=True)
class ClauseLink:
    href: str
    label: str  # "4.2 Staff passwords, in the Online Safety Policy"


@dataclass(frozen=True)
class QuestionReview:
    """What the end of a staff quiz says about a question answered wrongly: the learning point
    it asks about, in the tier's words, and a link to each clause it comes from."""

    about: str
    links: tuple[ClauseLink, ...]


def quiz_review(content: Content, quiz: Quiz, href_for: HrefForClause) -> dict[str, QuestionReview]:
    """For a quiz that is scored (staff), each question's review, by question id; empty for a
    practice quiz. A clause whose policy the content lacks (a draft, on the public site) is
    left out rather than linked to a page that is not there."""
    if quiz.is_practice:
        return {}
    points: dict[str, LearningPoint] = {p.id: p for p in content.points}
    found = {}
    for question in quiz.questions:
        point = points.get(question.point)
        links = []
        for ref in point.clauses if point is not None else ():
            policy = content.policy(ref.policy)
            clause = policy.clause(ref.clause) if policy is not None else None
            if policy is None or clause is None:
                continue
            label = _("%(number)s %(clause)s, in the %(policy)s") % {
                "number": clause.label,
                "clause": clause.title,
                "policy": policy.title,
            }
            links.append(ClauseLink(href_for(ref), label))
        about = point.tiers[quiz.tier].point if point is not None else ""
        found[question.id] = QuestionReview(about, tuple(links))
    return found


def has_class_mode(quiz: Quiz) -> bool:
    """Pupil quizzes have a class mode for the whiteboard; staff ones are done alone."""
    return quiz.tier in PUPIL_TIERS


def quiz_teaches(content: Content, quiz: Quiz) -> list[str]:
    """What a pupil quiz's first attempt teaches, each learning point in the tier's words (for
    the teacher's notes); empty for staff, whose page says so in its own way."""
    if quiz.tier not in PUPIL_TIERS:
        return []
    points = {p.id: p.tiers for p in content.points}
    bank = {q.id: q for q in quiz.questions}
    found = []
    for qid in quiz.attempts[0]:
        point = bank[qid].point
        # a translated quiz teaches its points in its language's words
        translated = point_translation(content, point, quiz.language) if quiz.language else None
        tiers = translated.tiers if translated is not None else points.get(point, {})
        if quiz.tier in tiers:
            found.append(tiers[quiz.tier].point)
    return list(dict.fromkeys(found))


def write_class_pages(
    env: jinja2.Environment,
    content: Content,
    quizzes: list[Quiz],
    docs: Path,
    diags: Diagnostics,
) -> None:
    """Class mode: beside each pupil quiz's page, a page of its own (quizzes/<id>/class/) for
    the whiteboard, one question per screen in large type. It is a whole HTML page written here,
    not a Markdown page for the engine, so it has none of the theme's header, navigation or
    footer to hide (CSS hiding would leave them in the reading and tab order); it loads the
    quiz script and a stylesheet of its own, as files, so the Content-Security-Policy the
    build adds to every page holds."""
    shown = [quiz for quiz in quizzes if has_class_mode(quiz)]
    if not shown:
        return
    _write_text(docs / CLASS_STYLE, render_template(env, "site/classmode.css.j2", diags))
    for quiz in shown:
        here = urls.quiz_class_page(quiz.id)
        bank = {q.id: q for q in quiz.questions}
        page = render_template(
            env,
            "site/classmode.html.j2",
            diags,
            school=content.school,
            quiz=quiz,
            questions=[bank[qid] for qid in quiz.attempts[0]],
            quiz_href=relative_url(urls.quiz_page(quiz.id), here),
            style_href=relative_url(CLASS_STYLE, here),
            script_href=relative_url(QUIZ_SCRIPT, here),
            icon_base=relative_url(f"{ASSETS}/icons/", here),
        )
        _write_text(docs / here / "index.html", page)


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class CertificateView:
    """What a staff quiz's printed certificate shows beyond the quiz itself: the school's logo
    (a link from the quiz page) and each policy version the quiz covered, in words."""

    logo: str | None
    versions: tuple[str, ...]  # "Online Safety Policy, version 3.1, approved 16 September 2026"


def certificate_view(content: Content, quiz: Quiz, logo: str | None) -> CertificateView:
    versions = []
    for stamp in quiz.policies:
        policy = content.policy(stamp.slug)
        if policy is None or policy.is_draft:  # a draft (the preview) has no approval yet
            versions.append(
                _("%(title)s, version %(version)s")
                % {"title": stamp.title, "version": stamp.version}
            )
            continue
        versions.append(
            _("%(title)s, version %(version)s, approved %(date)s")
            % {
                "title": stamp.title,
                "version": stamp.version,
                "date": long_date(policy.current.approval.meeting),
            }
        )
    return CertificateView(logo, tuple(versions))


def quiz_docs_paths(quizzes: list[Quiz]) -> list[tuple[str, str, str, Quiz | None]]:
    """(docs path, title, kind, quiz) of every quiz page, in navigation order."""
    pages: list[tuple[str, str, str, Quiz | None]] = [
        (docs_path(QUIZZES), _("Online safety quizzes"), "quizzes-page", None)
    ]
    pages += [(docs_path(urls.quiz_page(q.id)), q.title, "quiz-page", q) for q in quizzes]
    pages.append((docs_path(QUIZ_COVERAGE), _("Quiz coverage"), "coverage-page", None))
    return pages


def render_quiz_page(
    env: jinja2.Environment,
    content: Content,
    quiz: Quiz,
    here: str,
    common: dict[str, Any],
    diags: Diagnostics,
) -> str:
    """A quiz's interactive page at ``here`` (relative to the whole site's root). A quiz in a
    translation (``quiz.language``, written inside that language) links its worksheet in the
    language and no class mode (the whiteboard pages are the main language's); it loads the
    main site's script and icons, so the Content-Security-Policy is the same everywhere."""
    language = quiz.language
    worksheet = (
        urls.translated_quiz_worksheet(quiz.id, language)
        if language
        else urls.quiz_worksheet(quiz.id)
    )
    return render_template(
        env,
        "site/quiz.md.j2",
        diags,
        **common,
        quiz=quiz,
        hashes={q.id: answer_hash(quiz, q) for q in quiz.questions},
        pathway_title=_(PATHWAY_TITLES[quiz.pathway]) if quiz.pathway else "",
        worksheet_href=relative_url(worksheet, here),
        class_href=(
            relative_url(urls.quiz_class_page(quiz.id), here)
            if has_class_mode(quiz) and not language
            else ""
        ),
        teaches=quiz_teaches(content, quiz),
        script_href=relative_url(QUIZ_SCRIPT, here),
        icon_base=relative_url(f"{ASSETS}/icons/", here),
        certificate=certificate_view(
            content, quiz, relative_url(common["logo"], here) if common["logo"] else None
        ),
        review=quiz_review(
            content,
            quiz,
            lambda ref: relative_url(urls.policy_page(ref.policy), here) + f"#{ref.clause}",
        ),
    )


def render_quiz_doc(
    env: jinja2.Environment,
    content: Content,
    quizzes: list[Quiz],
    kind: str,
    quiz: Quiz | None,
    here: str,
    common: dict[str, Any],
    diags: Diagnostics,
) -> str:
    if quiz is not None:
        return render_quiz_page(env, content, quiz, here, common, diags)
    if kind == "quizzes-page":
        return render_template(
            env,
            "site/quizzes.md.j2",
            diags,
            **common,
            quizzes=[
                {
                    "quiz": q,
                    "href": relative_url(urls.quiz_page(q.id), here),
                    "worksheet": relative_url(urls.quiz_worksheet(q.id), here),
                }
                for q in quizzes
            ],
        )
    return render_template(
        env,
        "site/coverage.md.j2",
        diags,
        **common,
        tiers=[(t, tier_title(t)) for t in TIERS if content.school.teaches(t)],
        strands=[(strand, _(title)) for strand, title in STRAND_TITLES.items()],
        cells=coverage(content, quizzes),
        rotations=rotations(quizzes),
    )


def coverage(content: Content, quizzes: list[Quiz]) -> dict[str, dict[str, dict[str, int]]]:
    """strand → tier → {points, questions}."""
    cells = {s: {t: {"points": 0, "questions": 0} for t in TIERS} for s in STRAND_TITLES}
    for point in content.points:
        for tier in point.tiers:
            cells[point.strand][tier]["points"] += 1
    for quiz in quizzes:
        if quiz.is_delta:
            continue
        for question in quiz.questions:
            cells[question.strand][quiz.tier]["questions"] += 1
    return cells


@dataclass(frozen=True)
class Rotation:
    """How a staff pathway's quiz asks every learning point over its attempts."""

    title: str
    points: int  # learning points in the pathway's bank (one question each)
    per_attempt: int  # questions one attempt asks
    attempts: int  # attempts after which every point has been asked at least once


def rotations(quizzes: list[Quiz]) -> list[Rotation]:
    """One row per staff pathway quiz, in the order the quizzes are built."""
    found = []
    for quiz in quizzes:
        if quiz.tier != "staff" or quiz.pathway is None:
            continue
        points = {q.point for q in quiz.questions}
        by_id = {q.id: q.point for q in quiz.questions}
        asked: set[str] = set()
        needed = len(quiz.attempts)
        for attempt, draw in enumerate(quiz.attempts, start=1):
            asked |= {by_id[i] for i in draw}
            if asked >= points:
                needed = attempt
                break
        found.append(
            Rotation(
                _(PATHWAY_TITLES[quiz.pathway]),
                len(points),
                max(len(draw) for draw in quiz.attempts),
                needed,
            )
        )
    return found


def copy_quiz_script(script: Path, docs: Path) -> None:
    """``script`` (``templates/site/quiz.js`` in effect) into the docs tree."""
    target = docs / QUIZ_SCRIPT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(script.read_text(encoding="utf-8"), encoding="utf-8")
