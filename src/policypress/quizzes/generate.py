"""Generate age-tiered quizzes from learning points, deterministically for a given seed.

One question per learning point and tier. Its type follows what the point offers (ordered steps
become an ordering question, role pairs a matching one; otherwise a scenario, true/false,
single choice or — for staff — multiple answer). Distractors are the point's own unsafe actions,
then those of its strand's points (at the same tier) that cite one of its clauses, then — except
for a scenario, whose situation they would not fit — the rest of its strand's: never another
strand's, so no wrong option gives itself away by being off the topic, and never one that is
also correct. Where too few exist, the question has fewer options (``check`` warns, checks.py).

Option lengths are balanced: a right answer longer than every wrong one gives itself away, so
among the written options the generator prefers a correct option and distractors that leave a
distractor at least as long, and once LONGEST_SHARE of a quiz's questions would show the answer
as the longest option, it asks the remaining points in a form that does not (true/false,
ordering, matching, or a choice with a long enough distractor). Approved text is never altered.

Which points each attempt asks is in draws.py (staff quizzes rotate so every point is asked);
which statements are true and where the correct options stand is spread evenly over every
draw (spread.py); checks.py states the rules the build holds every quiz to. Option ids are
assigned after the options are placed, so they never give the answer away.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypedDict

from policypress.content.learning import PUPIL_TIERS, answer_form
from policypress.content.notation import parse_clause_ref
from policypress.content.quizschema import PATHWAY_TITLES, STRAND_ICONS, tier_title
from policypress.content.readability import sentences
from policypress.core.messages import gettext as _
from policypress.model import ClauseRef, Content, LearningPoint, TierContent
from policypress.quizzes.draws import draw_points, in_strand_order
from policypress.quizzes.spread import expected_counts, spread

DEFAULT_SEED = 1
OPTION_COUNT = {"ks1": 3, "lks2": 3, "uks2": 4, "staff": 4}
QUESTION_LIMIT = {"ks1": 8, "lks2": 10, "uks2": 12, "staff": 15}
PASS_MARK = {"staff": 80}
# At most this share of a quiz's questions may have a right answer longer than every wrong one.
LONGEST_SHARE = 0.4
CHOICE_KINDS = ("single", "scenario", "multiple")
# Tiers whose every attempt opens with a picture choice (a Yes/No question the page shows as
# two large pictures with their words): a five-year-old starts with a tap, not a puzzle.
PICTURE_FIRST = ("ks1",)
RECAP_LIMIT = {"ks1": 4, "lks2": 5, "uks2": 6}  # lines of "points to remember" per pupil quiz
# A feedback sentence used as a true statement is at most this long, so that true statements
# do not stand out among the (short) false beliefs by their length.
FACT_WORDS = 25
LETTERS = "abcdefghij"
SPREAD_RETRIES = 20


class _Common(TypedDict):
    """Provenance every question records: what it teaches and which text it came from."""

    feedback: str
    point: str
    strand: str
    clauses: tuple[str, ...]
    versions: tuple[str, ...]


@dataclass(frozen=True)
class Option:
    id: str
    text: str


@dataclass(frozen=True)
class Match:
    """One correct pair of a matching question, for templates to render as fields."""

    left: Option
    right: Option
    target_index: int  # position of ``right`` among the question's targets (letter A, B, …)


@dataclass(frozen=True)
class Question:
    id: str
    kind: str  # true-false, single, multiple, scenario, ordering, matching
    prompt: str
    options: tuple[Option, ...]
    answer: tuple[str, ...]  # option ids; ordering: in order; matching: "left:right" pairs
    feedback: str
    point: str
    strand: str
    clauses: tuple[str, ...]
    versions: tuple[str, ...]  # "online-safety 3.1 sha256 fb8d0adf6fe8" for each clause's policy
    situation: str | None = None
    targets: tuple[Option, ...] = ()  # matching: the choices for each option
    icon: str | None = None  # a picture beside the question (templates/icons/<icon>.svg)

    @property
    def answer_key(self) -> str:
        """Canonical answer string, as the quiz page computes it from a pupil's choices."""
        return (
            ",".join(sorted(self.answer))
            if self.kind in ("multiple", "matching")
            else ",".join(self.answer)
        )

    @property
    def matches(self) -> tuple[Match, ...]:
        """A matching question's answer as pairs of options (``answer`` holds "left:right")."""
        found = []
        for pair in self.answer:
            left, right = pair.split(":")
            index = next(i for i, target in enumerate(self.targets) if target.id == right)
            found.append(Match(self.option(left), self.option(right), index))
        return tuple(found)

    def match_for(self, option_id: str) -> Match:
        return next(m for m in self.matches if m.left.id == option_id)

    def option(self, option_id: str) -> Option:
        return next(o for o in (*self.options, *self.targets) if o.id == option_id)


@dataclass(frozen=True)
class PolicyStamp:
    slug: str
    title: str
    version: str
    digest: str
    is_draft: bool = False


@dataclass(frozen=True)
class Quiz:
    id: str
    tier: str
    title: str
    questions: tuple[Question, ...]
    seed: int
    pathway: str | None = None
    policies: tuple[PolicyStamp, ...] = field(default_factory=tuple)
    # Each attempt's question ids, in the order asked: "Try again" moves to the next draw.
    draws: tuple[tuple[str, ...], ...] = ()
    # What a pupil should remember, in the tier's wording, shown when a practice quiz ends.
    recap: tuple[str, ...] = ()
    # None: the school's main language; else a translation's code (quizzes/translated.py)
    language: str | None = None

    @property
    def pass_mark(self) -> int | None:
        return PASS_MARK.get(self.tier)

    @property
    def is_practice(self) -> bool:
        """Pupils practise: their quizzes complete with a score and never fail."""
        return self.pass_mark is None

    @property
    def attempts(self) -> tuple[tuple[str, ...], ...]:
        """The draws, or one draw of every question when the generator set none."""
        return self.draws or (tuple(q.id for q in self.questions),)

    @property
    def opens_with_picture(self) -> bool:
        """Whether true/false questions show as a picture choice (two large pictures)."""
        return self.tier in PICTURE_FIRST

    @property
    def one_per_screen(self) -> bool:
        return self.tier == "ks1"

    @property
    def is_delta(self) -> bool:
        """A "what has changed" staff quiz (see delta.py), not part of the curriculum grid."""
        return self.id.startswith("delta-")


def fnv1a(text: str) -> str:
    """32-bit FNV-1a, matching quiz.js: answers are stored hashed so the page source does not
    read as an answer key (this deters a glance; it is not security)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return f"{value:08x}"


def answer_hash(quiz: Quiz, question: Question) -> str:
    return fnv1a(f"{quiz.id}|{question.id}|{question.answer_key}")


def quiz_plan() -> list[tuple[str, str, str | None]]:
    """(quiz id, tier, pathway) of every quiz we build."""
    plan: list[tuple[str, str, str | None]] = [(t, t, None) for t in PUPIL_TIERS]
    plan += [(f"staff-{p}", "staff", p) for p in PATHWAY_TITLES]
    return plan


def generate_all(content: Content, seed: int = DEFAULT_SEED) -> list[Quiz]:
    """Every quiz that has at least one question (the coverage page shows the gaps)."""
    quizzes = [
        generate(content, tier, pathway, seed, quiz_id) for quiz_id, tier, pathway in quiz_plan()
    ]
    return [quiz for quiz in quizzes if quiz.questions]


def generate(
    content: Content,
    tier: str,
    pathway: str | None,
    seed: int,
    quiz_id: str,
    *,
    points: list[LearningPoint] | None = None,
    title: str | None = None,
    wording: Callable[[str], str] | None = None,
) -> Quiz:
    """A quiz for ``tier`` (and staff ``pathway``); ``points`` narrows which learning points
    it may use (distractors still come from all of them). ``wording``: each learning point's
    text as the quiz shows it (quizzes/translated.py gives another language's); every choice
    is made on the points' own text, so the same seed asks the same in every language."""
    word = wording or _as_written
    rng = random.Random(f"{seed}:{quiz_id}")
    eligible = content.points_for(tier, pathway, points)
    draws = draw_points(eligible, QUESTION_LIMIT[tier], tier == "staff", rng)
    bank = in_strand_order(list({p.id: p for draw in draws for p in draw}.values()))
    index = {point.id: n for n, point in enumerate(bank)}
    groups = [[index[p.id] for p in draw] for draw in draws] + [list(range(len(bank)))]
    budget = _LengthBudget(groups)
    plans = [_plan(content, point, tier, rng, budget.of(n)) for n, point in enumerate(bank)]
    asked = [[index[p.id] for p in draw] for draw in draws]
    if tier in PICTURE_FIRST:
        asked = [_picture_first(plans, draw, rng) for draw in asked]
        if len(asked) == 1:
            # One draw (a pupil quiz): the bank is numbered in the order it is asked, so the
            # worksheet, the exports and a page without its script open with the picture too.
            order = asked[0]
            plans = [plans[n] for n in order]
            bank = [bank[n] for n in order]
            index = {point.id: n for n, point in enumerate(bank)}
            asked = [list(range(len(bank)))]
            groups = [list(range(len(bank)))] * 2
    _spread_answers(plans, groups, rng)
    questions = tuple(
        _question(f"q{n:02d}", content, plan, tier, rng, word)
        for n, plan in enumerate(plans, start=1)
    )
    if not title:
        tier_words = tier_title(tier)
        title = (
            _("%(tier)s: %(pathway)s") % {"tier": tier_words, "pathway": _(PATHWAY_TITLES[pathway])}
            if pathway
            else tier_words
        )
    return Quiz(
        quiz_id,
        tier,
        title,
        questions,
        seed,
        pathway,
        policy_stamps(content, [ref for point in bank for ref in point.clauses]),
        draws=tuple(tuple(questions[n].id for n in draw) for draw in asked),
        recap=tuple(word(text) for text in _recap(tier, bank)),
    )


def _as_written(text: str) -> str:
    return text


@dataclass
class _Plan:
    """A bank question before its answer is placed: its kind and, for a choice question, its
    option texts (the correct ones first), or a true/false statement's form ("belief" or
    "action"). ``value`` is set by the spread: whether a true/false statement is true (1) or
    false (0), or where a single answer stands among the options (0 first)."""

    point: LearningPoint
    item: TierContent
    kind: str
    texts: list[str] = field(default_factory=list)
    correct: int = 0
    form: str = ""
    value: int = 0

    @property
    def positioned(self) -> bool:
        return self.kind in ("single", "scenario")

    @property
    def wrong(self) -> list[str]:
        return self.texts[self.correct :]

    @property
    def gives_away(self) -> bool:
        """Whether a correct option is longer than every wrong one."""
        return answer_is_longest(self.texts, self.correct)


class _LengthBudget:
    """How many more questions of each group (each draw, and the bank) may show the right
    answer as the longest option: LONGEST_SHARE of the group's questions, rounded down."""

    def __init__(self, groups: list[list[int]]) -> None:
        self._left = [math.floor(LONGEST_SHARE * len(group)) for group in groups]
        self._groups = groups

    def of(self, question: int) -> _QuestionBudget:
        return _QuestionBudget(
            self, [g for g, group in enumerate(self._groups) if question in group]
        )

    def can_spend(self, groups: list[int]) -> bool:
        return all(self._left[g] > 0 for g in groups)

    def spend(self, groups: list[int]) -> None:
        for g in groups:
            self._left[g] -= 1


@dataclass(frozen=True)
class _QuestionBudget:
    """The length budget of the groups one question is in."""

    budget: _LengthBudget
    groups: list[int]

    def take(self) -> bool:
        """Spend one in each of the question's groups, if every one has one left."""
        if not self.budget.can_spend(self.groups):
            return False
        self.budget.spend(self.groups)
        return True


def answer_is_longest(texts: list[str], correct: int) -> bool:
    """Whether a correct option (the first ``correct`` of ``texts``) is longer than every
    distractor: a wrong option at least as long leaves length no clue."""
    wrong = [len(text) for text in texts[correct:]]
    return bool(texts[:correct]) and max(len(t) for t in texts[:correct]) > max(wrong, default=0)


def distractor_groups(
    content: Content, point: LearningPoint, tier: str, *, scenario: bool = False
) -> list[list[str]]:
    """The wrong options a question on ``point`` may offer at ``tier``, nearest first: its own
    unsafe actions, then those of its strand's points that cite one of its clauses, then (not
    for a scenario, whose situation a wrong option from elsewhere would not fit) the rest of
    its strand's. Each group is sorted, so it does not depend on the order of the files."""
    own = set(point.tiers[tier].unsafe)
    cited = set(point.clauses)
    near: set[str] = set()
    far: set[str] = set()
    for other in content.points:
        if other.strand != point.strand or other.id == point.id or tier not in other.tiers:
            continue
        (near if cited & set(other.clauses) else far).update(other.tiers[tier].unsafe)
    groups = [sorted(own), sorted(near - own)]
    if not scenario:
        groups.append(sorted(far - near - own))
    return groups


def strand_distractor_pool(
    content: Content, point: LearningPoint, tier: str, *, scenario: bool = False
) -> list[str]:
    """Every wrong option a question on ``point`` may offer, nearest first (see
    distractor_groups): never one from another strand."""
    return [
        text
        for group in distractor_groups(content, point, tier, scenario=scenario)
        for text in group
    ]


def _plan(
    content: Content,
    point: LearningPoint,
    tier: str,
    rng: random.Random,
    budget: _QuestionBudget,
) -> _Plan:
    item = point.tiers[tier]
    if item.steps:
        return _Plan(point, item, "ordering")
    if item.pairs:
        return _Plan(point, item, "matching")
    # a statement's form is chosen before its answer, so each form must allow both answers
    forms = [
        form
        for form, possible in (
            ("action", bool(_unsafe(item))),
            ("belief", bool(_facts(item) and item.misconceptions)),
        )
        if possible
    ]
    nearest = distractor_groups(content, point, tier)
    for_scenario = distractor_groups(content, point, tier, scenario=True)
    # Every choice the point allows, drawn now (in a fixed order, so the seed decides them all);
    # the kind is then drawn among them, and among the fair ones once the budget is spent.
    choices: dict[str, _Plan] = {}
    if item.scenario:
        choices["scenario"] = _choice(
            point, item, "scenario", [item.scenario[1]], for_scenario, tier, rng
        )
    if item.safe:
        choices["single"] = _best_choice(
            [_choice(point, item, "single", [safe], nearest, tier, rng) for safe in item.safe],
            rng,
        )
    if tier == "staff" and len(item.safe) >= 2:
        pairs = [[a, b] for n, a in enumerate(item.safe) for b in item.safe[n + 1 :]]
        choices["multiple"] = _best_choice(
            [_choice(point, item, "multiple", pair, nearest, tier, rng) for pair in pairs],
            rng,
        )
    # a choice question needs a wrong option to choose against
    kinds: list[str] = [
        kind for kind in ("single", "scenario") if kind in choices and choices[kind].wrong
    ]
    if item.misconceptions and forms:
        kinds.append("true-false")
    if "multiple" in choices and choices["multiple"].wrong:
        kinds.append("multiple")
    if not kinds:  # nothing to choose against: the answer alone (check warns about the point)
        kinds = [kind for kind in ("single", "scenario") if kind in choices]
    fair = [kind for kind in kinds if kind == "true-false" or not choices[kind].gives_away]
    kind = rng.choice(kinds)
    # a question that gives its answer away counts against the budget even when no other
    # form is fair; once the budget is spent, a fair form is asked instead where there is one
    gives_away = kind != "true-false" and choices[kind].gives_away
    if gives_away and not budget.take() and fair:
        kind = rng.choice(fair)
    if kind == "true-false":
        return _Plan(point, item, kind, form=rng.choice(forms))
    return choices[kind]


def _choice(
    point: LearningPoint,
    item: TierContent,
    kind: str,
    correct: list[str],
    groups: list[list[str]],
    tier: str,
    rng: random.Random,
) -> _Plan:
    """A choice question's options: ``correct``, then distractors from ``groups`` nearest
    first (see distractor_groups) — with one at least as long as the longest correct option,
    where the groups have one, so length does not give the answer away."""
    pool = _distractors(item, correct, groups, rng)
    wanted = OPTION_COUNT[tier] - len(correct)
    longest = max(len(text) for text in correct)
    long_enough = next((text for text in pool if len(text) >= longest), None)
    picked = pool[:wanted]
    if long_enough is not None and long_enough not in picked and picked:
        picked[-1] = long_enough
    texts = correct + picked
    return _Plan(point, item, kind, texts, len(correct))


def _best_choice(candidates: list[_Plan], rng: random.Random) -> _Plan:
    """One of ``candidates`` (each with a different correct option): a fair one if any, and
    among those one with the most options."""
    fair = [c for c in candidates if not c.gives_away] or candidates
    most = max(len(c.texts) for c in fair)
    return rng.choice([c for c in fair if len(c.texts) == most])


def _picture_first(plans: list[_Plan], draw: list[int], rng: random.Random) -> list[int]:
    """``draw`` (bank indexes, in strand order) with a picture choice first: a true/false
    question of the draw, or else one of its choice questions asked as a true/false one
    ("Is this a good thing to do?" — every point has a safe and an unsafe action), unless the
    draw is a single question. Called before the answers are spread, so the draw's true/false
    answers are still balanced."""
    pictures = [n for n in draw if plans[n].kind == "true-false"]
    # a lone question keeps the form its point drew: there is nothing to open before it
    if not pictures and len(draw) > 1:
        convertible = [n for n in draw if plans[n].kind in CHOICE_KINDS and _unsafe(plans[n].item)]
        if not convertible:
            return draw
        chosen = rng.choice(convertible)
        plan = plans[chosen]
        plans[chosen] = _Plan(plan.point, plan.item, "true-false", form="action")
        pictures = [chosen]
    if not pictures:
        return draw
    first = rng.choice(pictures)
    return [first, *(n for n in draw if n != first)]


def _spread_answers(plans: list[_Plan], groups: list[list[int]], rng: random.Random) -> None:
    """Half the true/false statements true, and correct options spread over the positions,
    in every draw and in the bank (see spread.py)."""
    true_false = {n: 2 for n, plan in enumerate(plans) if plan.kind == "true-false"}
    positioned = {n: len(plan.texts) for n, plan in enumerate(plans) if plan.positioned}
    for sizes in (true_false, positioned):
        chosen = list(sizes)
        local = {n: i for i, n in enumerate(chosen)}
        item_sizes = [sizes[n] for n in chosen]
        local_groups = [[local[n] for n in group if n in local] for group in groups]
        values = spread(item_sizes, local_groups, rng)
        # The spread is a local search: with questions of 3 and 4 options mixed (a point with
        # too few wrong options) it can stop short of an even spread; a fresh start (from the
        # same generator, so still one result per seed) finds one.
        for _retry in range(SPREAD_RETRIES):
            if _evenly_placed(values, item_sizes, local_groups):
                break
            values = spread(item_sizes, local_groups, rng)
        for n, value in zip(chosen, values, strict=True):
            plans[n].value = value


def _evenly_placed(values: list[int], sizes: list[int], groups: list[list[int]]) -> bool:
    """Whether each value comes up in each group fewer than one away from its even share
    (the rule checks.py holds positions to)."""
    for group in groups:
        expected = expected_counts([sizes[i] for i in group])
        for value, even in enumerate(expected):
            if abs(sum(values[i] == value for i in group) - even) >= 1:
                return False
    return True


def _recap(tier: str, bank: list[LearningPoint]) -> tuple[str, ...]:
    """Points to remember at the end of a pupil quiz: the first safe action of points spread
    over the quiz (in strand order), in the tier's own wording, at most RECAP_LIMIT lines."""
    if tier not in RECAP_LIMIT or not bank:
        return ()
    limit = min(RECAP_LIMIT[tier], len(bank))
    picked = [bank[(n * len(bank)) // limit] for n in range(limit)]
    return tuple(dict.fromkeys(p.tiers[tier].safe[0] for p in picked))


def _common(content: Content, plan: _Plan, word: Callable[[str], str]) -> _Common:
    return {
        "feedback": word(plan.item.feedback),
        "point": plan.point.id,
        "strand": plan.point.strand,
        "clauses": tuple(str(r) for r in plan.point.clauses),
        "versions": tuple(_version(content, r.policy) for r in plan.point.clauses),
    }


def _question(
    qid: str,
    content: Content,
    plan: _Plan,
    tier: str,
    rng: random.Random,
    word: Callable[[str], str],
) -> Question:
    pupil = tier != "staff"
    common = _common(content, plan, word)
    icon = (plan.item.icon or STRAND_ICONS[plan.point.strand]) if tier == "ks1" else None
    item = plan.item
    if plan.kind == "ordering":
        return _ordering(qid, item, rng, pupil, common, icon, word)
    if plan.kind == "matching":
        return _matching(qid, item, rng, pupil, common, icon, word)
    if plan.kind == "true-false":
        prompt, verdict = _statement(plan, pupil, rng, word)
        options: tuple[Option, ...] = (
            Option("a", _("Yes") if pupil else _("True")),
            Option("b", _("No") if pupil else _("False")),
        )
        return Question(qid, plan.kind, prompt, options, (verdict,), icon=icon, **common)
    correct = plan.texts[: plan.correct]
    if plan.kind == "multiple":
        texts = list(plan.texts)
        rng.shuffle(texts)
    else:
        rest = plan.texts[1:]
        rng.shuffle(rest)
        texts = [*rest[: plan.value], plan.texts[0], *rest[plan.value :]]
    # ids follow the shown order, so an id never tells which option is right
    options = tuple(Option(LETTERS[i], word(text)) for i, text in enumerate(texts))
    answer = tuple(LETTERS[i] for i, text in enumerate(texts) if text in correct)
    if plan.kind == "multiple":
        prompt = _("Which of these follow the policy? Select all that apply.")
        return Question(qid, plan.kind, prompt, options, answer, icon=icon, **common)
    if plan.kind == "scenario":
        assert item.scenario is not None
        prompt = _("What should you do?") if pupil else _("What should you do, under the policy?")
        return Question(
            qid,
            plan.kind,
            prompt,
            options,
            answer,
            situation=word(item.scenario[0]),
            icon=icon,
            **common,
        )
    prompt = (
        _("Which is the safe thing to do?") if pupil else _("Which of these follows the policy?")
    )
    return Question(qid, plan.kind, prompt, options, answer, icon=icon, **common)


def _facts(item: TierContent) -> list[str]:
    """True statements of belief: the feedback's first sentence, when it is short enough."""
    return [s for s in sentences(item.feedback)[:1] if len(s.split()) <= FACT_WORDS]


def _unsafe(item: TierContent) -> list[str]:
    """Unsafe actions that are not also safe ones (the loader refuses those anyway)."""
    safe = {answer_form(text) for text in item.safe}
    return [text for text in item.unsafe if answer_form(text) not in safe]


def _statement(
    plan: _Plan, pupil: bool, rng: random.Random, word: Callable[[str], str]
) -> tuple[str, str]:
    """A true/false prompt and its answer id ("a" true, "b" false). A statement of belief
    ("Is this true?") is false from a misconception, true from the feedback's first sentence;
    an action ("Is this a good thing to do?") is true from a safe action, false from an unsafe
    one. The form was chosen before the answer (see _plan), so it never gives the answer away."""
    item, true = plan.item, bool(plan.value)
    if plan.form == "belief":
        text = rng.choice(_facts(item) if true else list(item.misconceptions))
        belief = _("Is this true? “%(text)s”") if pupil else _("True or false: %(text)s")
        return belief % {"text": word(text)}, ("a" if true else "b")
    text = rng.choice(list(item.safe) if true else _unsafe(item))
    action = (
        _("Is this a good thing to do? “%(text)s”")
        if pupil
        else _("True or false: this follows the policy. “%(text)s”")
    )
    prompt = action % {"text": word(text)}
    return prompt, "a" if true else "b"


def _version(content: Content, slug: str) -> str:
    policy = content.policy(slug)
    return f"{slug} {policy.version_label} sha256 {policy.short_digest}" if policy else slug


def policy_stamps(content: Content, refs: Iterable[ClauseRef]) -> tuple[PolicyStamp, ...]:
    """The version of each policy ``refs`` cite, by slug."""
    stamps = {}
    for ref in refs:
        policy = content.policy(ref.policy)
        if policy is not None:
            stamps[policy.slug] = PolicyStamp(
                policy.slug,
                policy.title,
                policy.version_label,
                policy.short_digest,
                policy.is_draft,
            )
    return tuple(stamps[slug] for slug in sorted(stamps))


def stamped(quiz: Quiz, content: Content) -> Quiz:
    """``quiz`` citing the versions of ``content``'s policies: everything else a quiz holds
    comes from the learning points and the seed alone, so schools that share them share it."""
    refs = [parse_clause_ref(text, "") for q in quiz.questions for text in q.clauses]
    questions = tuple(
        dataclasses.replace(
            q, versions=tuple(_version(content, text.partition("#")[0]) for text in q.clauses)
        )
        for q in quiz.questions
    )
    cited = policy_stamps(content, [ref for ref in refs if ref is not None])
    return dataclasses.replace(quiz, questions=questions, policies=cited)


def _distractors(
    item: TierContent,
    correct: list[str],
    groups: list[list[str]],
    rng: random.Random,
) -> list[str]:
    """Wrong options from ``groups`` in turn (the point's own unsafe actions, then its strand
    siblings'), each group shuffled. Never one that is, once case, spacing and punctuation are
    set aside, a safe action of the point, its scenario's answer or a correct option, and never
    the same one twice."""
    seen = {answer_form(text) for text in (*item.safe, *correct)}
    if item.scenario is not None:
        seen.add(answer_form(item.scenario[1]))
    found: list[str] = []
    for group in groups:
        pool = sorted(set(group))
        rng.shuffle(pool)
        for text in pool:
            if answer_form(text) not in seen:
                seen.add(answer_form(text))
                found.append(text)
    return found


def _ordering(
    qid: str,
    item: TierContent,
    rng: random.Random,
    pupil: bool,
    common: _Common,
    icon: str | None,
    word: Callable[[str], str],
) -> Question:
    steps = list(item.steps)
    shown = steps[:]
    for _attempt in range(20):  # steps are distinct (checked on load), so this ends at once
        if len(shown) < 2 or shown != steps:
            break
        rng.shuffle(shown)
    order = tuple(LETTERS[shown.index(step)] for step in steps)
    options = tuple(Option(LETTERS[i], word(text)) for i, text in enumerate(shown))
    prompt = (
        _("Put these steps in the right order.")
        if pupil
        else _("Put these steps in the order the policy sets out.")
    )
    return Question(
        qid,
        "ordering",
        prompt,
        options,
        order,
        situation=word(item.situation) if item.situation is not None else None,
        icon=icon,
        **common,
    )


def _matching(
    qid: str,
    item: TierContent,
    rng: random.Random,
    pupil: bool,
    common: _Common,
    icon: str | None,
    word: Callable[[str], str],
) -> Question:
    pairs = list(item.pairs)
    rng.shuffle(pairs)
    lefts = tuple(Option(f"l{i + 1}", word(left)) for i, (left, _right) in enumerate(pairs))
    rights_text = [right for _left, right in pairs]
    rng.shuffle(rights_text)
    rights = tuple(Option(f"r{i + 1}", word(text)) for i, text in enumerate(rights_text))
    answer = tuple(
        f"{left.id}:r{rights_text.index(right) + 1}"
        for left, (_left, right) in zip(lefts, pairs, strict=True)
    )
    prompt = (
        _("Match each one to what they do.")
        if pupil
        else _("Match each role to its responsibility under the policy.")
    )
    return Question(qid, "matching", prompt, lefts, answer, targets=rights, icon=icon, **common)
