"""The fidelity check every build runs: each output that shows approved text shows all of it,
in source order, with its headings.

The expected sentences come from the model; the output's text is its HTML (what the site
serves, what WeasyPrint lays out) reduced to words. A template that drops, reorders or forgets
a piece of text (a paragraph after a list, a group heading) fails the build, naming the first
sentence it lost. Posters additionally check their layout (nothing falls outside the frame).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markdown_it.token import Token

from policypress.model import Agreement, Policy, Poster
from policypress.model.markup import plain_text_of
from policypress.source.markdown import plain_text
from policypress.source.variables import VARIABLE_TOKEN

_WORD = re.compile(r"\w+")


def policy_sentences(policy: Policy) -> list[str]:
    """Every clause's number and title, then each run of its text, in order."""
    found = []
    for clause in policy.all_clauses:
        found.append(f"{clause.label} {clause.title}")
        found += _runs(clause.body)
    return found


def _runs(tokens: list[Token]) -> list[str]:
    """The text of ``tokens`` as runs that an output keeps together: outputs may add words
    between runs (a link with no text of its own is filled in with "section 6.1").

    An image's alternative text and its caption are approved words too: the alt text is
    what a screen reader reads in place of the picture (so it counts as the ``alt`` of the
    output's ``<img>``), and the caption is printed under it."""
    runs = []
    for token in tokens:
        for child in token.children or []:
            if child.type in ("text", "code_inline", VARIABLE_TOKEN):
                runs.append(child.content)  # a variable: its value for this school
            elif child.type == "image":
                runs += [plain_text(child), str(child.attrGet("title") or "")]
    return [run for run in runs if run.strip()]


def form_sentences(agreement: Agreement) -> list[str]:
    """The form's intro, then per group: title, intro, statements, text after the list."""
    found = [plain_text_of(agreement.intro)]
    for group in agreement.groups:
        found += [group.title, plain_text_of(group.intro)]
        # A statement that only quotes a clause shows the clause's words instead.
        found += [s.text for s in group.statements if s.quote is None]
        found.append(plain_text_of(group.after))
    return [s for s in found if s.strip()]


def poster_sentences(poster: Poster) -> list[str]:
    return [
        poster.title,
        *(item.text for item in poster.items),
        *poster.people,
        *(contact.name or contact.role for contact in poster.contacts),
        *(f"{name} {number}" for name, number in poster.helplines),
    ]


def shorten(text: str, limit: int = 70) -> str:
    """``text`` as quoted in a message: whole if short, else its start and an ellipsis."""
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "…"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "title"):
            self._skip += 1
        elif tag == "img" and not self._skip:
            self.parts.append(" " + (dict(attrs).get("alt") or "") + " ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def first_missing(sentences: list[str], html: str) -> str | None:
    """The first of ``sentences`` whose words do not follow the previous one's in ``html``."""
    parser = _Text()
    parser.feed(html)
    words = _WORD.findall(" ".join(parser.parts))
    position = 0
    for sentence in sentences:
        needle = _WORD.findall(sentence)
        found = _find(words, needle, position)
        if found < 0:
            return sentence
        position = found + len(needle)
    return None


def _find(words: list[str], needle: list[str], start: int) -> int:
    if not needle:
        return start
    first = needle[0]
    for index in range(start, len(words) - len(needle) + 1):
        if words[index] == first and words[index : index + len(needle)] == needle:
            return index
    return -1
