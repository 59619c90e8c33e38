"""The sample's translations (issue 29): Larkspur Lane's mobile-devices policy in Welsh, in
full, and parent summaries of its online-safety policy in Polish and Urdu. Each is tied to
the newest approved version, checks clean, and is written in its language: no English
sentence of the approved text is left in it untranslated."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pytest
from markdown_it.token import Token

from conftest import REPO
from policypress.build import check
from policypress.core.diagnostics import Diagnostics
from policypress.core.markdown import plain_text_of
from policypress.core.project import Project
from policypress.model import Content, Policy
from policypress.model.translation import Translation

# Each sample translation: the policy it translates, its language and its scope.
SAMPLE = {
    ("mobile-devices", "cy"): "full",
    ("online-safety", "pl"): "summary",
    ("online-safety", "ur"): "summary",
}
# What a parent needs from the online-safety policy: the sections the parent summaries give.
PARENT_SECTIONS = (
    "aims",
    "agreements",
    "role-parents",
    "teaching-approach",
    "images-consent",
    "event-photography",
    "reporting-concerns",
)
POLISH_LETTERS = frozenset("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
# An English sentence this long, found in a translation, was left untranslated; shorter runs
# are names the translations keep on purpose ("Key Stage 2", "Childline").
SENTENCE_WORDS = 5


@pytest.fixture(scope="module")
def checked() -> tuple[Content, Diagnostics]:
    content, diags = check(Project.at(REPO))
    assert content is not None, [str(d) for d in diags.errors]
    return content, diags


@pytest.fixture(scope="module")
def content(checked: tuple[Content, Diagnostics]) -> Content:
    return checked[0]


def _translation(content: Content, slug: str, language: str) -> Translation:
    (found,) = [t for t in content.translations_of(slug) if t.language == language]
    return found


def _english(content: Content, slug: str) -> Policy:
    newest = content.latest_approved(slug)
    assert newest is not None
    return newest


def _units(tokens: Iterable[Token]) -> list[str]:
    """Each paragraph, list item, heading and table cell a reader sees, as plain text."""
    return [plain_text_of([token]) for token in tokens if token.type == "inline" and token.content]


def _translated_units(translation: Translation) -> list[str]:
    units = [text for text in (translation.title, translation.summary) if text]
    for clause in translation.clauses:
        units.append(clause.title)
        units.extend(_units(clause.body))
    return units


def _english_units(policy: Policy, *, titles: bool = True) -> list[str]:
    """The approved text's units; ``titles``: with its title and clause titles (which may be
    names a translation keeps, such as "Education for a Connected World")."""
    units = [policy.title] if titles else []
    units.append(policy.summary or "")
    for clause in policy.all_clauses:
        if titles:
            units.append(clause.title)
        units.extend(_units(clause.body))
    return [unit for unit in units if unit]


def _sentences(units: Sequence[str]) -> set[str]:
    found = set()
    for unit in units:
        for sentence in re.split(r"(?<=[.;:!?])\s+", unit):
            sentence = sentence.strip(" .;:!?").casefold()
            if len(sentence.split()) >= SENTENCE_WORDS:
                found.add(sentence)
    return found


def test_the_sample_checks_clean_with_its_three_translations(
    checked: tuple[Content, Diagnostics],
) -> None:
    content, diags = checked
    assert content.school.translations == ("cy", "pl", "ur")
    assert not diags.errors
    about_translations = [
        str(d) for d in diags.warnings if re.search(r"policy\.\w+\.md|school\.yml", str(d))
    ]
    assert about_translations == []
    assert [t.language for t in content.translations_of("mobile-devices")] == ["cy"]
    assert [t.language for t in content.translations_of("online-safety")] == ["pl", "ur"]
    assert content.translations_of("staff-social-media") == []


@pytest.mark.parametrize(("slug", "language"), sorted(SAMPLE))
def test_each_translation_translates_the_newest_approved_version(
    content: Content, slug: str, language: str
) -> None:
    translation = _translation(content, slug, language)
    english = _english(content, slug)
    assert translation.version == english.current.number
    assert translation.scope == SAMPLE[slug, language]
    assert translation.is_current and translation.stale == ()
    assert translation.shown_title and translation.shown_summary
    assert translation.title != english.title and translation.summary != english.summary
    # the sample's people are invented, and say so
    assert "(example)" in translation.translated_by
    assert translation.checked_by and "(example)" in translation.checked_by
    for clause in translation.clauses:
        original = english.clause(clause.id)
        assert original is not None, f"{clause.id} is not a clause of the English"
        assert clause.title != original.title and clause.body, clause.id


def test_the_welsh_translates_every_clause(content: Content) -> None:
    welsh = _translation(content, "mobile-devices", "cy")
    english = _english(content, "mobile-devices")
    assert [c.id for c in welsh.clauses] == [c.id for c in english.all_clauses]
    assert welsh.untranslated == ()


@pytest.mark.parametrize("language", ["pl", "ur"])
def test_the_parent_summaries_give_what_a_parent_needs(content: Content, language: str) -> None:
    summary = _translation(content, "online-safety", language)
    english = _english(content, "online-safety")
    assert summary.is_summary
    assert tuple(c.id for c in summary.clauses) == PARENT_SECTIONS
    left_out = [c.id for c in english.all_clauses if c.id not in PARENT_SECTIONS]
    assert summary.untranslated == tuple(left_out)
    # the phone numbers a parent may need are given as the English gives them
    text = " ".join(_translated_units(summary))
    assert "0800 1111" in text and "999" in text


@pytest.mark.parametrize(("slug", "language"), sorted(SAMPLE))
def test_no_english_sentence_is_left_untranslated(
    content: Content, slug: str, language: str
) -> None:
    translation = _translation(content, slug, language)
    english = _english(content, slug)
    english_units = {unit.casefold() for unit in _english_units(english)}
    translated = _translated_units(translation)
    copied = [unit for unit in translated if unit.casefold() in english_units and len(unit) > 20]
    assert copied == []
    text = " ".join(translated).casefold()
    left = sorted(
        sentence
        for sentence in _sentences(_english_units(english, titles=False))
        if sentence in text
    )
    assert left == []


def test_the_urdu_is_written_in_arabic_script(content: Content) -> None:
    urdu = _translation(content, "online-safety", "ur")
    for unit in _translated_units(urdu):
        letters = [char for char in unit if char.isalpha()]
        arabic = [char for char in letters if "\u0600" <= char <= "\u06ff"]
        assert len(arabic) > len(letters) / 2, unit
    letters = [char for unit in _translated_units(urdu) for char in unit if char.isalpha()]
    arabic = [char for char in letters if "\u0600" <= char <= "\u06ff"]
    assert len(arabic) / len(letters) > 0.85


def test_the_polish_is_written_with_polish_letters(content: Content) -> None:
    polish = _translation(content, "online-safety", "pl")
    # a short phrase may need none of them ("w klasie 3 i w klasie 5"); a sentence does
    sentences = [
        unit for unit in _translated_units(polish) if len(re.findall(r"[^\W\d_]{2,}", unit)) >= 8
    ]
    assert len(sentences) >= 12
    without = [unit for unit in sentences if not POLISH_LETTERS & set(unit)]
    assert without == []


def _shape(tokens: Iterable[Token]) -> list[str]:
    """A clause's blocks in order (paragraphs, list items, table rows), without their words."""
    return [t.type for t in tokens if t.type in ("paragraph_open", "list_item_open", "tr_open")]


def _hrefs(tokens: Iterable[Token]) -> list[str]:
    return [
        str(child.attrGet("href"))
        for token in tokens
        for child in token.children or []
        if child.type == "link_open"
    ]


@pytest.mark.parametrize(("slug", "language"), sorted(SAMPLE))
def test_each_clause_given_is_translated_whole_with_its_links(
    content: Content, slug: str, language: str
) -> None:
    """A clause a translation gives has every paragraph, list item and table row of the
    English clause, and links where the English links."""
    translation = _translation(content, slug, language)
    english = _english(content, slug)
    for clause in translation.clauses:
        original = english.clause(clause.id)
        assert original is not None
        assert _shape(clause.body) == _shape(original.body), clause.id
        assert _hrefs(clause.body) == _hrefs(original.body), clause.id
