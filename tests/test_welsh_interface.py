"""The interface in Welsh: a Welsh-medium copy of the sample writes no English of its own.

- Every language's catalogue keeps each message's placeholders and markup exactly (a
  translation that dropped ``%(date)s`` or added a tag would break a page or a format), and
  uses the plural rule Babel gives for the language.
- Welsh is complete: ``missing("cy")`` is empty and ``check`` on a Welsh copy names no message.
- A copy of the sample with ``language: cy`` builds; the visible text of every page (with the
  labels screen readers read), the quiz pages' messages and the text of every PDF (policies,
  forms, posters, worksheets, answer keys, review packs) holds no English interface string.

How interface text is told from the school's content, which stays English: an English
interface string is a message of the catalogue (messages.pot). A run of three or more words
between a message's placeholders and tags is a *phrase*; a whole message of one or two words
with no placeholder is a *label*. A page leaks when a text node that is not the school's own
text holds a phrase, or is exactly a label; a PDF leaks when its text holds a phrase or a line
is exactly a label. The school's own text is every line of the sample's content/ and quizzes/
files: a phrase or label that also occurs there cannot be told from content and is not
counted, nor is one that the Welsh catalogue itself keeps (a product name, a code such as
'policypress approve', a word that is the same in both languages such as "Staff").
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from playwright.sync_api import Browser, ViewportSize
from pypdf import PdfReader

from conftest import AXE_TAGS, EPOCH, REPO, make_project, serve
from policypress.core import messages
from test_vnu import vnu_errors

LOCALE = REPO / "src" / "policypress" / "locale"
TRANSLATED = sorted(
    path
    for path in LOCALE.glob("*/LC_MESSAGES/messages.po")
    if path.parent.parent.name != messages.SOURCE_LANGUAGE
)
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%%|\{\{[^}]*\}\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
# What separates a message's literal runs: its placeholders, its tags, and Markdown ids.
NOT_LITERAL = re.compile(rf"{PLACEHOLDER.pattern}|<[^>]+>|\{{#[^}}]*\}}")
WORD = re.compile(r"\w+(?:['’]\w+)*")
ENGLISH_DATE = re.compile(
    r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October"
    r"|November|December) \d{4}\b"
)

Words = tuple[str, ...]


def _po(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _forms(message: Message) -> list[str]:
    strings = message.string if isinstance(message.string, tuple | list) else [message.string]
    return [string for string in strings if string]


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


def placeholder_problems(catalog: Catalog) -> list[str]:
    """Each translation whose placeholders differ from its message's: a singular message's
    must be the same set; each plural form may leave out the count (as "One page" does) but
    not a placeholder both English forms have, and may add none."""
    problems = []
    for message in catalog:
        if not message.id or not _forms(message):
            continue
        ids = _ids(message)
        english = [set(PLACEHOLDER.findall(text)) for text in ids]
        allowed, required = set().union(*english), set.intersection(*english)
        for form in _forms(message):
            found = set(PLACEHOLDER.findall(form))
            if not required <= found <= allowed:
                problems.append(f"{ids[0]!r}: {form!r} has {sorted(found)}")
    return problems


def markup_problems(catalog: Catalog) -> list[str]:
    """Each translation that has tags its message has not (or lacks one it has)."""
    problems = []
    for message in catalog:
        if not message.id or not _forms(message):
            continue
        tags = sorted(TAG.findall(_ids(message)[0]))
        for form in _forms(message):
            if sorted(TAG.findall(form)) != tags:
                problems.append(f"{_ids(message)[0]!r}: {form!r}")
    return problems


@pytest.mark.parametrize("po_file", TRANSLATED, ids=lambda path: path.parent.parent.name)
def test_each_translation_keeps_its_messages_placeholders_and_markup(po_file: Path) -> None:
    catalog = _po(po_file)
    assert placeholder_problems(catalog) == []
    assert markup_problems(catalog) == []


def test_the_placeholder_and_markup_checks_find_a_bad_translation() -> None:
    catalog = Catalog(locale="cy")
    catalog.add("Version %(number)s", "Fersiwn")
    catalog.add("%(num)s page", "%(num)s tudalen %(extra)s")
    catalog.add(("One page", "%(num)s pages"), ("Un dudalen", "%(num)s tudalen"))
    catalog.add("Read <em>this</em>", "Darllenwch <strong>hwn</strong>")
    assert len(placeholder_problems(catalog)) == 2  # the dropped one and the added one
    assert len(markup_problems(catalog)) == 1


@pytest.mark.parametrize("po_file", TRANSLATED, ids=lambda path: path.parent.parent.name)
def test_each_catalogue_uses_babels_plural_rule(po_file: Path) -> None:
    catalog = _po(po_file)
    language = po_file.parent.parent.name
    assert catalog.num_plurals == Catalog(locale=language).num_plurals
    assert catalog.plural_expr == Catalog(locale=language).plural_expr


def test_welsh_is_complete_with_its_six_plural_forms() -> None:
    assert messages.missing("cy") == []
    welsh = messages.messages_for("cy").translations
    english = ("%(num)s section", "%(num)s sections")
    # Welsh counts 0, 1, 2, 3, 6 and the rest each with a form of its own
    forms = [welsh.ngettext(*english, count) for count in (0, 1, 2, 3, 6, 7)]
    assert all(form.endswith("adran") for form in forms), forms
    assert _po(LOCALE / "cy" / "LC_MESSAGES" / "messages.po").num_plurals == 6


# --- what counts as English interface text --------------------------------------------------


def words(text: str) -> Words:
    return tuple(word.lower().replace("’", "'") for word in WORD.findall(text))


def _joined(texts: Iterable[Words]) -> str:
    """Word sequences as one string in which a run of whole words can be looked up fast."""
    return "| " + " | ".join(" ".join(text) for text in texts) + " |"


def _holds(joined: str, run: Words) -> bool:
    return f" {' '.join(run)} " in joined


@dataclass(frozen=True)
class English:
    """The catalogue's English, as phrases and labels (see the module's docstring)."""

    phrases: dict[Words, str]  # the words of a phrase → the message it comes from
    labels: dict[str, str]  # a label as written → its message
    by_first_words: dict[Words, list[Words]] = field(default_factory=dict)

    def phrases_in(self, text: Words) -> Iterator[Words]:
        for start in range(len(text) - 2):
            for phrase in self.by_first_words.get(text[start : start + 3], []):
                if text[start : start + len(phrase)] == phrase:
                    yield phrase


@cache
def english_interface(language: str) -> English:
    """The catalogue's phrases and labels that ``language``'s own catalogue does not keep."""
    catalogue = _po(LOCALE / language / "LC_MESSAGES" / "messages.po")
    kept = _joined(words(form) for message in catalogue if message.id for form in _forms(message))
    kept_labels = {form.strip() for message in catalogue if message.id for form in _forms(message)}
    phrases: dict[Words, str] = {}
    labels: dict[str, str] = {}
    for message in catalogue:
        if not message.id:
            continue
        for text in _ids(message):
            runs = [words(run) for run in NOT_LITERAL.split(text)]
            for run in runs:
                if len(run) >= 3 and not _holds(kept, run):
                    phrases[run] = text
            # a fragment such as " and " joins other words: too common to be told from content
            whole = text == text.strip()
            if whole and len(runs) == 1 and 1 <= len(runs[0]) <= 2 and text not in kept_labels:
                labels[text.strip()] = text
    by_first_words: dict[Words, list[Words]] = {}
    for phrase in phrases:
        by_first_words.setdefault(phrase[:3], []).append(phrase)
    return English(phrases, labels, by_first_words)


@dataclass(frozen=True)
class Content:
    """The school's own text: the words of every line of its sources, and each line's text."""

    lines: frozenset[str]
    text: str  # the lines' words, joined for _holds

    def holds(self, phrase: Words) -> bool:
        return _holds(self.text, phrase)


YAML_VALUE = re.compile(r"[\w-]+:\s+([^,{}\[\]]+)")
MARKDOWN_MARKS = re.compile(r"^\s*(?:[-*+]\s+|#+\s+|\d+\.\s+|>\s*)|\{[#.][^}]*\}|\{icon=[^}]*\}")


def school_content(project: Path) -> Content:
    lines: set[str] = set()
    text: list[Words] = []
    for folder in (project / "content", project / "quizzes"):
        for path in sorted(folder.rglob("*")):
            if path.suffix not in {".md", ".yml", ".yaml"}:
                continue
            for line in path.read_text(encoding="utf-8").splitlines():
                plain = MARKDOWN_MARKS.sub("", line).replace("*", "").strip()
                lines.add(plain)
                # YAML values, also those of a {key: value, …} mapping written on one line
                lines.update(value.strip().strip("\"'") for value in YAML_VALUE.findall(plain))
                lines.update(cell.strip() for cell in plain.split("|"))  # a table's cells
                text.append(words(plain))
    return Content(frozenset(lines), _joined(text))


@dataclass(frozen=True)
class Leak:
    file: str
    text: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.text!r} (message {self.message!r})"


class _PageText(HTMLParser):
    """A page's text nodes, the labels read out in place of text, and the quiz messages."""

    LABELS = ("alt", "title", "aria-label", "placeholder")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.nodes += [value for name, value in attrs if name in self.LABELS and value]
        if tag in {"script", "style"}:
            self._script = found.get("class") or "" if tag == "script" else "style"

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is None:
            self.nodes.append(data)
        elif self._script == "pp-quiz-messages":  # the quiz's sentences, for quiz.js
            self.nodes += [str(value) for value in _json_strings(json.loads(data))]


def _json_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def page_nodes(page: Path) -> list[str]:
    parser = _PageText()
    parser.feed(page.read_text(encoding="utf-8"))
    return [" ".join(node.split()) for node in parser.nodes if node.strip()]


def pdf_lines(pdf: Path) -> list[str]:
    return [
        " ".join(line.split())
        for page in PdfReader(pdf).pages
        for line in page.extract_text().splitlines()
        if line.strip()
    ]


def leaks_in(
    name: str, texts: list[str], english: English, content: Content, *, wrapped: bool = False
) -> list[Leak]:
    """The English interface strings in ``texts``: a page's nodes, or with ``wrapped`` a PDF's
    lines, where a label on a line of its own may be the end or start of the school's text
    wrapped over two lines ("Online Safety and Acceptable Use / Policy")."""
    found = []
    for index, text in enumerate(texts):
        if text in english.labels and text not in content.lines:
            around = [" ".join(texts[max(index - 1, 0) : index + 1])] if wrapped else []
            around += [" ".join(texts[index : index + 2])] if wrapped else []
            if not any(content.holds(words(joined)) for joined in around):
                found.append(Leak(name, text, english.labels[text]))
            continue
        text_words = words(text)
        for phrase in english.phrases_in(text_words):
            if not content.holds(phrase):
                found.append(Leak(name, text, english.phrases[phrase]))
                break
    return found


def test_the_leak_finder_finds_english_and_lets_content_be() -> None:
    english = english_interface("cy")
    content = Content(
        frozenset({"Version"}), _joined([words("Please read the current version today")])
    )
    texts = [
        "Read the current version of this policy",  # a message: a leak
        "Download PDF",  # a label: a leak
        "Version",  # a label that is also a heading of the content: not counted
        "Please read the current version today",  # content that holds a phrase
        "Darllen fersiwn gyfredol y polisi hwn",  # the Welsh
        "PDF",  # the same in both languages
    ]
    assert [leak.text for leak in leaks_in("page", texts, english, content)] == texts[:2]


# --- the Welsh copy of the sample -----------------------------------------------------------


@pytest.fixture(scope="module")
def welsh_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with ``language: cy``, built once from nothing (its PDFs are Welsh too)."""
    project = make_project(tmp_path_factory.mktemp("welsh"), REPO / "content")
    school = project / "content" / "school.yml"
    text = school.read_text(encoding="utf-8")
    assert re.search(r"^language: en-GB$", text, flags=re.MULTILINE)
    text = re.sub(r"^language: en-GB$", "language: cy", text, flags=re.MULTILINE)
    # The sample's translations (Welsh among them) belong to its English edition: a copy
    # whose main language is Welsh publishes none.
    text, listed = re.subn(r"^translations: .*\n", "", text, flags=re.MULTILINE)
    assert listed == 1
    school.write_text(text)
    for translated in (project / "content" / "policies").glob("*/policy.*.md"):
        translated.unlink()
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "policypress", "build", "--project", str(project)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    return project


# Strings the catalogue cannot translate because the code writes them without it; each is
# named so that the list stays short and a fix shows up as an unexpected pass.


@pytest.mark.builds
def test_every_page_of_the_welsh_copy_is_welsh(welsh_project: Path) -> None:
    site = welsh_project / "build" / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 45
    english, content = english_interface("cy"), school_content(welsh_project)
    leaks = [
        leak
        for page in pages
        for leak in leaks_in(str(page.relative_to(site)), page_nodes(page), english, content)
    ]
    assert leaks == [], "\n".join(map(str, leaks))
    for page in pages:
        assert '<html lang="cy"' in page.read_text(encoding="utf-8"), page
    quiz = page_nodes(site / "quizzes" / "ks1" / "index.html")
    assert "Gwirio'r ateb" in quiz  # the quiz's own words reach the check, in Welsh


@pytest.mark.builds
def test_every_pdf_of_the_welsh_copy_is_welsh(welsh_project: Path) -> None:
    build = (welsh_project / "build" / "current").resolve()  # the release the build made
    pdfs = sorted(build.rglob("*.pdf"))
    kinds = {path.relative_to(build).parts[1] for path in pdfs}
    assert len(pdfs) >= 30 and {"forms", "posters", "policies", "quizzes"} <= kinds, kinds
    english, content = english_interface("cy"), school_content(welsh_project)
    leaks = [
        leak
        for pdf in pdfs
        for leak in leaks_in(
            str(pdf.relative_to(build)), pdf_lines(pdf), english, content, wrapped=True
        )
    ]
    assert leaks == [], "\n".join(map(str, leaks))


@pytest.mark.builds
def test_the_welsh_copy_writes_dates_in_welsh(welsh_project: Path) -> None:
    site = welsh_project / "build" / "site"
    english_dates = sorted(
        {
            found.group(0)
            for page in site.rglob("*.html")
            for node in page_nodes(page)
            for found in ENGLISH_DATE.finditer(node)
        }
    )
    assert english_dates == []


@pytest.mark.builds
def test_the_welsh_home_page_title_is_welsh(welsh_project: Path) -> None:
    home = (welsh_project / "build" / "site" / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>([^<]*)</title>", home)
    assert title is not None
    assert " policies" not in title.group(1)


@pytest.mark.builds
def test_check_on_the_welsh_copy_names_no_missing_message(welsh_project: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    command = [sys.executable, "-m", "policypress", "check", "--project", str(welsh_project)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert "cyfieithiad" not in result.stdout + result.stderr  # "no cy translation"
    assert "translation" not in result.stdout + result.stderr


@pytest.mark.builds
def test_a_welsh_page_is_valid_html(welsh_project: Path) -> None:
    site = welsh_project / "build" / "site"
    pages = [site / "index.html", site / "policies" / "online-safety" / "index.html"]
    assert vnu_errors(pages) == []


# axe audits these pages at the browser's default viewport; every page is measured at 320 px.
AXE_ADDRESSES = ("", "policies/online-safety/", "quizzes/uks2/")
DESKTOP: ViewportSize = {"width": 1280, "height": 720}
PHONE: ViewportSize = {"width": 320, "height": 640}


@dataclass(frozen=True)
class WelshSweep:
    """What one load of each page of the Welsh copy found (every failure, by address): a page
    axe audits is loaded at 1280 px and then resized to 320 px, which lays it out as a load at
    320 px would, so no page is loaded twice."""

    pages: int
    wrong_language: list[str]  # an audited page whose lang is not cy
    axe: list[str]  # axe's reports
    too_wide: list[str]  # the page scrolls sideways at 320 px


@pytest.fixture(scope="module")
def welsh_sweep(welsh_project: Path, browser: Browser) -> WelshSweep:
    site = welsh_project / "build" / "site"
    addresses = sorted(str(page.relative_to(site).parent) for page in site.rglob("index.html"))
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    sweep = WelshSweep(len(addresses), [], [], [])
    with serve(site) as url:
        page = browser.new_page(viewport=PHONE)
        try:
            for address in addresses:
                path = "" if address == "." else f"{address}/"
                audited = path in AXE_ADDRESSES
                if audited:
                    page.set_viewport_size(DESKTOP)
                page.goto(url + path)
                if audited:
                    if (lang := page.locator("html").get_attribute("lang")) != "cy":
                        sweep.wrong_language.append(f"{address}: {lang}")
                    results = Axe().run(page, options=options)
                    if results.violations_count:
                        sweep.axe.append(f"{address}: {results.generate_report()}")
                    page.set_viewport_size(PHONE)
                    page.evaluate(
                        "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
                    )
                width = int(page.evaluate("document.scrollingElement.scrollWidth"))
                if width > PHONE["width"]:
                    sweep.too_wide.append(f"{address}: {width}px")
        finally:
            page.close()
    # every audited page is one of the site's
    assert set(AXE_ADDRESSES) <= {"" if a == "." else f"{a}/" for a in addresses}
    return sweep


@pytest.mark.builds
@pytest.mark.browser
def test_welsh_pages_have_no_axe_violations(welsh_sweep: WelshSweep) -> None:
    assert welsh_sweep.wrong_language == []
    assert welsh_sweep.axe == [], "\n\n".join(welsh_sweep.axe)


@pytest.mark.builds
@pytest.mark.browser
def test_every_welsh_page_reflows_at_320_pixels(welsh_sweep: WelshSweep) -> None:
    """Welsh words run longer than English ones; no page may scroll sideways for them."""
    assert welsh_sweep.pages >= 45
    assert welsh_sweep.too_wide == []
