"""What a translated or bilingual form shows, and the links to them from the form's page.

A translated form is the English form in the translation's words (``TranslatedAgreement.
applied_to``): the same template, fields and stamps, written in its language. A bilingual
form (``school.bilingual``) shows both languages side by side, group by group and statement
by statement, with one set of fields labelled in both; Welsh is the first column whenever one
of the two is Welsh (the Welsh Language Standards: Welsh is not treated less favourably),
otherwise the main language is.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from policypress.core.messages import cldr_locale, use_language
from policypress.core.messages import gettext as _
from policypress.model import Agreement, Content, TranslatedAgreement
from policypress.outputs import urls
from policypress.outputs.markup import HrefForClause
from policypress.outputs.urls import relative_url
from policypress.outputs.views import GroupView, StatementView, agreement_fields

WELSH = "cy"


def language_name(code: str) -> str:
    """A language's name in itself, as its readers look for it: "Cymraeg", "polski"."""
    # The language alone ("English", not "English (United Kingdom)" for en-GB).
    locale = cldr_locale(code.split("-")[0])
    name = locale.get_display_name(locale) or code
    return name[:1].upper() + name[1:]


def is_welsh(code: str) -> bool:
    return code.split("-")[0].lower() == WELSH


def welsh_first(main: str, other: str) -> bool:
    """Whether a bilingual form's first column is ``other`` (the translation): when it is
    Welsh and the main language is not."""
    return is_welsh(other) and not is_welsh(main)


def bilingual_languages(content: Content, translation: TranslatedAgreement) -> tuple[str, str]:
    """The two languages of a bilingual form, first column first."""
    main = content.school.language
    other = translation.language
    return (other, main) if welsh_first(main, other) else (main, other)


def published_translations(content: Content, agreement: Agreement) -> list[TranslatedAgreement]:
    """The translations of ``agreement`` a build writes a form for."""
    return content.translations_of_agreement(agreement.slug)


def is_bilingual(content: Content, translation: TranslatedAgreement) -> bool:
    bilingual = content.school.bilingual
    return bilingual is not None and bilingual.lower() == translation.language.lower()


@dataclass(frozen=True)
class FormColumn:
    """One language of a bilingual form: its words, rendered in that language."""

    lang: str
    agreement: Agreement
    intro_html: str
    groups: list[GroupView]
    words: dict[str, str]  # the interface sentences the form prints in both languages


@dataclass(frozen=True)
class GroupPair:
    id: str
    groups: tuple[GroupView, GroupView]
    statements: list[tuple[StatementView, StatementView]]


def form_words(school_name: str) -> dict[str, str]:
    """The form's own sentences in the language being written now (a bilingual form prints
    them in both; the template writes the first language's itself)."""
    return {
        # Markup: the school's name is escaped as it is put in, the sentence's own tags kept.
        "example": Markup(_("<strong>Example content.</strong> %(school)s is a made-up school."))
        % {"school": school_name},
        "draft": _("DRAFT — NOT APPROVED"),
        "choices": _("Your choices"),
        "answer": _(
            'Answer yes or no to each, so that "no" is never mistaken for a box left empty. '
            "You can change your mind at any time by telling the school office."
        ),
        "yes": _("Yes"),
        "no": _("No"),
        "generated": _(
            "This form was generated from the versions below. If a policy has changed since, "
            "ask the school for the current form."
        ),
    }


def bilingual_fields(
    content: Content,
    english: Agreement,
    translation: TranslatedAgreement,
    href: HrefForClause,
    project_translations: Path | None,
) -> dict[str, Any]:
    """What the bilingual form's template shows: the first language's fields as a form's
    (its signing lines labelled in both languages), and both columns."""
    first, second = bilingual_languages(content, translation)
    translated = translation.applied_to(english)
    forms = {content.school.language: english, translation.language: translated}
    columns = []
    for code in (first, second):
        with use_language(code, project_translations):
            fields = agreement_fields(content, forms[code], href)
            columns.append(
                FormColumn(
                    code,
                    forms[code],
                    fields["intro_html"],
                    fields["groups"],
                    form_words(content.school.name),
                )
            )
    # One set of fields, labelled in both languages: the first's fields, stamps and consents.
    both = dataclasses.replace(
        forms[first],
        sign=tuple(
            dataclasses.replace(line, label=f"{line.label} / {other.label}")
            for line, other in zip(forms[first].sign, forms[second].sign, strict=True)
        ),
        consents=tuple(
            dataclasses.replace(consent, text=f"{consent.text} / {other.text}")
            for consent, other in zip(forms[first].consents, forms[second].consents, strict=True)
        ),
    )
    with use_language(first, project_translations):
        fields = agreement_fields(content, both, href)
    fields["columns"] = columns
    fields["group_pairs"] = [
        GroupPair(
            a.id,
            (a, b),
            list(zip(a.statements, b.statements, strict=True)),
        )
        for a, b in zip(columns[0].groups, columns[1].groups, strict=True)
    ]
    fields["lang"] = first
    return fields


def translated_form_links(
    content: Content, agreement: Agreement, here: str
) -> list[dict[str, str]]:
    """The form's other PDFs, for its page: each translation's own, then the bilingual one,
    each named in its language ("Cymraeg")."""
    links = []
    for translation in published_translations(content, agreement):
        code = translation.language
        links.append(
            {
                "lang": code,
                "name": language_name(code),
                "kind": "translated",
                "href": relative_url(urls.translated_agreement_pdf(agreement, code), here),
            }
        )
        if is_bilingual(content, translation):
            first, second = bilingual_languages(content, translation)
            links.append(
                {
                    "lang": code,
                    "name": f"{language_name(first)} / {language_name(second)}",
                    "kind": "bilingual",
                    "href": relative_url(urls.bilingual_agreement_pdf(agreement, code), here),
                }
            )
    return links
