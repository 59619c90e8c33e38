"""A project with one very long policy, for the linear-cost test and scripts/bench.py."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPO = FIXTURES.parent.parent
SLUG = "many-clauses"


def policy_text(clauses: int) -> str:
    """A working text with ``clauses`` clauses: every tenth a section, the rest subsections,
    each with an id, a paragraph and (every fifth) a link to an earlier clause."""
    lines = [
        "---",
        "title: Many Clauses Policy",
        "summary: A long policy used to measure how the build scales with its length.",
        "owner: dsl",
        "audiences: [parents, staff]",
        "review_cycle_months: 12",
        "---",
        "",
    ]
    for index in range(clauses):
        level = "##" if index % 10 == 0 else "###"
        lines.append(f"{level} Clause number {_words(index)} {{#clause-{index}}}")
        lines.append("")
        link = f" See [the first clause](#clause-{index // 2})." if index % 5 == 4 else ""
        lines.append(
            f"Staff and pupils follow rule {_words(index)} when they use school devices "
            f"and keep their passwords private.{link}"
        )
        lines.append("")
    return "\n".join(lines)


def _words(index: int) -> str:
    """The number in letters, so headings do not look hand-numbered to the pasted-text check."""
    digits = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    return " ".join(digits[int(d)] for d in str(index))


def write_project(root: Path, clauses: int) -> Path:
    """The minimal project plus a draft policy of ``clauses`` clauses; returns ``root``."""
    shutil.copytree(FIXTURES / "minimal" / "content", root / "content")
    shutil.copytree(FIXTURES / "minimal" / "quizzes", root / "quizzes")
    folder = root / "content" / "policies" / SLUG
    folder.mkdir(parents=True)
    (folder / "policy.md").write_text(policy_text(clauses), encoding="utf-8")
    (folder / "history.yml").write_text("versions: []\n", encoding="utf-8")
    return root
