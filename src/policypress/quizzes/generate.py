"""Generate age-tiered quizzes from learning points, deterministically for a given seed.

One question per learning point and tier. Its type follows what the point offers (ordered steps
become an ordering question, role pairs a matching one; otherwise a scenario, true/false,
single choice or — for staff — multiple answer). Distractors are the point's own unsafe actions,
then those of sibling points in the same strand and tier (then, if the tier needs more options
than the strand offers, other strands' at the same tier). Option ids are assigned after
shuffling, so they never give the answer away.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TypedDict

from policypress.content.learning import PUPIL_TIERS
from policypress.content.quizschema import PATHWAY_TITLES, STRAND_TITLES, TIER_TITLES
from policypress.model import Content, LearningPoint, TierContent

DEFAULT_SEED = 1
OPTION_COUNT = {"ks1": 3, "lks2": 3, "uks2": 4, "staff": 4}
QUESTION_LIMIT = {"ks1": 8, "lks2": 10, "uks2": 12, "staff": 15}
PASS_MARK = {"staff": 80}
LETTERS = "abcdefghij"


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
) -> Quiz:
    """A quiz for ``tier`` (and staff ``pathway``); ``points`` narrows which learning points
    it may use (distractors still come from all of them)."""
    rng = random.Random(f"{seed}:{quiz_id}")
    eligible = [
        p
        for p in (content.points if points is None else points)
        if tier in p.tiers and (pathway is None or pathway in p.tiers[tier].pathways)
    ]
    chosen = _select(eligible, QUESTION_LIMIT[tier], rng)
    questions = []
    for number, point in enumerate(chosen, start=1):
        siblings = [
            p.tiers[tier]
            for p in content.points
            if p.strand == point.strand and tier in p.tiers and p.id != point.id
        ]
        others = [
            p.tiers[tier] for p in content.points if p.strand != point.strand and tier in p.tiers
        ]
        questions.append(
            _question(
                f"q{number:02d}", content, point, point.tiers[tier], siblings, others, tier, rng
            )
        )
    stamps = {}
    for point in chosen:
        for ref in point.clauses:
            policy = content.policy(ref.policy)
            if policy is not None:
                stamps[policy.slug] = PolicyStamp(
                    policy.slug,
                    policy.title,
                    policy.version_label,
                    policy.short_digest,
                    policy.is_draft,
                )
    title = title or TIER_TITLES[tier] + (f": {PATHWAY_TITLES[pathway]}" if pathway else "")
    return Quiz(
        quiz_id,
        tier,
        title,
        tuple(questions),
        seed,
        pathway,
        tuple(stamps[s] for s in sorted(stamps)),
    )


def _select(points: list[LearningPoint], limit: int, rng: random.Random) -> list[LearningPoint]:
    """Up to ``limit`` points, covering as many strands as possible, in strand order."""
    by_strand: dict[str, list[LearningPoint]] = {}
    for point in sorted(points, key=lambda p: p.id):
        by_strand.setdefault(point.strand, []).append(point)
    for group in by_strand.values():
        rng.shuffle(group)
    chosen: list[LearningPoint] = []
    while len(chosen) < limit and any(by_strand.values()):
        for strand in STRAND_TITLES:
            if by_strand.get(strand) and len(chosen) < limit:
                chosen.append(by_strand[strand].pop(0))
    order = list(STRAND_TITLES)
    return sorted(chosen, key=lambda p: (order.index(p.strand), p.id))


def _question(
    qid: str,
    content: Content,
    point: LearningPoint,
    item: TierContent,
    siblings: list[TierContent],
    others: list[TierContent],
    tier: str,
    rng: random.Random,
) -> Question:
    pupil = tier != "staff"
    common: _Common = {
        "feedback": item.feedback,
        "point": point.id,
        "strand": point.strand,
        "clauses": tuple(str(r) for r in point.clauses),
        "versions": tuple(_version(content, r.policy) for r in point.clauses),
    }
    if item.steps:
        return _ordering(qid, item, rng, pupil, common)
    if item.pairs:
        return _matching(qid, item, rng, pupil, common)
    kinds = ["single"]
    if item.scenario:
        kinds.append("scenario")
    if item.misconceptions:
        kinds.append("true-false")
    if tier == "staff" and len(item.safe) >= 2:
        kinds.append("multiple")
    kind = rng.choice(kinds)
    distractors = _distractors(item, siblings, others, rng)
    if kind == "true-false":
        statement = rng.choice(item.misconceptions)
        options: tuple[Option, ...] = (
            Option("a", "Yes" if pupil else "True"),
            Option("b", "No" if pupil else "False"),
        )
        prompt = f"Is this true? “{statement}”" if pupil else f"True or false: {statement}"
        return Question(qid, kind, prompt, options, ("b",), **common)
    if kind == "multiple":
        correct = list(item.safe[:2])
        texts = correct + distractors[: OPTION_COUNT[tier] - len(correct)]
        options, ids = _shuffled(texts, correct, rng)
        return Question(
            qid,
            kind,
            "Which of these follow the policy? Select all that apply.",
            options,
            tuple(sorted(ids)),
            **common,
        )
    if kind == "scenario":
        assert item.scenario is not None
        situation, best = item.scenario
        texts = [best, *distractors[: OPTION_COUNT[tier] - 1]]
        options, ids = _shuffled(texts, [best], rng)
        prompt = "What should you do?" if pupil else "What should you do, under the policy?"
        return Question(qid, kind, prompt, options, tuple(ids), situation=situation, **common)
    correct_text = rng.choice(item.safe)
    texts = [correct_text, *distractors[: OPTION_COUNT[tier] - 1]]
    options, ids = _shuffled(texts, [correct_text], rng)
    prompt = "Which is the safe thing to do?" if pupil else "Which of these follows the policy?"
    return Question(qid, kind, prompt, options, tuple(ids), **common)


def _version(content: Content, slug: str) -> str:
    policy = content.policy(slug)
    return f"{slug} {policy.version_label} sha256 {policy.short_digest}" if policy else slug


def _distractors(
    item: TierContent, siblings: list[TierContent], others: list[TierContent], rng: random.Random
) -> list[str]:
    """The point's own unsafe actions, then its strand siblings', then — only when a tier needs
    more options than the strand has — other strands' at the same tier."""
    pools: list[list[str]] = []
    seen = set(item.safe)
    for group in ([item], siblings, others):
        pool = sorted({u for t in group for u in t.unsafe} - seen)
        rng.shuffle(pool)
        seen |= set(pool)
        pools.append(pool)
    return [text for pool in pools for text in pool]


def _shuffled(
    texts: list[str], correct: list[str], rng: random.Random
) -> tuple[tuple[Option, ...], list[str]]:
    texts = list(dict.fromkeys(texts))
    rng.shuffle(texts)
    options = tuple(Option(LETTERS[i], text) for i, text in enumerate(texts))
    return options, [o.id for o in options if o.text in correct]


def _ordering(
    qid: str, item: TierContent, rng: random.Random, pupil: bool, common: _Common
) -> Question:
    steps = list(item.steps)
    shown = steps[:]
    for _ in range(20):  # steps are distinct (checked on load), so this ends at once
        if len(shown) < 2 or shown != steps:
            break
        rng.shuffle(shown)
    options = tuple(Option(LETTERS[i], text) for i, text in enumerate(shown))
    order = tuple(next(o.id for o in options if o.text == step) for step in steps)
    prompt = (
        "Put these steps in the right order."
        if pupil
        else "Put these steps in the order the policy sets out."
    )
    return Question(qid, "ordering", prompt, options, order, **common)


def _matching(
    qid: str, item: TierContent, rng: random.Random, pupil: bool, common: _Common
) -> Question:
    pairs = list(item.pairs)
    rng.shuffle(pairs)
    lefts = tuple(Option(f"l{i + 1}", left) for i, (left, _) in enumerate(pairs))
    rights_text = [right for _, right in pairs]
    rng.shuffle(rights_text)
    rights = tuple(Option(f"r{i + 1}", text) for i, text in enumerate(rights_text))
    answer = tuple(
        f"{left.id}:{next(r.id for r in rights if r.text == right)}"
        for left, (_, right) in zip(lefts, pairs, strict=True)
    )
    prompt = (
        "Match each one to what they do."
        if pupil
        else "Match each role to its responsibility under the policy."
    )
    return Question(qid, "matching", prompt, lefts, answer, targets=rights, **common)
