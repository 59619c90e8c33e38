"""Plain text made safe as Markdown: what markdown-it-py (our parser) would otherwise read as
formatting, a heading, a list or a code block is escaped in a way that does not show."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_<>])")
# A paragraph starting like this would be a heading, a list, a quote, a fence or a rule.
_LINE_START = re.compile(r"^(?:#{1,6}(?:\s|$)|[-+*](?:\s|$)|>|~~~|(?:[-_*]\s*){3,}$)")
_NUMBER_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def escape(text: str) -> str:
    """Plain text made safe as Markdown inline text (brackets stay: a placeholder such as
    '[name of school]' is not a link, and must read exactly as it did)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def escape_line_start(text: str) -> str:
    """A paragraph that would start a heading, list or quote is escaped so that it reads as
    typed: '2. The school …' becomes '2\\. The school …' (a backslash before the digit would
    show; before the full stop it does not)."""
    number = _NUMBER_START.match(text)
    if number:
        return f"{number.group(1)}\\{number.group(2)}{text[number.end() :]}"
    return "\\" + text if _LINE_START.match(text) else text
