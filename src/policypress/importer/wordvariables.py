"""Variables lost in a Word edit: ``{{ school.name }}`` typed over with the name itself.

The export shows each variable as the school's value, so a clause edited in Word comes back
with the value written out where the variable was: the text would no longer follow the
school's details (a new headteacher, a renamed school). A clause has lost a variable when its
new Markdown holds fewer of that variable than the exported text did and more copies of its
value; restoring writes the variable back in place of those copies, in the lines written anew
only (kept lines are the exported text's own).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from policypress.model.markup import parser
from policypress.source.markdown import parse_body

# A value this short ("Head", "HR") could be any word in the text; only longer ones are
# looked for.
SHORTEST_VALUE = 4


@dataclass(frozen=True)
class LostVariable:
    value: str  # what the Word file shows instead
    # the variable as the exported text wrote it where it went, once for each copy of the
    # value, in order: "{{ school.name }}", "{{school.name}}"
    forms: tuple[str, ...]

    @property
    def written(self) -> str:
        return self.forms[0]

    @property
    def count(self) -> int:
        return len(self.forms)


def lost_variables(old: list[str], new: list[str], values: Mapping[str, str]) -> list[LostVariable]:
    """What ``new`` (a clause's lines) has written out of the variables ``old`` held."""
    old_text, new_text = "\n".join(old), "\n".join(new)
    before = _variables(old_text, values)
    after = _variables(new_text, values)
    found: list[LostVariable] = []
    for key in dict.fromkeys(k for k, _written in before):  # in order of appearance
        value = values.get(key, "")
        if len(value.strip()) < SHORTEST_VALUE:
            continue
        gone = Counter(w for k, w in before if k == key) - Counter(w for k, w in after if k == key)
        extra = len(_copies(value).findall(new_text)) - len(_copies(value).findall(old_text))
        forms: list[str] = []
        for k, written in before:  # the copies that went, in order, as many as came instead
            if k == key and gone[written] > 0 and len(forms) < extra:
                gone[written] -= 1
                forms.append(written)
        if forms:
            found.append(LostVariable(value, tuple(forms)))
    return found


def restore(old: list[str], new: list[str], lost: list[LostVariable]) -> list[str]:
    """``new`` with each lost variable written back in place of its value, first copies
    first, in lines not kept from ``old``."""
    kept = set(old)
    lines = list(new)
    for variable in lost:
        put_back = _PutBack(list(variable.forms))
        for index, line in enumerate(lines):
            if line not in kept:
                lines[index] = _copies(variable.value).sub(put_back, line)
    return lines


@dataclass
class _PutBack:
    """Each copy of a value replaced by the next form still to write back, then left be."""

    forms: list[str]

    def __call__(self, match: re.Match[str]) -> str:
        return self.forms.pop(0) if self.forms else match.group(0)


def _variables(text: str, values: Mapping[str, str]) -> list[tuple[str, str]]:
    """Each variable of ``text`` (never one inside code), as its key and as written."""
    return [(v.key, v.written) for v in parse_body(parser(), text, values).variables]


def _copies(value: str) -> re.Pattern[str]:
    """The value as a whole: not the start of a longer word ("Vale" in "Valerie")."""
    before = r"(?<!\w)" if value[:1].isalnum() else ""
    after = r"(?!\w)" if value[-1:].isalnum() else ""
    return re.compile(f"{before}{re.escape(value)}{after}")
