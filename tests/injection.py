"""Markup in every free-text field of a project: the content an attacker (or a careless
copy from a web page) could put there, for the tests that show none of it reaches a page
as markup."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

# An element, an attribute break-out and a closing tag, each carrying a marker the tests
# look for in every built file and in the browser.
PAYLOAD = (
    ' <img src=x onerror="window.__ppXss=1" data-pp-xss>'
    ' "\'><svg onload="window.__ppXss=2" data-pp-xss></title><script>window.__ppXss=3</script>'
)
# For values with a length limit (an approval's body and minute reference).
SHORT_PAYLOAD = '<img src=x onerror="window.__ppXss=5" data-pp-xss>'
# Where space or reading level is tight, the first word becomes one element named as a marker.
COMPACT = "<ppxss>"
MARKERS = ("data-pp-xss", "ppxss")
LEARNING = frozenset(
    {"point", "safe", "unsafe", "misconceptions", "situation", "answer", "feedback"}
)
FREE_TEXT = frozenset(
    {
        "name",
        "role",
        "title",
        "summary",
        "label",
        "address",
    }
)


def _inject(value: Any, keys: frozenset[str], compact: bool, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _inject(v, keys, compact, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_inject(v, keys, compact, key) for v in value]
    if isinstance(value, str) and key in keys:
        return COMPACT + value.split(" ", 1)[-1] if compact else value + PAYLOAD
    return value


def _inject_yaml(path: Path, keys: frozenset[str] = FREE_TEXT, *, compact: bool = False) -> None:
    data = _inject(yaml.safe_load(path.read_text(encoding="utf-8")), keys, compact)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


# Variables show values from school.yml, which carry the payload too (names, roles, the address).
VARIABLES = (
    "{{ school.name }}, {{ contact.dsl.name }} ({{ contact.dsl.role }}), {{ school.address }}"
)


def _inject_front_matter(path: Path) -> None:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    data = _inject(yaml.safe_load(front), FREE_TEXT, False)
    front = yaml.safe_dump(data, allow_unicode=True)
    text = f"---\n{front}---\n{body}\n{PAYLOAD.strip()} {VARIABLES}\n"
    path.write_text(text, encoding="utf-8")


def inject_markup(project: Path) -> list[str]:
    """Add the payload to every free-text field; returns the policies whose working text
    changed (they need approving before a public build shows them)."""
    content = project / "content"
    _inject_yaml(content / "school.yml")
    # Posters must still fit their page and learning points their reading budget. The marker
    # lengthens each rule, and a full poster has no room to spare (it fails rather than cut
    # text, and the drawn check finds text pushed out of the frame): posters keep five rules,
    # enough to carry the marker, and the contacts poster one contact and nothing else (the
    # contact's name carries the whole payload, and two lines of it fill the frame).
    limits = {"rules": 5, "contacts": 1, "people": 0, "helplines": 0}
    for path in sorted((content / "posters").glob("*.yml")):
        poster = yaml.safe_load(path.read_text(encoding="utf-8"))
        if any(len(poster.get(key, ())) > most for key, most in limits.items()):
            for key, most in limits.items():
                if key in poster:
                    poster[key] = poster[key][:most]
            path.write_text(yaml.safe_dump(poster, allow_unicode=True), encoding="utf-8")
        _inject_yaml(path, compact=True)
    for path in sorted((project / "quizzes").glob("*.yml")):
        _inject_yaml(path, LEARNING, compact=True)
    for path in sorted((content / "agreements").glob("*.md")):
        _inject_front_matter(path)
    slugs = []
    for path in sorted((content / "policies").glob("*/policy.md")):
        _inject_front_matter(path)
        slugs.append(path.parent.name)
    return slugs


class _MarkupFinder(HTMLParser):
    """Collects every element or attribute the payload would create if it were markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag in MARKERS or names & set(MARKERS) or "onerror" in names or "onload" in names:
            self.found.append(f"<{tag} {' '.join(sorted(names))}>")
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "__ppXss" in data:
            self.found.append(f"<script>{data.strip()[:60]}")


def markup_in(text: str) -> list[str]:
    """The injected elements and attributes that ``text``, read as HTML, contains."""
    finder = _MarkupFinder()
    finder.feed(text)
    finder.close()
    return finder.found


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def injected_markup(root: Path) -> dict[str, list[str]]:
    """Every built file under ``root`` in which the payload became markup: HTML and SVG read
    as HTML; JSON (the search index, whose strings the theme shows as HTML) string by string."""
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.suffix in (".html", ".svg", ".xml"):
            hits = markup_in(path.read_text(encoding="utf-8"))
        elif path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            hits = [hit for text in _strings(data) for hit in markup_in(text)]
        else:
            continue
        if hits:
            found[path.relative_to(root).as_posix()] = hits
    return found
