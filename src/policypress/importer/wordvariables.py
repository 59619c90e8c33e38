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

from policypress.core.messages import N_
from policypress.core.messages import gettext as _
from policypress.importer.wordmarkdown import Piece, SourceClause
from policypress.outputs.markup import parser
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


@dataclass(frozen=True)
class ClauseLost:
    """The variables one clause of the new text has written out."""

    number: str
    id: str
    lost: list[LostVariable]

    def messages(self, where: str) -> list[str]:
        """One whole sentence for each variable written out, after the file's name."""
        said = []
        for v in self.lost:
            words = {
                "file": where,
                "number": self.number,
                "id": self.id,
                "variable": v.written,
                "value": v.value,
                "count": v.count,
            }
            if v.count > 1:
                said.append(
                    _(
                        "%(file)s: clause %(number)s (%(id)s): %(variable)s is written out as "
                        "'%(value)s' (%(count)s times); expected the variable"
                    )
                    % words
                )
            else:
                said.append(
                    _(
                        "%(file)s: clause %(number)s (%(id)s): %(variable)s is written out as "
                        "'%(value)s'; expected the variable"
                    )
                    % words
                )
        return said

    def describe(self, *, kept: bool) -> list[str]:
        return [
            (
                _("  clause %(number)s (%(id)s): kept '%(value)s' as typed instead of %(variable)s")
                if kept
                else _(
                    "  clause %(number)s (%(id)s): put %(variable)s back in place of '%(value)s'"
                )
            )
            % {"number": self.number, "id": self.id, "value": v.value, "variable": v.written}
            for v in self.lost
        ]


LOST_HINT = N_(
    "%(file)s: run again with --restore-variables to put each variable back in place of its "
    "value (so the text follows the school's details when they change), or with --keep-values "
    "to keep the words as typed"
)


def written_out(
    clauses: list[tuple[str, str, SourceClause, Piece]],
    values: Mapping[str, str],
    *,
    put_back: bool,
) -> list[ClauseLost]:
    """For each clause of the new text that was one of the exported text's (its number, id,
    lines as exported, and the rendered piece), the variables it has written out; with
    ``put_back``, the pieces get them back."""
    found: list[ClauseLost] = []
    for number, clause_id, written, piece in clauses:
        assert piece.heading is not None and piece.body is not None  # rendered
        was, now = [*written.heading, *written.body], [*piece.heading, *piece.body]
        lost = lost_variables(was, now, values) if was != now else []
        if not lost:
            continue
        found.append(ClauseLost(number, clause_id, lost))
        if put_back:
            restored = restore(was, now, lost)
            piece.heading = restored[: len(piece.heading)]
            piece.body = restored[len(piece.heading) :]
    return found


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
