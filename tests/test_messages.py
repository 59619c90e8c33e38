"""The message catalogue: every sentence policypress writes for a reader is a gettext message.

- The committed catalogue (src/policypress/locale) is exactly what extraction gives today, so
  a message added to a template or to Python without re-extracting fails here.
- No template has English text outside ``_()``, ``ngettext()`` or ``{% trans %}``, no
  module of outputs/ or quizzes/ passes a sentence to a reader without ``_()``, and no message
  to a person (a diagnostic, what a command prints, an exception raised for the user) in the
  packages wrapped so far is outside ``_()``; each check is shown to fail on a bad example.
- A build writes in the school's language, from the project's ``translations/`` first, on
  its pages and in the PDFs its worker processes render; ``check`` counts what a language
  lacks, and a project catalogue that is a link is refused at its path.
- The runtime: fallback to English, a project's own translations first, plural forms, the
  direction of right-to-left languages, and the template sandbox still in force.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import jinja2
import jinja2.nodes
import pytest

from conftest import FIXTURES, RunCli, make_project
from policypress.core import messages
from policypress.core.project import DEFAULT_TEMPLATES
from policypress.outputs.templating import TemplateFailure, create_environment, render_template

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = DEFAULT_TEMPLATES
SOURCE = REPO / "src" / "policypress"


def _scripts_messages() -> ModuleType:
    spec = importlib.util.spec_from_file_location("scripts_messages", REPO / "scripts/messages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# --- the committed catalogue is today's extraction ------------------------------------------


def test_committed_catalogue_is_what_extraction_gives() -> None:
    stale = [
        str(path.relative_to(REPO))
        for path, content in _scripts_messages().expected_files().items()
        if not path.exists() or path.read_bytes() != content
    ]
    assert not stale, f"run `python scripts/messages.py` to update: {stale}"


def test_extraction_finds_template_and_python_messages() -> None:
    catalog = _scripts_messages().extract()
    ids = {message.id if isinstance(message.id, str) else message.id[0] for message in catalog}
    assert "Accessibility statement" in ids  # from a template
    assert "Quiz coverage" in ids  # from outputs/site/quizpages.py
    assert "section %(label)s" in ids  # from model/markup.py
    plural = next(m for m in catalog if isinstance(m.id, tuple) and "point" in m.id[0])
    assert plural.id == ("%(num)s point", "%(num)s points")


# --- no English outside the catalogue: templates ---------------------------------------------

# Text that is not a sentence for a reader, each with the reason it may stay as it is.
TEMPLATE_ALLOWED: dict[str, str] = {
    "policypress": "the software's own name, in meta generator and credits",
    "sha256": "the name of the hash, the same in every language (shown beside the digest)",
    "DejaVu Sans": "a font's name in CSS",
    "QTIv2.1 Package": "QTI metadata for the learning platform, not shown to learners",
    "ADL SCORM": "SCORM metadata for the learning platform, not shown to learners",
    "TRUE": "a GIFT keyword",
    "FALSE": "a GIFT keyword",
}
# Whole lines that a reader never sees.
TEMPLATE_ALLOWED_LINES = (
    (".gift.j2", re.compile(r"^//.*$|^\$CATEGORY:.*$", re.M), "GIFT comments and category"),
)
# Attributes whose value a reader sees or hears.
VISIBLE_ATTRIBUTES = ("alt", "title", "aria-label", "data-label", "placeholder", "content")
_ATTRIBUTE = re.compile(
    r"""\b([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""",
)
_TAG = re.compile(r"<(?:[^<>\"']|\"[^\"]*\"|'[^']*')*>")
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]{2,}")
_GETTEXT = {"_", "gettext", "ngettext"}
_CSS_STRING = re.compile(r"""content\s*:\s*(?:[^;{}]*?)"([^"]*)"|content\s*:[^;]*?'([^']*)'""")
# Markdown's attribute lists on headings: { #id data-clause="…" }
_MD_ATTRIBUTES = re.compile(r"\{\s*#[^{}]*\}")


@dataclass(frozen=True)
class Finding:
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.line}: {self.text.replace(chr(0), '…')!r}"


def _is_visible_attribute(tag: str, attribute: str) -> bool:
    """A ``<meta>``'s content is read only when it is the description (keywords are the
    digests ``verify`` reads, viewport is for the browser)."""
    attribute = attribute.lower()
    if attribute == "content":
        return tag.startswith("<meta") and 'name="description"' in tag
    return attribute in VISIBLE_ATTRIBUTES


def _visible(text: str) -> bool:
    text = text.strip()
    if not _WORD.search(text) or text in TEMPLATE_ALLOWED:
        return False
    # what is left once the allowed words are gone must still hold a word
    for allowed in TEMPLATE_ALLOWED:
        text = text.replace(allowed, " ")
    return bool(_WORD.search(text))


def _untranslated_data(env: jinja2.Environment, source: str) -> Iterator[tuple[int, str]]:
    """The template's literal text outside trans blocks, with line numbers; Jinja's own
    constructs (and trans blocks) are each replaced by one NUL."""
    depth = 0
    after_block_begin = False
    for line, kind, value in env.lex(source):
        if kind == "whitespace":
            continue
        if kind == "block_begin":
            after_block_begin = True
            continue
        if after_block_begin and kind == "name":
            if value == "trans":
                depth += 1
            elif value == "endtrans":
                depth -= 1
        after_block_begin = False
        if kind == "data" and depth == 0:
            yield line, value
        elif kind in ("variable_begin", "block_begin"):
            yield line, "\0"


def template_findings(env: jinja2.Environment, name: str, source: str) -> list[Finding]:
    """Every piece of reader-visible text in a template that is not in the catalogue."""
    for suffix, pattern, _reason in TEMPLATE_ALLOWED_LINES:
        if name.endswith(suffix):
            source = pattern.sub(lambda match: "\n" * match.group().count("\n"), source)
    findings: list[Finding] = []
    # the literal text, joined, with where each part starts
    parts = list(_untranslated_data(env, source))
    text = "".join(value for _line, value in parts)
    starts: list[tuple[int, int]] = []
    offset = 0
    for line, value in parts:
        starts.append((offset, line))
        offset += len(value)

    def line_at(position: int) -> int:
        found = 1
        for start, line in starts:
            if start > position:
                break
            found = line + text.count("\n", start, position)
        return found

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group())

    text = re.sub(r"<!--.*?-->", blank, text, flags=re.S)
    if name.endswith(".css.j2"):  # a style sheet: only its generated text is read
        text = f"<style>{text}</style>"
    for style in re.finditer(r"<style[^>]*>.*?</style>", text, flags=re.S | re.I):
        for css in _CSS_STRING.finditer(style.group()):
            value = css.group(1) or css.group(2) or ""
            if _visible(value):
                findings.append(Finding(line_at(style.start() + css.start()), value))
    text = re.sub(r"<(style|script)[^>]*>.*?</\1>", blank, text, flags=re.S | re.I)
    for tag in _TAG.finditer(text):
        for attribute in _ATTRIBUTE.finditer(tag.group()):
            value = attribute.group(2) if attribute.group(2) is not None else attribute.group(3)
            if _is_visible_attribute(tag.group(), attribute.group(1)) and _visible(value or ""):
                findings.append(Finding(line_at(tag.start()), value or ""))
    if name.endswith(".md.j2"):
        text = _MD_ATTRIBUTES.sub(blank, text)
    # each tag ends a run of text: two table cells are two messages, not one
    text = _TAG.sub(lambda match: "\0" + blank(match)[1:], text)
    text = re.sub(r"&[#\w]+;", " ", text)
    for match in re.finditer(r"[^\0\n]+", text):
        if _visible(match.group()):
            findings.append(Finding(line_at(match.start()), match.group().strip()))
    findings.extend(_untranslated_constants(env, source))
    return sorted(set(findings), key=lambda finding: finding.line)


def _untranslated_constants(env: jinja2.Environment, source: str) -> Iterator[Finding]:
    """String constants in expressions that read as words for a reader ("Earlier version",
    "Yes"), outside ``_()``/``ngettext()``; lower-case identifiers ("overdue") are names."""
    tree = env.parse(source)
    translated: set[int] = set()
    for call in tree.find_all(jinja2.nodes.Call):
        if isinstance(call.node, jinja2.nodes.Name) and call.node.name in _GETTEXT:
            translated.update(id(node) for node in call.find_all(jinja2.nodes.Const))
        elif isinstance(call.node, jinja2.nodes.Getattr):
            # a method's argument is a key it looks up: comparison.of_kind("changed")
            translated.update(id(arg) for arg in call.args if isinstance(arg, jinja2.nodes.Const))
    for compare in tree.find_all(jinja2.nodes.Compare):
        # a value compared with is a key too: status == "overdue"
        translated.update(id(node) for node in compare.find_all(jinja2.nodes.Const))
    for const in tree.find_all(jinja2.nodes.Const):
        value = const.value
        if id(const) in translated or not isinstance(value, str):
            continue
        words = _WORD.findall(value)
        if words and (" " in value.strip() or value[:1].isupper()) and _visible(value):
            yield Finding(const.lineno, value)


def _template_names() -> list[str]:
    return [path.relative_to(TEMPLATES).as_posix() for path in sorted(TEMPLATES.rglob("*.j2"))]


@pytest.fixture(scope="module")
def env() -> jinja2.Environment:
    return create_environment(TEMPLATES)


@pytest.mark.parametrize("name", _template_names())
def test_template_has_no_english_outside_the_catalogue(env: jinja2.Environment, name: str) -> None:
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    findings = template_findings(env, name, source)
    assert not findings, f"templates/{name}: text outside _() or {{% trans %}}:\n" + "\n".join(
        map(str, findings)
    )


def test_template_check_finds_english(env: jinja2.Environment) -> None:
    """The check fails on each way a template can show English outside the catalogue."""
    bad = (
        "<h1>{{ _('Fine') }}</h1>\n"
        "<p>Read the policy</p>\n"  # text
        '<img src="x.png" alt="A poster">\n'  # a visible attribute
        "{{ entry.version or 'Earlier version' }}\n"  # a constant
        '<style>@page { @top-center { content: "DRAFT"; } }</style>\n'  # CSS generated text
        "{% trans %}Translated{% endtrans %} and not\n"
    )
    findings = template_findings(env, "bad.html.j2", bad)
    assert [(f.line, f.text) for f in findings] == [
        (2, "Read the policy"),
        (3, "A poster"),
        (4, "Earlier version"),
        (5, "DRAFT"),
        (6, "and not"),
    ]


def test_template_check_passes_markup_and_translated_text(env: jinja2.Environment) -> None:
    good = (
        '<div class="pp-banner" role="note" data-clause-id="{{ id }}">\n'
        "## {{ _('Policies') }} { #policies }\n"
        "<p>{{ ngettext('%(num)s point', '%(num)s points', n) }} · {{ x }}</p>\n"
        "{% if status == 'overdue' %}{% trans %}Review overdue{% endtrans %}{% endif %}\n"
        "<!-- a comment for developers -->\n"
    )
    assert template_findings(env, "good.md.j2", good) == []


# --- no English outside the catalogue: Python ------------------------------------------------

# Modules whose strings reach a reader: page titles, the parts of posters, quizzes, calendars
# and learning-platform exports that policypress writes.
PYTHON_FOLDERS = ("outputs", "quizzes")
# A sentence-like literal here is not for a reader, with the reason.
PYTHON_ALLOWED: dict[str, str] = {
    "DejaVu Sans": "a font's name (outputs/pdf/formfont.py)",
    # outputs/site/configsafety.py's findings about a school's mkdocs.yml are diagnostics for
    # whoever runs the build: they join the CLI's messages, wrapped after its rewrite.
    "HTML in copyright, printed as is in every page's footer": "a diagnostic (configsafety)",
    "HTML in extra.consent.description, printed as is in the cookie notice": "a diagnostic",
    "INHERIT merges in another file that policypress does not check; expected every setting"
    " in mkdocs.yml itself": "a diagnostic (configsafety)",
    # a menu group's key (pages.NavGroup); the menu shows pages.MENU_TITLES, translated
    "Agreement forms": "a key in outputs/site/pages.py",
}
_SENTENCE = re.compile(r"[^\W\d_]{2,}[^\w\n]+[^\W\d_]{2,}")


def _looks_like_a_sentence(text: str) -> bool:
    """At least two words of letters, and not a path, a CSS value, a format spec, a CLI flag
    or an identifier list."""
    stripped = text.strip()
    if not _SENTENCE.search(stripped) or stripped in PYTHON_ALLOWED:
        return False
    if re.fullmatch(r"[\w./*{}-]+", stripped):  # a path, a glob, an identifier
        return False
    if re.search(r"[{};]\s*$|^[.#@]|:\s*[\w#-]+;|\brgba?\(|\bvar\(--", stripped):  # CSS
        return False
    if stripped.startswith(("-", "<", "http", "%", "policypress ")):
        return False  # a command-line flag, markup, an address, a format, a command
    return " " in stripped and stripped[:1].isupper()


def _exempt_calls(tree: ast.AST) -> set[int]:
    """Literals a reader of the outputs never sees: docstrings, exceptions, log and
    diagnostics messages (checked by :func:`message_findings` instead), and the arguments
    of ``_()``."""
    exempt: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Module):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                exempt.add(id(body[0].value))
        if isinstance(node, ast.Call):
            name = (
                node.func.id
                if isinstance(node.func, ast.Name)
                else node.func.attr
                if isinstance(node.func, ast.Attribute)
                else ""
            )
            if name in {"_", "gettext", "ngettext", "N_"} or _is_diagnostic_or_error(name):
                exempt.update(id(sub) for sub in ast.walk(node))
        if isinstance(node, ast.Raise | ast.Assert):
            exempt.update(id(sub) for sub in ast.walk(node))
    return exempt


def _is_diagnostic_or_error(name: str) -> bool:
    return name in {"error", "warning", "notice", "error_at", "warn", "refuse", "step"} or (
        name[:1].isupper() and name.endswith(("Error", "Failure", "Exception"))
    )


def python_findings(source: str) -> list[Finding]:
    """Sentence-like string literals outside ``_()`` and the exempt calls above."""
    tree = ast.parse(source)
    exempt = _exempt_calls(tree)
    findings = []
    for node in ast.walk(tree):
        if id(node) in exempt:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if _looks_like_a_sentence(node.value):
                findings.append(Finding(node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            literal = "".join(
                part.value
                for part in node.values
                if isinstance(part, ast.Constant) and isinstance(part.value, str)
            )
            if _looks_like_a_sentence(literal):
                findings.append(Finding(node.lineno, literal))
            exempt.update(id(sub) for sub in ast.walk(node))
    return sorted(findings, key=lambda finding: finding.line)


def _python_modules() -> list[str]:
    return [
        path.relative_to(SOURCE).as_posix()
        for folder in PYTHON_FOLDERS
        for path in sorted((SOURCE / folder).rglob("*.py"))
    ]


@pytest.mark.parametrize("module", _python_modules())
def test_python_has_no_english_outside_the_catalogue(module: str) -> None:
    findings = python_findings((SOURCE / module).read_text(encoding="utf-8"))
    assert not findings, f"src/policypress/{module}: sentences outside _():\n" + "\n".join(
        map(str, findings)
    )


def test_python_check_finds_english() -> None:
    bad = (
        "from policypress.core.messages import gettext as _\n"
        'TITLE = "Review schedule"\n'
        'def page(n):\n    """A docstring is for developers."""\n'
        '    fine = _("Accessibility statement")\n'
        '    css = "font: bold 10pt DejaVu Sans;"\n'
        '    raise ValueError("not for readers")\n'
        '    return f"Version {n} of the policy"\n'
    )
    assert [(f.line, f.text) for f in python_findings(bad)] == [
        (2, "Review schedule"),
        (8, "Version  of the policy"),
    ]
    # whatever its first letter, an f-string of words is found by the rule every message
    # module is checked with (outputs/ and quizzes/ among them)
    lowercase = bad + '    note = f"version {n} of the policy, approved"\n'
    assert python_findings(lowercase) == python_findings(bad)
    assert [(f.line, f.text) for f in composed_findings(lowercase)] == [
        (8, "Version  of the policy"),
        (9, "version  of the policy, approved"),
    ]


# --- no English outside the catalogue: what the command line and diagnostics say ------------

# The packages whose messages to a person (diagnostics, what a command prints, the exceptions
# it reports) are all in the catalogue: every module of policypress (a test checks none is left
# out, so a new package is checked from its first commit).
MESSAGE_MODULES = (
    "cli.py",
    "build.py",
    "commands",
    "content",
    "core",
    "environment",
    "governance",
    "model",
    "importer",
    "outputs",
    "quizzes",
    "register",
    "source",
    "studio",
)
# Calls whose text argument a person reads.
_SAYING = {
    "error", "warning", "notice", "error_at", "warning_at", "say", "_say", "warn", "print",
    "out", "err", "refuse", "step", "fail", "report",
}  # fmt: skip
# Exceptions raised for a bug in policypress, never for something a user did: the CLI prints
# them as an internal error with a request to report it.
DEVELOPER_EXCEPTIONS: dict[str, str] = {
    "RuntimeError": "a broken invariant of policypress itself",
    "ValueError": "a caller's mistake inside policypress",
    "TypeError": "a caller's mistake inside policypress",
    "KeyError": "a missing key inside policypress",
    "AssertionError": "an internal check",
    "FileExistsError": "two outputs claiming one file: a generator's bug (core/files.py)",
}
# Text to a person that is not a sentence: each allowed with the reason.
MESSAGE_ALLOWED: dict[str, str] = {
    "usage: system.py missing|list build [test]": "the usage line of a build script, for CI",
}
# Sentence-like literals in those packages that are not messages, each with the reason
# (checked by the same rule as outputs/ and quizzes/, ``python_findings``).
SENTENCE_ALLOWED: dict[str, str] = {
    "Adopt    (model )": "a git commit message, part of the project's history (adopt)",
    "Adopted the trust's model version .": "the default note recorded in history.yml",
    "Using fontTools instead of HarfBuzz-Subset": "a pattern matching WeasyPrint's own log",
    "Noto Sans Bengali": "a font family's name (environment/system.py)",
    "Noto Sans CJK SC": "a font family's name (environment/system.py)",
    "Word (.docx)": "a file format's name",
    "About this policy": "the English source of a clause id (importer/headings.py)",
    "PDF form": "the way evidence came, recorded in the register as it is",
    "Start date": "the default heading of a column in the school's staff export",
    "Leaving date": "the default heading of a column in the school's staff export",
    "Email address": "the default heading of a column in the school's staff export",
}


def _is_message(node: ast.expr) -> bool:
    """``_("…")``, ``ngettext(…)``, or either ``% {…}``."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in _GETTEXT
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _is_message(node.left)
    return False


def _literal_words(node: ast.expr) -> str:
    """The literal text of a string, an f-string or a sum of them ('' for anything else)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal_words(node.left) + _literal_words(node.right)
    return ""


def _is_import_note(call: ast.Call) -> bool:
    """``report.add(where, kind, message)``: a line of the import report, read by whoever
    imported the document (its kind is one of a few keys, its message a sentence)."""
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "add"
        and isinstance(func.value, ast.Name)
        and func.value.id == "report"
    )


def message_findings(source: str) -> list[Finding]:
    """Text with words passed, outside ``_()``, to a call a person reads the argument of
    (diagnostics, what a command says) or to an exception raised for them."""
    tree = ast.parse(source)
    raised = {
        id(node.exc)
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
    }
    findings = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = (
            func.id
            if isinstance(func, ast.Name)
            else func.attr
            if isinstance(func, ast.Attribute)
            else ""
        )
        for_user = name in _SAYING or (
            name[:1].isupper()
            and name not in DEVELOPER_EXCEPTIONS
            and (id(node) in raised or name.endswith(("Error", "Problem", "Refused", "Failure")))
        )
        arguments = node.args
        if _is_import_note(node):  # report.add(where, kind, message): the message is read
            for_user, arguments = True, node.args[2:]
        if not for_user:
            continue
        for argument in arguments:
            text = _literal_words(argument)
            if (
                not _is_message(argument)
                and _LETTER.search(text)
                and re.search(r"[^\W\d_]{3,}", text)
                and not re.fullmatch(r"[a-z][a-z-]*", text)  # a key ("removed"), not words
                and text not in MESSAGE_ALLOWED
            ):
                findings.append(Finding(argument.lineno, text))
    return sorted(findings, key=lambda finding: finding.line)


def _message_modules() -> list[str]:
    found = []
    for entry in MESSAGE_MODULES:
        paths = (
            [SOURCE / entry] if entry.endswith(".py") else sorted((SOURCE / entry).rglob("*.py"))
        )
        found += [path.relative_to(SOURCE).as_posix() for path in paths]
    return found


# --- no English outside the catalogue: f-strings and joined literals -----------------------

# An f-string with words, or a literal of four words or more joined or formatted into a longer
# text, is a sentence (or a piece of one) for a reader, whatever its first letter -- unless it
# is inside ``_()``/``ngettext()``/``N_()``, raised as a developer's exception, or listed in
# SENTENCE_ALLOWED / COMPOSED_ALLOWED with the reason.
COMPOSED_ALLOWED: dict[str, str] = {
    '<meta http-equiv="Content-Security-Policy" content="">': "an HTML element (site/harden.py)",
    "apt-get update && apt-get install -y --no-install-recommends ": "the shell command that"
    " installs what is missing, printed as it must be typed (environment/system.py)",
}
_FSTRING_WORDS = 3
_JOINED_WORDS = 4


def _words(text: str) -> int:
    """How many words a text holds, or 0 when no two of them are apart by a space (a path,
    a file name, a pattern)."""
    if not re.search(r"[^\W\d_]{2,}\s+[^\W\d_]{2,}", text):
        return 0
    return len(_WORD.findall(text))


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _not_for_a_reader(tree: ast.AST) -> set[int]:
    """Nodes whose text is in the catalogue already or is for developers: the arguments of
    ``_()``, ``ngettext()`` and ``N_()``, docstrings, and developer exceptions."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Module):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skipped.add(id(body[0].value))
        if isinstance(node, ast.Call) and (
            _call_name(node) in {"_", "gettext", "ngettext", "N_"}
            or _call_name(node) in DEVELOPER_EXCEPTIONS
        ):
            skipped.update(id(sub) for sub in ast.walk(node))
        if isinstance(node, ast.Assert):
            skipped.update(id(sub) for sub in ast.walk(node))
    return skipped


def _composed_literals(tree: ast.AST) -> Iterator[ast.Constant]:
    """String literals joined or formatted into a longer text: an operand of ``+``, the left
    of ``%``, the text of ``.format()``, or an item of what ``.join()`` joins."""
    for node in ast.walk(tree):
        parts: list[ast.expr] = []
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            parts = [node.left, node.right]
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            parts = [node.left]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "format":
                parts = [node.func.value]
            elif node.func.attr == "join":
                for argument in node.args:
                    parts += [sub for sub in ast.walk(argument) if isinstance(sub, ast.expr)]
        for part in parts:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                yield part


def composed_findings(source: str, allowed: Collection[str] | None = None) -> list[Finding]:
    """F-strings whose literal parts hold three words or more, and literals of four words or
    more joined or formatted into a text, outside the catalogue and the allowed lists (or
    ``allowed``)."""
    tree = ast.parse(source)
    skipped = _not_for_a_reader(tree)
    if allowed is None:
        allowed = SENTENCE_ALLOWED.keys() | COMPOSED_ALLOWED.keys()
    found: set[Finding] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and id(node) not in skipped:
            text = _literal_words(node)
            if _words(text) >= _FSTRING_WORDS and text not in allowed:
                found.add(Finding(node.lineno, text))
    for literal in _composed_literals(tree):
        text = str(literal.value)  # a str: _composed_literals yields only those
        if id(literal) not in skipped and _words(text) >= _JOINED_WORDS and text not in allowed:
            found.add(Finding(literal.lineno, text))
    return sorted(found, key=lambda finding: (finding.line, finding.text))


@pytest.mark.parametrize("module", _message_modules())
def test_messages_to_a_person_are_in_the_catalogue(module: str) -> None:
    source = (SOURCE / module).read_text(encoding="utf-8")
    findings = sorted(
        set(message_findings(source))
        | set(composed_findings(source))
        | {finding for finding in python_findings(source) if finding.text not in SENTENCE_ALLOWED},
        key=lambda finding: (finding.line, finding.text),
    )
    assert not findings, f"src/policypress/{module}: messages outside _():\n" + "\n".join(
        map(str, findings)
    )


def test_every_module_is_checked_for_messages() -> None:
    unchecked = {path.relative_to(SOURCE).as_posix() for path in SOURCE.rglob("*.py")} - set(
        _message_modules()
    )
    # the package's own entry points hold no text (``python -m policypress`` calls the CLI)
    assert unchecked == {"__init__.py", "__main__.py"}


def test_every_allowed_text_is_still_one_the_rules_would_find() -> None:
    """An entry whose text is gone (or now in the catalogue) would excuse a future one."""
    found: set[str] = set()
    for module in _message_modules():
        source = (SOURCE / module).read_text(encoding="utf-8")
        found |= {finding.text for finding in python_findings(source)}
        found |= {finding.text for finding in composed_findings(source, allowed=())}
    assert not (SENTENCE_ALLOWED.keys() | COMPOSED_ALLOWED.keys()) - found


def test_message_check_finds_english() -> None:
    bad = (
        "from policypress.core.messages import gettext as _\n"
        "def run(ctx, diags, path, slug):\n"
        '    diags.error(path, 1, 1, f"no policy {slug}")\n'
        '    ctx.say(_("Wrote %(path)s") % {"path": path})\n'
        '    ctx.warn("policypress: notice: " + slug)\n'
        '    raise RuntimeError("a bug, for developers")\n'
        '    raise NothingToReview(f"{slug}: nothing new to review")\n'
        '    raise UsageError(_("file not found: %(file)s") % {"file": path})\n'
        '    report.add("document", "not placed", "paragraph introducing the review table")\n'
        '    report.add("document", "inferred", _("title from the first line"))\n'
    )
    assert [(f.line, f.text) for f in message_findings(bad)] == [
        (3, "no policy "),
        (5, "policypress: notice: "),
        (7, ": nothing new to review"),
        (9, "paragraph introducing the review table"),
    ]


def test_composed_check_finds_english_built_into_a_message() -> None:
    """An f-string or a joined literal with words is found wherever it is built, not only
    where it is said: the approval's problems were lowercase f-strings appended to a list."""
    bad = (
        "from policypress.core.messages import gettext as _\n"
        "def problems(meeting, today, slugs, n):\n"
        "    found = []\n"
        '    found.append(f"the meeting date {meeting} is in the future (today is {today})")\n'
        '    found.append("no policy is named here: " + ", ".join(slugs))\n'
        '    note = "; ".join(["the date cannot be read", "x"])\n'
        '    said = "{} is not one of the versions".format(n)\n'
        '    fine = _("the meeting date %(d)s is in the future") % {"d": meeting}\n'
        '    raise RuntimeError(f"a broken invariant of the build {meeting}")\n'
        '    path = f"quizzes/{n}/answer-key.pdf"\n'
        '    return f"{meeting}: {today}"\n'
    )
    assert [(f.line, f.text) for f in composed_findings(bad)] == [
        (4, "the meeting date  is in the future (today is )"),
        (5, "no policy is named here: "),
        (6, "the date cannot be read"),
        (7, "{} is not one of the versions"),
    ]
    # the old rule (a capital letter, or said straight away) let the first one through
    assert all(f.line != 4 for f in message_findings(bad) + python_findings(bad))


# --- whole sentences: no message is a frame for words composed elsewhere ----------------------

# A translator can only word a sentence they see whole. So every msgid must (1) have words of
# its own besides its placeholders -- "%(a)s: %(b)s" leaves the sentence to be made elsewhere --
# and (2) have no placeholder standing for a piece of a sentence. (2) is checked by name: a
# placeholder named problem, reason, why, how or fix holds a clause saying what is wrong or what
# to do, which could only be English our code composed elsewhere, unless it is a third party's
# own message (a library's or the operating system's), which no catalogue of ours holds. The
# finders return which problem it is (an enum, a small dataclass), and the message site picks
# the whole sentence; a frame around a whole message already in the catalogue (a location and
# its sentence) names its placeholder for what it holds: message, exc, notice.
SENTENCE_PIECES = ("problem", "reason", "why", "how", "fix")
THIRD_PARTY_PIECES: dict[str, str] = {
    "%(key)s: %(problem)s": "pydantic's message, or a validator's own whole sentence "
    "(content/validation.py), after the setting's key",
    "%(key)s: %(problem)s (found %(found)r)": "as above, with the value found",
    "'%(pattern)s' is not a regular expression policypress can use: %(reason)s (backreferences "
    "and lookaround are not supported)": "re2's own message",
    "cannot listen on %(host)s port %(port)s (%(reason)s); choose another port with "
    "--port N": "the operating system's message (strerror)",
    "cannot read value: %(problem)s": "PyYAML's message",
    "git %(step)s failed (%(problem)s): the project is written, with no first commit": "git's "
    "own message (what it printed)",
    "The approval is recorded, but git could not commit it: %(problem)s": "git's message",
    "invalid YAML: %(problem)s": "PyYAML's message",
    "invalid YAML: %(problem)s (%(context)s)": "PyYAML's message",
    "invalid YAML: %(problem)s (%(context)s); check the indentation": "PyYAML's message",
    "invalid YAML: %(problem)s; check the indentation": "PyYAML's message",
    "invalid date '%(date)s': %(problem)s; expected YYYY-MM-DD": "Python's datetime message",
    "image '%(name)s' is not well-formed XML (%(reason)s at its line %(line)s, column "
    "%(column)s); expected an SVG image": "expat's message",
    "logo '%(name)s' is not well-formed XML (%(reason)s at its line %(line)s, column "
    "%(column)s); expected an SVG image": "expat's message",
}
# Placeholders joined by punctuation that are not a sentence but a layout of names and titles.
LAYOUTS: dict[str, str] = {
    "%(policy)s, %(section)s": "a policy's title and a section's number, citing a section",
    "%(tier)s: %(pathway)s": "a tier's code and a learning pathway's name",
    "%(key)s: %(problem)s": "a setting's key and the message about it (see above)",
    "%(errors)s, %(warnings)s": "two counted nouns ('2 errors', '1 warning'), each plural "
    "by its own count, as a report's last line",
}
_PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[a-z]|%%")


def sentence_findings(msgids: list[str]) -> list[str]:
    """The msgids that are not whole sentences by the two rules above, each with the rule."""
    found = []
    for msgid in msgids:
        names = {match.group(1) for match in _PLACEHOLDER.finditer(msgid) if match.group(1)}
        if not _LETTER.search(_PLACEHOLDER.sub("", msgid)) and msgid not in LAYOUTS:
            found.append(f"only placeholders and punctuation: {msgid!r}")
        pieces = sorted(names.intersection(SENTENCE_PIECES))
        if pieces and msgid not in THIRD_PARTY_PIECES:
            found.append(f"a piece of a sentence in %({pieces[0]})s: {msgid!r}")
    return found


def _catalogue_msgids() -> list[str]:
    from babel.messages.pofile import read_po

    with (SOURCE / "locale" / "messages.pot").open("rb") as handle:
        catalog = read_po(handle)
    return [
        text
        for message in catalog
        if message.id
        for text in ([message.id] if isinstance(message.id, str) else list(message.id))
    ]


def test_every_message_is_a_whole_sentence() -> None:
    msgids = _catalogue_msgids()
    assert not sentence_findings(msgids), "\n".join(sentence_findings(msgids))
    # every exception listed is still a message (a stale entry would excuse a future one)
    assert set(THIRD_PARTY_PIECES) | set(LAYOUTS) <= set(msgids)


def test_the_sentence_check_finds_pieces() -> None:
    assert sentence_findings(
        [
            "%(name)s %(problem)s",
            "%(found)s (byte 0x%(byte)02x); %(fix)s",
            "refused to load %(url)s: it %(why)s",
            "%(a)s — %(b)s",
            "image '%(href)s' is not a regular file; expected an image file",
            "%(key)s: %(problem)s",
        ]
    ) == [
        "only placeholders and punctuation: '%(name)s %(problem)s'",
        "a piece of a sentence in %(problem)s: '%(name)s %(problem)s'",
        "a piece of a sentence in %(fix)s: '%(found)s (byte 0x%(byte)02x); %(fix)s'",
        "a piece of a sentence in %(why)s: 'refused to load %(url)s: it %(why)s'",
        "only placeholders and punctuation: '%(a)s — %(b)s'",
    ]


def test_a_site_url_problem_is_told_in_one_sentence_for_each_fault() -> None:
    from policypress.outputs.site.configsafety import check_safety

    said: list[str] = []
    for site_url in (5, "https://vale.example/" + "a" * 2000, 'https://x.example/"', "ftp://x"):
        check_safety({"site_url": site_url}, set(), lambda _path, message: said.append(message))
    assert said == [
        "site_url '5' is not text; expected a web address",
        f"site_url '{'https://vale.example/' + 'a' * 36}…' is longer than 2000 characters",
        "site_url 'https://x.example/\"' contains \", which would end the HTML attribute it is "
        "printed in",
        "site_url 'ftp://x' is not a web address; expected one starting with https://",
    ]


def test_a_refused_file_is_told_in_one_sentence(tmp_path: Path) -> None:
    import os

    from policypress.core.safefile import refusal, refusal_message

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link"
    link.symlink_to(fifo)
    outside = tmp_path / "inside" / "out"
    (tmp_path / "inside").mkdir()
    outside.symlink_to(tmp_path / "pipe")
    said = [
        refusal_message(found)
        for path, inside in ((fifo, tmp_path), (link, tmp_path), (outside, tmp_path / "inside"))
        if (found := refusal(path, [inside])) is not None
    ]
    assert said == [
        "is a FIFO (named pipe); expected a regular file",
        f"is a symlink to {fifo}, which is a FIFO (named pipe); expected a regular file",
        f"is a symlink to {fifo}, which is outside the project; expected a regular file inside "
        "the project",
    ]


def test_a_pdf_refuses_to_load_a_file_in_one_sentence(tmp_path: Path) -> None:
    import os

    from weasyprint.urls import FatalURLFetchingError

    from policypress.outputs.pdf.render import ProjectOnlyFetcher

    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    with pytest.raises(FatalURLFetchingError) as refused:
        ProjectOnlyFetcher((tmp_path,)).fetch(fifo.as_uri())
    assert str(refused.value) == (
        f"refused to load {fifo.as_uri()}: it is not a regular file (a folder, a FIFO, a "
        "device or a socket)"
    )


def test_an_unknown_variable_in_an_approved_version_is_told_in_its_own_sentence() -> None:
    from policypress.content.variables import variable_problem
    from policypress.model.variables import Variables

    values = Variables({"school.name": "Vale Primary"})
    working = variable_problem("school.motto", values)
    approved = variable_problem("school.motto", values, snapshot=True)
    assert working.startswith("unknown variable '{{ school.motto }}'")
    assert approved.startswith(
        "unknown variable '{{ school.motto }}'; this approved version uses it, so add it to "
        "the school's details (the approved text cannot change)"
    )
    assert variable_problem("trust.name", values, snapshot=True) == (
        "'{{ trust.name }}' is only known in a group of schools (a project with trust.yml); "
        "this approved version uses it and cannot change, so this project must be part of a "
        "group"
    )


# --- the runtime ------------------------------------------------------------------------------


def test_english_reads_as_written_and_plurals_follow_the_count() -> None:
    with messages.use_language("en-GB"):
        assert messages.gettext("Review schedule") == "Review schedule"
        assert messages.ngettext("%(num)s point", "%(num)s points", 1) == "%(num)s point"
        assert messages.ngettext("%(num)s point", "%(num)s points", 2) == "%(num)s points"
    assert messages.missing("en-GB") == []


def _write_po(folder: Path, code: str, entries: str, plural: str) -> None:
    po = folder / code / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n'
        f'"Language: {code}\\n"\n"Plural-Forms: {plural}\\n"\n\n{entries}',
        encoding="utf-8",
    )


def test_a_project_translation_comes_first_and_missing_messages_fall_back(
    tmp_path: Path,
) -> None:
    """A project's own catalogue, for a language the package has none for (Basque; Welsh
    words stand in): its four plural forms, English for what it lacks, and the list of what
    it lacks."""
    _write_po(
        tmp_path,
        "eu",
        'msgid "Review schedule"\nmsgstr "Amserlen adolygu"\n\n'
        'msgid "%(num)s point"\nmsgid_plural "%(num)s points"\n'
        'msgstr[0] "%(num)s pwynt"\nmsgstr[1] "%(num)s pwynt"\n'
        'msgstr[2] "%(num)s bwynt"\nmsgstr[3] "%(num)s phwynt"\n',
        "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;",
    )
    welsh = messages.messages_for("eu-ES", tmp_path)
    assert welsh.gettext("Review schedule") == "Amserlen adolygu"
    assert welsh.gettext("Accessibility statement") == "Accessibility statement"
    assert [welsh.ngettext("%(num)s point", "%(num)s points", n) for n in (1, 2, 3, 8)] == [
        "%(num)s pwynt",
        "%(num)s pwynt",
        "%(num)s bwynt",
        "%(num)s phwynt",
    ]
    lacking = messages.missing("eu", tmp_path)
    assert "Accessibility statement" in lacking
    assert "Review schedule" not in lacking and "%(num)s point" not in lacking
    # the language the build writes reaches the templates through use_language
    template = tmp_path / "t"
    template.mkdir()
    (template / "p.html.j2").write_text("<h1>{{ _('Review schedule') }}</h1>", encoding="utf-8")
    env = create_environment(template)
    with messages.use_language("eu", tmp_path):
        assert env.get_template("p.html.j2").render() == "<h1>Amserlen adolygu</h1>"
    assert env.get_template("p.html.j2").render() == "<h1>Review schedule</h1>"


def test_right_to_left_languages() -> None:
    assert messages.text_direction("ur") == "rtl"
    assert messages.text_direction("ar") == "rtl"
    assert messages.text_direction("cy-GB") == "ltr"
    assert messages.text_direction("xx-unknown") == "ltr"
    assert messages.catalogue_codes("pa-Arab-PK") == ["pa_Arab_PK", "pa_Arab", "pa"]


def test_translated_placeholders_are_escaped_and_the_sandbox_still_applies(
    tmp_path: Path,
) -> None:
    from policypress.core.diagnostics import Diagnostics

    (tmp_path / "ok.html.j2").write_text('{{ _("Hello %(who)s", who=who) }}', encoding="utf-8")
    (tmp_path / "bad.html.j2").write_text(
        "{{ _.__globals__ }}{{ ''.__class__.__mro__ }}", encoding="utf-8"
    )
    env = create_environment(tmp_path)
    diags = Diagnostics(tmp_path)
    assert render_template(env, "ok.html.j2", diags, who="<b>") == "Hello &lt;b&gt;"
    with pytest.raises(TemplateFailure):
        render_template(env, "bad.html.j2", diags)
    assert "may not reach Python's internals" in str(diags.items[-1])


# --- the school's language, everywhere a build writes ---------------------------------------

WELSH_PLURALS = "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;"


def _welsh_project(tmp_path: Path, language: str = "cy") -> Path:
    """The minimal school, writing in Welsh, with a project catalogue of two messages: a page
    title (rendered in the build's own process) and the PDF page number (in the PDFs, which
    worker processes render). With another ``language``, the same catalogue is that
    language's (one the package has no catalogue for, so that most messages are lacking)."""
    project = make_project(tmp_path / "p", FIXTURES / "minimal" / "content", quizzes=False)
    school = project / "content" / "school.yml"
    school.write_text(school.read_text() + f"language: {language}\n", encoding="utf-8")
    _write_po(
        project / "translations",
        language,
        'msgid "Accessibility statement"\nmsgstr "Datganiad hygyrchedd"\n\n'
        'msgid "Page %(page)s of %(pages)s"\nmsgstr "Tudalen %(page)s o %(pages)s"\n',
        WELSH_PLURALS,
    )
    return project


def test_a_build_writes_pages_and_pdfs_in_the_school_language(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from policypress.build import build
    from policypress.core.project import Project

    project = _welsh_project(tmp_path)
    # two workers: the PDFs are rendered in a process pool, which inherits no language
    result = build(Project.at(project, out=tmp_path / "out"), workers=2)
    pages = [p.read_text(encoding="utf-8") for p in result.site.rglob("*.html")]
    assert any("<h1" in page and "Datganiad hygyrchedd" in page for page in pages)
    assert not any(">Accessibility statement<" in page for page in pages)
    first_pages = {
        pdf.name: PdfReader(pdf).pages[0].extract_text() for pdf in result.site.rglob("*.pdf")
    }
    numbered = [name for name, text in first_pages.items() if "Tudalen 1 o" in text]
    assert sorted(numbered) == ["internet-use-v1.0.pdf", "internet-use-v1.1.pdf"]
    assert not [name for name, text in first_pages.items() if "Page 1 of" in text]


def test_check_counts_the_messages_a_language_lacks_and_refuses_an_unsafe_catalogue(
    tmp_path: Path, run_cli: RunCli
) -> None:
    project = _welsh_project(tmp_path, "eu")  # the package ships Welsh whole
    lacking = len(messages.missing("eu", project / "translations"))
    assert 0 < lacking < len(_scripts_messages().extract())
    result = run_cli("check", "--project", project)
    assert result.code == 0
    notices = [line for line in result.err.splitlines() if "translation" in line]
    assert notices == [
        f"policypress: notice: content/school.yml: {lacking} messages have no eu translation;"
        " they are shown in English"
    ]
    strict = run_cli("check", "--project", project, "--strict")
    assert "content/school.yml: no eu translation: Review schedule" in strict.err
    assert "no eu translation: Accessibility statement" not in strict.err
    # a catalogue that is a link to a file elsewhere is refused at its path, before reading
    po = project / "translations" / "eu" / "LC_MESSAGES" / "messages.po"
    elsewhere = tmp_path / "elsewhere.po"
    po.rename(elsewhere)
    po.symlink_to(elsewhere)
    for command in ("check", "build"):
        refused = run_cli(command, "--project", project, "--out", tmp_path / "out2")
        assert refused.code == 1, command
        assert (
            "translations/eu/LC_MESSAGES/messages.po:1:1: a catalogue may not be a symbolic link"
            in refused.err
        ), command
        assert "Traceback" not in refused.err
