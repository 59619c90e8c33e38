"""What a group's schools share is read and generated once per process: what one school's
reading fills in or trims must never show in another's."""

from __future__ import annotations

from pathlib import Path

from markdown_it.token import Token

from conftest import REPO
from policypress.build import check
from policypress.core.diagnostics import Diagnostics
from policypress.core.markdown import VARIABLE_TOKEN
from policypress.core.project import Project
from policypress.quizzes import curriculum_for
from policypress.quizzes.generate import generate_all
from policypress.source.markdown import create_parser, parse_body, parse_tokens
from policypress.source.sourceyaml import parse_yaml

TEXT = "## Who to tell {#who}\n\nTell {{ school.name }} (![logo of {{ school.name }}](a.png)).\n"


def _read(values: dict[str, str]) -> Token:
    parsed = parse_body(create_parser(), TEXT, values)
    return next(t for t in parsed.clauses[0].body if t.type == "inline")


def _shown(inline: Token) -> list[str]:
    found = []
    for child in inline.children or []:
        found += [c.content for c in (child.children or [child]) if c.type == VARIABLE_TOKEN]
    return found


def test_each_reader_sees_its_own_values() -> None:
    first = _read({"school.name": "Ashby Road"})
    second = _read({"school.name": "Millpond"})
    unresolved = _read({})
    assert _shown(first) == ["Ashby Road", "Ashby Road"]  # the sentence and the image's alt
    assert _shown(second) == ["Millpond", "Millpond"]
    assert _shown(unresolved) == ["{{ school.name }}", "{{ school.name }}"]


def test_the_text_is_parsed_once() -> None:
    md = create_parser()
    first, second = parse_tokens(md, TEXT), parse_tokens(md, TEXT)
    shared = [a is b for a, b in zip(first, second, strict=True)]
    assert any(shared)  # block tokens are shared
    holders = [a for a, same in zip(first, shared, strict=True) if not same]
    assert [t.type for t in holders] == ["inline"]  # only the paragraph with variables is not


def test_a_yaml_document_read_twice_is_two_copies(tmp_path: Path) -> None:
    diags = Diagnostics(root=tmp_path)
    first = parse_yaml("title: Online safety\nlist: [a, b]\n", tmp_path / "x.yml", diags)
    assert first is not None
    first.data["list"].append("changed by the first reader")
    second = parse_yaml("title: Online safety\nlist: [a, b]\n", tmp_path / "x.yml", diags)
    assert second is not None and second.data == {"title": "Online safety", "list": ["a", "b"]}


def test_a_yaml_document_with_problems_is_reported_every_time(tmp_path: Path) -> None:
    for _ in range(2):
        diags = Diagnostics(root=tmp_path)
        assert parse_yaml("a: 1\na: 2\n", tmp_path / "x.yml", diags) is None
        assert [d.message for d in diags.errors] == [
            "duplicate key 'a' (first given at line 1); expected each key once"
        ]


def test_each_school_gets_the_shared_quizzes_with_its_own_versions() -> None:
    """The curriculum is generated once for the group: each school's copy must be exactly
    what generating for that school alone gives, its own policy versions included."""
    project = Project.at(REPO / "examples" / "trust")
    contents = []
    for school in ("ashby-road-infant", "millpond-primary"):
        content, diags = check(project.for_school(school))
        assert content is not None, diags.errors
        contents.append(content)
    shared = [curriculum_for(content) for content in contents]
    assert all(shared), "the example trust has learning points, so every school has quizzes"
    for content, quizzes in zip(contents, shared, strict=True):
        assert quizzes == generate_all(content)
    versions = [
        {q.id: q.versions for quiz in quizzes for q in quiz.questions} for quizzes in shared
    ]
    assert versions[0] != versions[1]  # the schools adopted different texts
