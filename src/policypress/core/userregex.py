"""Regular expressions a user writes (``placeholder_pattern`` in school.yml), run in linear time.

Python's ``re`` backtracks: a pattern such as ``(x+x+)+y`` takes exponential time on a line of
x's, and one line of a policy would hang ``check``. RE2 (``google-re2``) matches in time linear
in the text for every pattern it accepts; it refuses what needs backtracking (backreferences,
lookaround), and those patterns are refused here with its reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, cast

import re2

from policypress.core.messages import gettext as _

# Far more than a placeholder pattern needs; a pattern whose automaton needs more is refused.
_MAX_MEMORY = 8 * 1024 * 1024
MAX_PATTERN_LENGTH = 1000


class Match(Protocol):
    def start(self) -> int: ...
    def group(self, index: int = 0) -> str: ...


class Pattern(Protocol):
    def finditer(self, text: str) -> Iterator[Match]: ...


class PatternError(ValueError):
    """The pattern is not valid, or needs backtracking; the message says why, in words."""


def compile_pattern(pattern: str) -> Pattern:
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternError(
            _("the pattern is %(count)s characters long; expected at most %(max_pattern_length)s")
            % {"count": f"{len(pattern):,}", "max_pattern_length": f"{MAX_PATTERN_LENGTH:,}"}
        )
    options = re2.Options()
    options.log_errors = False  # the error is reported once, at its place in school.yml
    options.max_mem = _MAX_MEMORY
    try:
        return cast(Pattern, re2.compile(pattern, options=options))
    except re2.error as exc:
        # re2's own words for what is wrong: a third party's message, not ours to catalogue
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(
            _(
                "'%(pattern)s' is not a regular expression policypress can use: "
                "%(reason)s (backreferences and lookaround are not supported)"
            )
            % {"pattern": pattern, "reason": reason}
        ) from None
