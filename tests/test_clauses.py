"""Clause-tree parsing, markdown-it-py style: each fixtures/clauses/NAME.md sits beside
NAME.outline, the expected clause numbers, ids, titles, lines and body HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES
from policypress.content.policy import build_clauses
from policypress.core.diagnostics import Diagnostics
from policypress.model import Clause
from policypress.outputs.markup import render_clause_body
from policypress.source.markdown import create_parser, parse_body

CASES = sorted((FIXTURES / "clauses").glob("*.md"))


def _outline(clauses: tuple[Clause, ...]) -> list[str]:
    lines = []
    for clause in (c for top in clauses for c in top.walk()):
        html = " ".join(render_clause_body(clause, "p", lambda r: f"#{r.clause}").split())
        lines.append(
            f'{clause.label} {clause.id} "{clause.title}" line {clause.line} '
            f"body: {html or '(none)'}"
        )
    return lines


@pytest.mark.parametrize("source", CASES, ids=[c.stem for c in CASES])
def test_clause_tree(source: Path) -> None:
    diags = Diagnostics(source.parent)
    parsed = parse_body(create_parser(), source.read_text())
    clauses = build_clauses(parsed, source, 1, diags)
    assert not diags.errors
    expected = source.with_suffix(".outline").read_text().splitlines()
    assert _outline(clauses) == expected


def test_heading_without_id_is_a_warning_with_a_suggestion() -> None:
    source = FIXTURES / "clauses" / "implicit-ids.md"
    diags = Diagnostics(source.parent)
    build_clauses(parse_body(create_parser(), source.read_text()), source, 1, diags)
    assert [str(w) for w in diags.warnings] == [
        "implicit-ids.md:1:1: warning: heading 'Who this policy is for' has no explicit id; "
        "add '{#who-this-policy-is-for}' so links to it stay stable if the title changes"
    ]
