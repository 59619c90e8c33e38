"""The fidelity check every build runs: each output that shows approved text shows all of it,
in source order, with its headings.

The expected sentences come from the model, each with where it is written; an output's text
is reduced to words. Two readings of an output use the one matcher here: its HTML (what the
site serves, what WeasyPrint lays out), and for a PDF the text WeasyPrint actually drew inside
each page's text area (:mod:`policypress.outputs.pdf.drawn`). A template that drops, reorders
or forgets a piece of text (a paragraph after a list, a group heading), or a page that draws it
past its margin or cuts it off, fails the build, naming the first sentence it lost.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from markdown_it.token import Token

from policypress.core.markdown import VARIABLE_TOKEN, plain_text, plain_text_of
from policypress.model import Agreement, Policy, Poster
from policypress.model.translation import Translation

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Sentence:
    """A run of approved text an output keeps together, and where its source says it (the
    clause heading, paragraph or statement; 0 when the source gives no position)."""

    text: str
    line: int = 0
    col: int = 0
    # The file it is written in, when not the output's own source: a bilingual form's
    # English text beside the translation's; in a translated policy, a clause being updated
    # is the text of the approved version's file.
    source: Path | None = None


def policy_expected(policy: Policy) -> list[Sentence]:
    """Every clause's number and title, then each run of its text, in order."""
    found = []
    for clause in policy.all_clauses:
        found.append(Sentence(f"{clause.label} {clause.title}", clause.line, 1))
        for token in clause.body:
            line = token.map[0] + 1 + clause.offset if token.map else clause.line
            found += [Sentence(run, line, 1) for run in _runs([token])]
    return found


def translation_expected(policy: Policy, translation: Translation) -> list[Sentence]:
    """What a translated page or PDF must show, in order (as
    :func:`policypress.outputs.views.translated_clause_views` chooses it): each translated
    clause's number and title then its text, at its place in the translation's file; each
    clause being updated in its approved English, at its place in the policy's file."""
    found = []
    for clause in policy.all_clauses:
        translated = translation.clause(clause.id)
        if translated is not None:
            title, body, line, offset = (
                translated.title,
                translated.body,
                translated.line,
                translated.offset,
            )
            source = translation.source
        elif clause.id in translation.stale:
            title, body, line, offset = clause.title, tuple(clause.body), clause.line, clause.offset
            source = policy.source
        else:
            continue
        found.append(Sentence(f"{clause.label} {title}", line, 1, source))
        for token in body:
            at = token.map[0] + 1 + offset if token.map else line
            found += [Sentence(run, at, 1, source) for run in _runs([token])]
    return found


def _runs(tokens: list[Token]) -> list[str]:
    """The text of ``tokens`` as runs that an output keeps together: outputs may add words
    between runs (a link with no text of its own is filled in with "section 6.1").

    An image's alternative text and its caption are approved words too: the alt text is
    what a screen reader reads in place of the picture (so it counts as the ``alt`` of the
    output's ``<img>``), and the caption is printed under it. Code blocks are refused when a
    text is checked, but an approved snapshot may hold one: its words count too."""
    runs = []
    for token in tokens:
        if token.type in ("code_block", "fence"):
            runs.append(token.content)
        for child in token.children or []:
            if child.type in ("text", "code_inline", VARIABLE_TOKEN):
                runs.append(child.content)  # a variable: its value for this school
            elif child.type == "image":
                runs += [plain_text(child), str(child.attrGet("title") or "")]
    return [run for run in runs if run.strip()]


def form_expected(agreement: Agreement) -> list[Sentence]:
    """The form's intro, then per group: title, intro, statements, text after the list."""
    return [sentence for row in _form_rows(agreement) for sentence in row]


def bilingual_form_expected(first: Agreement, second: Agreement) -> list[Sentence]:
    """A bilingual form's text, in the order its two columns are read: row by row (the
    intro, each group's title, intro, each statement, text after the list), the first
    column's then the second's, each at its place in its own file. ``second`` is the same
    form in the other language (same groups, same number of statements)."""
    found = []
    for row, other in zip(_form_rows(first), _form_rows(second), strict=True):
        found += [dataclasses.replace(s, source=first.source) for s in row]
        found += [dataclasses.replace(s, source=second.source) for s in other]
    return found


def _form_rows(agreement: Agreement) -> list[list[Sentence]]:
    rows = [_located(agreement.intro, agreement.offset, 1)]
    for group in agreement.groups:
        rows.append([Sentence(group.title, group.line, 1)])
        rows.append(_located(group.intro, agreement.offset, group.line))
        # A statement that only quotes a clause shows the clause's words instead.
        rows += [[Sentence(s.text, s.line, 1)] if s.quote is None else [] for s in group.statements]
        rows.append(_located(group.after, agreement.offset, group.line))
    return [[s for s in row if s.text.strip()] for row in rows]


def _located(tokens: list[Token], offset: int, default: int) -> list[Sentence]:
    """The text of ``tokens`` as one sentence per paragraph, at the paragraph's line."""
    found = []
    for token in tokens:
        if token.type == "inline":
            line = token.map[0] + 1 + offset if token.map else default
            found.append(Sentence(plain_text_of([token]), line, 1))
    return found


def poster_expected(poster: Poster, beside: Poster | None = None) -> list[Sentence]:
    """The title, each item at its place in the poster's file, then the people and numbers
    to tell (the file gives no positions for those). ``beside``: the same poster in a second
    language, printed after each of them (a bilingual poster: its title after the title, each
    item after the item)."""
    both = (poster,) if beside is None else (poster, beside)
    return [
        *(Sentence(shown.title) for shown in both),
        *(
            Sentence(shown.items[n].text, item.line, item.col)
            for n, item in enumerate(poster.items)
            for shown in both
        ),
        *map(Sentence, poster.people),
        *(Sentence(contact.name or contact.role) for contact in poster.contacts),
        *(Sentence(f"{name} {number}") for name, number in poster.helplines),
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


class Words:
    """Text reduced to its words for matching: the word characters run together, with where
    each word starts and ends. The text comes in pieces (an HTML parser's data, a PDF's text
    boxes); a piece ends a word, but a match may run on across pieces, so a long word the
    page broke over two lines still matches the word as written."""

    def __init__(self, pieces: Iterable[str]) -> None:
        chars: list[str] = []
        self.starts: set[int] = set()
        self.ends: set[int] = set()
        length = 0
        for piece in pieces:
            for word in _WORD.findall(piece):
                self.starts.add(length)
                chars.append(word)
                length += len(word)
                self.ends.add(length)
        self.text = "".join(chars)

    def find(self, sentence: str, start: int) -> int:
        """Where ``sentence``'s words end, if they follow ``start`` whole; else -1."""
        needle = "".join(_WORD.findall(sentence))
        if not needle:
            return start
        found = self.text.find(needle, start)
        while found >= 0 and not (found in self.starts and found + len(needle) in self.ends):
            found = self.text.find(needle, found + 1)
        return found + len(needle) if found >= 0 else -1


def first_lost(sentences: Sequence[str], words: Words) -> int | None:
    """The index of the first of ``sentences`` whose words do not follow the previous one's
    in ``words``."""
    position = 0
    for index, sentence in enumerate(sentences):
        end = words.find(sentence, position)
        if end < 0:
            return index
        position = end
    return None


def html_words(html: str) -> Words:
    parser = _Text()
    parser.feed(html)
    return Words(parser.parts)
