"""The Jinja2 environment for every template: sandboxed, autoescaped, strict about undefined
names.

A project's templates are the school's to edit (and a web studio may let anyone at the school
edit them), so they run in Jinja's immutable sandbox: no attribute that starts with an
underscore (``cycler.__init__.__globals__``, ``''.__class__.__mro__``), no Python internals, no
method that changes a value passed in, no ``*`` or ``**`` that would fill the memory. A template
that tries fails with its ``path:line`` and nothing runs.

Every template has Jinja's i18n extension: ``{{ _("...") }}``, ``{{ ngettext(...) }}`` and
``{% trans %}`` answer in the language the build writes (core/messages.py's
:func:`~policypress.core.messages.use_language`, set per build from the school's
``language``), so one environment serves every language. Gettext is "new style": a message's
``%(name)s`` placeholders are filled from keyword arguments, each value autoescaped as
``{{ value }}`` would be, and a message's own text is the template's (trusted) markup.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2
import jinja2.runtime
import jinja2.sandbox
from markupsafe import Markup

from policypress.core import messages
from policypress.core.dates import long_date
from policypress.core.diagnostics import WHOLE_FILE, Diagnostics, Position
from policypress.core.messages import N_, text_direction
from policypress.core.messages import gettext as _
from policypress.core.safefile import MAX_TEXT_BYTES, refusal, refusal_message, refuse
from policypress.model import shown
from policypress.outputs.bytecode import SealedBytecodeCache

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|>~-])")


def markdown_text(value: Any) -> Markup:
    """Text that Python-Markdown shows literally: HTML-escaped, Markdown punctuation escaped.
    Quotes stay as they are: they mean nothing in a heading's text, and an entity for one is
    escaped again where the theme repeats the heading (the table of contents: "don&#39;ts")."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Markup(_MD_SPECIAL.sub(r"\\\1", text))


def css_string(value: Any) -> Markup:
    """A quoted CSS string, for text placed in page margins (running headers, footers). A
    value that is already markup (a translated message with its values escaped) counts as
    the text it shows: ``&amp;`` in it is one ampersand in the margin, not five characters."""
    text = value.unescape() if isinstance(value, Markup) else str(value)
    escaped = "".join(
        f"\\{ord(ch):x} " if ch in '"\\\n\r<>&' or ord(ch) < 32 else ch for ch in text
    )
    return Markup(f'"{escaped}"')


# A page counter's place in a translated margin text (see css_content): two characters from
# Unicode's private use area, which no message and no school's name holds.
_COUNTER_MARK = re.compile("\ue000(page|pages)\ue001")
PAGE_COUNTERS = ("page", "pages")


def page_counter(name: str) -> str:
    """Where the CSS counter ``name`` (``page`` or ``pages``) goes in a translated message,
    for :func:`css_content` to find: ``_("Page %(page)s of %(pages)s", page=page_counter(
    "page"), …)``, so the words around the numbers are the translator's, in their order."""
    if name not in PAGE_COUNTERS:
        raise ValueError(f"no CSS page counter {name!r}; there are {', '.join(PAGE_COUNTERS)}")
    return f"\ue000{name}\ue001"


def css_content(value: Any) -> Markup:
    """A CSS ``content`` value from a message holding :func:`page_counter` marks: its text
    quoted as :func:`css_string` does, each mark the counter (``"Page " counter(page) " of "
    counter(pages)``)."""
    text = value.unescape() if isinstance(value, Markup) else str(value)
    parts: list[str] = []
    position = 0
    for mark in _COUNTER_MARK.finditer(text):
        if mark.start() > position:
            parts.append(css_string(text[position : mark.start()]))
        parts.append(f"counter({mark.group(1)})")
        position = mark.end()
    if position < len(text) or not parts:
        parts.append(css_string(text[position:]))
    return Markup(" ".join(parts))


# What each of the package's icons shows, for alt text ("Picture: tell adult"), as a message
# a translator renders (the English is the file name's words, as the PDFs have always said,
# but for stop-think: it is drawn as a stop sign, and its old name is kept for the files that
# name it); an icon a school adds is named by its file name.
ICON_NAMES: dict[str, str] = {
    "ask-first": N_("ask first"),
    "camera": N_("camera"),
    "check-source": N_("check source"),
    "kind": N_("kind"),
    "lock": N_("lock"),
    "meet-safe": N_("meet safe"),
    "private": N_("private"),
    "screen-time": N_("screen time"),
    "stop-think": N_("stop sign"),
    "tell-adult": N_("tell adult"),
}


def icon_name(icon: str) -> str:
    """What ``icon`` shows, in the language being written."""
    known = ICON_NAMES.get(icon)
    return messages.gettext(known) if known is not None else icon.replace("-", " ")


def gift_text(value: Any) -> str:
    """Text for Moodle GIFT: its markup characters backslash-escaped, and the HTML specials
    that Moodle would otherwise read as tags turned into entities."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\~=#{}:])", r"\\\1", text)
    return " ".join(text.split())  # a GIFT question or answer is one line


# What one `*` or `**` in a template may make: `{{ 'x' * 10**10 }}` would fill the memory.
MAX_REPEATED = 1_000_000  # characters or items
MAX_EXPONENT = 256


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse a multiplication or power in a template whose result would be huge."""
    if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
        raise jinja2.exceptions.SecurityError(
            _("a power of more than %(max_exponent)s is not allowed in a template")
            % {"max_exponent": MAX_EXPONENT}
        )
    for sequence, count in ((left, right), (right, left)):
        if (
            operator == "*"
            and isinstance(sequence, str | bytes | list | tuple)
            and isinstance(count, int)
            and len(sequence) * count > MAX_REPEATED
        ):
            raise jinja2.exceptions.SecurityError(
                _(
                    "repeating a value to more than %(max_repeated)s characters or items "
                    "is not allowed in a template"
                )
                % {"max_repeated": f"{MAX_REPEATED:,}"}
            )


class BoundedSandbox(jinja2.sandbox.SandboxedEnvironment):
    """Jinja's sandbox with `*` and `**` bounded (the theme's templates, which MkDocs renders,
    use it too)."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        _check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)


class _Sandbox(BoundedSandbox, jinja2.sandbox.ImmutableSandboxedEnvironment):
    """Immutable too: policypress's templates change no value they are given."""


class UnsafeTemplate(jinja2.TemplateError):
    """A template that is not a regular file inside the templates folder, or is too large."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(problem)
        self.path = path
        self.problem = problem


class _RegularFileLoader(jinja2.FileSystemLoader):
    """Checks each template before Jinja opens it: a FIFO among the templates would hang the
    build, and a symlink could render a file from elsewhere on the machine. The folders are
    searched in order (a project's templates/, then the package's), and the first that has
    the name is the one checked and read, as Jinja's own search finds it."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        for folder in self.searchpath:
            path = Path(folder, *jinja2.loaders.split_template_path(template))
            if not os.path.lexists(path):
                continue
            found = refusal(path, [Path(folder).resolve()])
            if found is not None:
                raise UnsafeTemplate(path, refusal_message(found))
            if path.is_file() and path.stat().st_size > MAX_TEXT_BYTES:
                raise UnsafeTemplate(
                    path,
                    _("template is larger than %(limit)s MB")
                    % {"limit": MAX_TEXT_BYTES // (1024 * 1024)},
                )
            break
        return super().get_source(environment, template)


def create_environment(
    templates: Path | Sequence[Path],
    *,
    autoescape: bool = True,
    cache: Path | None = None,
) -> jinja2.Environment:
    """Autoescaped for HTML and XML; ``autoescape=False`` only for GIFT text templates, whose
    every value goes through the ``gift`` filter instead. ``templates``: one folder, or the
    folders to search in order (``Project.template_folders``). ``cache`` keeps compiled
    templates between runs (Jinja checks each against its source; each is sealed, see
    bytecode.py)."""
    bytecode_cache = None
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        bytecode_cache = SealedBytecodeCache(str(cache))
    folders = [templates] if isinstance(templates, Path) else list(templates)
    env = _Sandbox(
        bytecode_cache=bytecode_cache,
        loader=_RegularFileLoader(folders),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # looked up at each call, not bound here: the language is the build's, not the
    # environment's (a group build renders every school's language with one environment)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        messages.gettext, messages.ngettext, newstyle=True
    )
    env.filters["long_date"] = long_date
    env.filters["md"] = markdown_text
    env.filters["css_string"] = css_string
    env.filters["css_content"] = css_content
    env.filters["icon_name"] = icon_name
    env.filters["tel"] = phone_href
    # ``dir`` for a page or PDF in a language: Urdu and Arabic are laid out right to left.
    env.filters["direction"] = text_direction
    env.globals["page_counter"] = page_counter
    env.filters["confirmed"] = shown  # 'to-confirm' reads "to be confirmed"
    env.filters["letter"] = lambda index: "ABCDEFGHIJ"[int(index)]
    env.filters["gift"] = gift_text
    env.filters["gift_number"] = lambda number: f"{float(number):.5f}".rstrip("0").rstrip(".")
    return env


def phone_href(number: str) -> str:
    """A ``tel:`` link for a phone number as a school writes it ("01632 960410",
    "+44 (0)1632 960410"): the digits, with a leading + kept, so a tap on a phone dials it."""
    digits = "".join(ch for ch in number.replace("(0)", "") if ch.isdigit())
    return f"tel:{'+' if number.strip().startswith('+') else ''}{digits}"


def sandbox_refusal(exc: jinja2.exceptions.SecurityError) -> str:
    """What a template that reached for Python's internals is told (here and in the theme's
    templates, which MkDocs renders)."""
    return _(
        "template error: %(exc)s; a template may not reach Python's internals or make a huge "
        "value, so the build stops here and runs nothing from this template"
    ) % {"exc": str(exc).rstrip(".")}


class TemplateFailure(Exception):
    """A template could not be loaded or rendered; already reported to diagnostics."""


def render_template(env: jinja2.Environment, name: str, diags: Diagnostics, **context: Any) -> str:
    """Render ``name``, turning template mistakes into ``path:line`` diagnostics."""
    loader = env.loader
    root = Path(loader.searchpath[0]) if isinstance(loader, jinja2.FileSystemLoader) else Path()
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        path = Path(exc.filename) if exc.filename else root / name
        diags.error(
            path,
            Position(exc.lineno or 1, 1),
            _("template error: %(message)s") % {"message": exc.message},
        )
    except UnsafeTemplate as exc:
        refuse(diags, exc.path, exc.problem)
    except jinja2.TemplateNotFound as exc:
        diags.error(root / str(exc.name), WHOLE_FILE, _("template not found"))
    except jinja2.exceptions.SecurityError as exc:
        path, line = _template_place(exc, root / name)
        diags.error(path, Position(line, 1), sandbox_refusal(exc))
    except jinja2.TemplateError as exc:
        path, line = _template_place(exc, root / name)
        diags.error(path, Position(line, 1), _("template error: %(exc)s") % {"exc": exc})
    raise TemplateFailure(name)


def _template_place(exc: BaseException, default: Path) -> tuple[Path, int]:
    """The template file and line in a traceback of a runtime template error (Jinja2 rewrites
    frames to point at the template), innermost first: the error may be in an included one."""
    path, line = default, 1
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            path, line = Path(filename), tb.tb_lineno
        tb = tb.tb_next
    return path, line
