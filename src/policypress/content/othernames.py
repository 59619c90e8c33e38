"""In a group of schools: school names written into a policy's text instead of the variable.

A trust's model is every school's text, so a school's name in it ("Millpond Primary School",
or the name of the school the model was first written for) would appear on every school's
page: ``check`` warns about any school's name in a model's working text, and ``adopt``
refuses a model version that names another school of the group. A school's own local text
may name a sister school on purpose (an infant and a junior school sharing a site), so there
``check`` warns only about the schools of the group. Which names are school names, and whose,
is decided once, in core/schoolnames.py.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from policypress.core.diagnostics import Diagnostics, Position
from policypress.core.markdown import VARIABLE
from policypress.core.messages import gettext as _
from policypress.core.project import SCHOOLS_DIR
from policypress.core.schoolnames import (
    MAX_SCANNED,
    FoundName,
    SchoolNameRule,
    may_name_a_school,
)
from policypress.source.frontmatter import split_front_matter
from policypress.source.sourceyaml import parse_yaml, read_text

# Text that is not prose: inline code, a link's address (its text is prose), a heading's id.
_CODE = re.compile(r"`[^`\n]*`")
# A link's address opens with "](" and closes with ")" before any space; found in one pass
# over these marks, so that a line of many unclosed "](" is still read in linear time.
_LINK_MARKS = re.compile(r"\]\(|\)|\s")
_FENCE = ("```", "~~~")
_SHOWN_KEYS = ("title", "summary")
MAX_LISTED = 100  # school names listed from one file; more than this, and the rest is noise


@dataclass(frozen=True)
class NameAt:
    line: int
    col: int
    found: FoundName


def names_in_markdown(
    text: str, own: str = "", group: Sequence[str] = (), *, other_schools_only: bool = False
) -> list[NameAt]:
    """The school names in a Markdown file (its title, summary and body outside code), with
    their line and column in the file (see SchoolNameRule.classify); with
    ``other_schools_only``, only those naming another school of ``group``. At most
    MAX_LISTED: a file naming more is read no further."""
    split = split_front_matter(text)
    body, first = (split[1], split[2]) if split is not None else (text, 1)
    front = split[0] if split else ""
    shown = _shown_values(front)
    # the opening '---' and the front matter: where a name in a shown value is
    front_lines = text.split("\n")[: front.count("\n") + 2]
    prose = _prose_lines(body, first)
    rule = SchoolNameRule(own, group)
    found = (
        at
        for at in itertools.chain(
            (
                _placed(name, at, front_lines)
                for value, at in shown
                for name in rule.classify(" ".join(value.split()))
            ),
            (
                NameAt(number, name.col, name)
                for number, line in prose
                if may_name_a_school(line)  # the others name no school: not read
                for name in rule.classify(line)
            ),
        )
        if not other_schools_only or (at.found.known is not None and not at.found.own)
    )
    return list(itertools.islice(found, MAX_LISTED))


def _shown_values(front: str) -> list[tuple[str, Position]]:
    """The front matter's title and summary, which every reader sees (its ``source`` names
    the template's author on purpose), with where each value starts."""
    doc = (
        parse_yaml(front, Path("policy.md"), Diagnostics(Path()), line_offset=1) if front else None
    )
    if doc is None or not isinstance(doc.data, dict):
        return []  # the file's own check reports a front matter it cannot read
    values = [(doc.data.get(key), doc.position((key,))) for key in _SHOWN_KEYS]
    return [(value, at) for value, at in values if isinstance(value, str)]


def _placed(name: FoundName, at: Position, lines: list[str]) -> NameAt:
    """A name found in a front matter value, where the file has it: a folded summary runs
    over several lines, and the name is on the first that has it."""
    line = next((n for n in range(at.line, len(lines) + 1) if name.text in lines[n - 1]), at.line)
    col = lines[line - 1].find(name.text) + 1 or at.col
    return NameAt(line, col, name)


def _prose_lines(body: str, first: int) -> list[tuple[int, str]]:
    """Each line outside fenced code, as much of it as a name is looked for in (columns
    kept), with code, link addresses, heading ids and variables blanked out."""
    fenced, lines = False, []
    for number, line in enumerate(body.split("\n"), start=first):
        if line.lstrip().startswith(_FENCE):
            fenced = not fenced
        elif not fenced:
            lines.append((number, _prose(line[:MAX_SCANNED])))
    return lines


def _prose(line: str) -> str:
    """``line`` with inline code, link addresses, a heading id and variables blanked out."""
    spans = [m.span() for pattern in (_CODE, VARIABLE) for m in pattern.finditer(line)]
    opened = None
    for mark in _LINK_MARKS.finditer(line):
        if mark.group(0) == "](":
            opened = mark.start() + 1
        elif mark.group(0) == ")" and opened is not None:
            spans.append((opened, mark.end()))
            opened = None
        else:
            opened = None  # a space: not a link's address
    end = len(line.rstrip())
    start = line.rfind("{#", 0, end)
    if (
        line[:end].endswith("}")
        and start >= 0
        and not set(line[start + 2 : end - 1]) & set("{} \t")
    ):
        spans.append((start, end))  # a heading's {#id}
    chars = list(line)
    for begin, stop in spans:
        chars[begin:stop] = " " * (stop - begin)
    return "".join(chars)


def group_names(root: Path, school_ids: Iterable[str]) -> dict[str, str]:
    """Each school's name by its id, as its school.yml gives it (a school.yml that cannot be
    read is left out here: reading it reports why). Read once per state of the files, so
    that checking a hundred schools does not read every school.yml a hundred times."""
    paths = [root / SCHOOLS_DIR / school / "school.yml" for school in school_ids]
    stats = [(path, path.stat()) for path in paths if path.is_file()]
    return dict(_read_names(root, tuple((p, s.st_mtime_ns, s.st_size) for p, s in stats)))


@functools.lru_cache(maxsize=8)
def _read_names(
    root: Path, stamps: tuple[tuple[Path, int, int], ...]
) -> tuple[tuple[str, str], ...]:
    names = []
    for path, _size, _mtime in stamps:
        diags = Diagnostics(root)  # its problems are reported where the school is read
        text = read_text(path, diags)
        doc = parse_yaml(text, path, diags) if text is not None else None
        data = doc.data if doc is not None else None
        name = data.get("name") if isinstance(data, dict) else None
        if isinstance(name, str) and name.strip():
            names.append((path.parent.name, name.strip()))
    return tuple(names)


def warn_model_names(path: Path, text: str, group: Sequence[str], diags: Diagnostics) -> None:
    """Warn about every school's name in a model's working text."""
    found = names_in_markdown(text, "", group)
    _say_if_cut(path, found, diags)
    for at in found:
        name = at.found
        if name.known is not None:
            message = _(
                "the model names %(name)s, a school of the group: every school's page would "
                "show it; write {{ school.name }} so that each shows its own name"
            ) % {"name": shown(name)}
        else:
            message = _(
                "'%(name)s' looks like a school's name, perhaps the school the model was "
                "first written for: every school's page would show it; write "
                "{{ school.name }} if it means the school reading the policy"
            ) % {"name": name.text}
        diags.warning(path, Position(at.line, at.col), message)


def warn_local_names(
    path: Path, text: str, own: str, group: Sequence[str], diags: Diagnostics
) -> None:
    """Warn about the names of other schools of the group in a school's own (local) text."""
    found = other_group_schools(text, own, group)
    _say_if_cut(path, found, diags)
    for at in found:
        diags.warning(
            path,
            Position(at.line, at.col),
            _(
                "%(found)s is another school of the group; write {{ school.name }} if it "
                "means %(own)s, or leave it if the policy means to name the other school"
            )
            % {"found": shown(at.found), "own": own},
        )


def _say_if_cut(path: Path, found: list[NameAt], diags: Diagnostics) -> None:
    if len(found) == MAX_LISTED:
        last = found[-1]
        diags.warning(
            path,
            Position(last.line, last.col),
            _(
                "only the first %(max_listed)s school names are listed; the file was "
                "read no further for them"
            )
            % {"max_listed": MAX_LISTED},
        )


def shown(found: FoundName) -> str:
    """A name as the text has it, and the school of the group it names if spelt otherwise."""
    known = found.known
    return f"'{found.text}'" + (f" ({known})" if known and known != found.text else "")


def other_group_schools(text: str, own: str, group: Sequence[str]) -> list[NameAt]:
    """The places in ``text`` that name a school of ``group`` other than ``own``."""
    return names_in_markdown(text, own, group, other_schools_only=True)
