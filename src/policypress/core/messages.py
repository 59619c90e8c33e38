"""The words policypress itself writes, in the reader's language: gettext catalogues.

Every sentence a person reads that is not the school's own content (page titles, "Version",
"Approved by", form and poster wording, quiz texts, build reports) is a message in the
catalogue ``policypress/locale/messages.pot``; each language is a ``<code>/LC_MESSAGES/
messages.po`` beside it. English is the source language: its catalogue has no translations,
so every English message reads exactly as written in the code and templates.

How a language is chosen: the build says which language it writes (the school's
``language``) with :func:`use_language`; :func:`gettext` and :func:`ngettext` (and the
templates' ``_()``, ``ngettext()`` and ``{% trans %}``, see outputs/templating.py) answer in
it. A message a catalogue lacks falls back to English, and :func:`missing` lists those
messages so that ``check`` can name them. A project may add or correct messages in its own
``translations/<code>/LC_MESSAGES/messages.po``, which is read before the package's.

The ``.po`` files are read directly (parsed with Babel and turned into a gettext catalogue in
memory, once per language and folder) rather than compiled to ``.mo`` files: a compiled file
is a second copy that can go stale beside its source, needs a build step an editable install
skips, and would be a binary file in every project that corrects a string. Reading a .po
costs a few milliseconds per build, and the result is the same on every machine.
"""

from __future__ import annotations

import contextvars
import gettext as stdlib_gettext
import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from babel import Locale
    from babel.messages.catalog import Catalog

# Babel is imported where a catalogue is first read, not here: diagnostics import this module,
# and a command that prints nothing translated should not pay for Babel's import.

LOCALE_FOLDER = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"

Direction = Literal["ltr", "rtl"]


def catalogue_codes(language: str) -> list[str]:
    """The catalogue folders to look in for a BCP 47 tag, most specific first: ``en-GB`` →
    ``en_GB``, ``en``; ``pa-Arab-PK`` → ``pa_Arab_PK``, ``pa_Arab``, ``pa``."""
    parts = [part for part in language.replace("_", "-").split("-") if part]
    if not parts:
        return []
    parts[0] = parts[0].lower()
    return ["_".join(parts[:count]) for count in range(len(parts), 0, -1)]


def _po_path(folder: Path, code: str) -> Path:
    return folder / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=64)
def _read_catalogue(path: Path, mtime_ns: int) -> tuple[bytes, Catalog]:
    """One .po file as a gettext catalogue (``mtime_ns`` keys the cache, so an edited file is
    read again in a long-running process such as ``serve``)."""
    del mtime_ns
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, domain=DOMAIN)
    compiled = io.BytesIO()
    # untranslated and fuzzy messages are left out, so that they fall back to English
    write_mo(compiled, catalog, use_fuzzy=False)
    return compiled.getvalue(), catalog


MAX_CATALOGUE_BYTES = 4 * 1024 * 1024


class UnsafeCatalogue(ValueError):
    """A project's catalogue that is a link, not a regular file, or too large: read, it could
    hang the build (a FIFO) or bring in a file from elsewhere on the machine."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def _checked(path: Path) -> Path:
    if path.is_symlink():
        raise UnsafeCatalogue(path, gettext("a catalogue may not be a symbolic link"))
    if not path.is_file():
        raise UnsafeCatalogue(path, gettext("a catalogue must be a regular file"))
    if path.stat().st_size > MAX_CATALOGUE_BYTES:
        raise UnsafeCatalogue(path, gettext("a catalogue may not be larger than 4 MB"))
    return path


def _catalogues(language: str, project: Path | None) -> list[tuple[Path, Catalog, bytes]]:
    """The .po files that hold ``language``'s messages, the project's before the package's."""
    found: list[tuple[Path, Catalog, bytes]] = []
    folders = ([project] if project is not None else []) + [LOCALE_FOLDER]
    for folder in folders:
        for code in catalogue_codes(language):
            if folder == LOCALE_FOLDER and code.split("_")[0] == SOURCE_LANGUAGE:
                continue  # the package's English translates nothing: each message is its own
            path = _po_path(folder, code)
            if folder == project and (path.exists() or path.is_symlink()):
                _checked(path)  # the project's own files are the school's to edit
            if path.is_file():
                compiled, catalog = _read_catalogue(path, path.stat().st_mtime_ns)
                found.append((path, catalog, compiled))
    return found


@dataclass(frozen=True)
class Messages:
    """The catalogue of one language: gettext, ngettext, and what the language needs of a page."""

    language: str
    translations: stdlib_gettext.NullTranslations

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translations.ngettext(singular, plural, count)

    @property
    def direction(self) -> Direction:
        """Which way the language is written (``rtl`` for Urdu, Arabic), for ``dir`` on pages."""
        return text_direction(self.language)


def messages_for(language: str, project: Path | None = None) -> Messages:
    """The messages in ``language``: the project's own translations first (``project`` is its
    ``translations/`` folder), then the package's, then English."""
    chain: stdlib_gettext.NullTranslations = stdlib_gettext.NullTranslations()
    for _path, _catalog, compiled in reversed(_catalogues(language, project)):
        # each catalogue answers only what the one before it in the chain lacks
        layer = stdlib_gettext.GNUTranslations(io.BytesIO(compiled))
        layer.add_fallback(chain)
        chain = layer
    return Messages(language, chain)


def terminal_language(environ: Mapping[str, str]) -> str:
    """The language the person at the terminal reads, chosen as gettext programs choose it:
    the first language of ``LANGUAGE`` (a colon-separated list), then the first of
    ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set, which policypress has a catalogue
    for; English otherwise (``C`` and ``POSIX`` mean English). The command line speaks it;
    what a build writes is in the school's language."""
    candidates = environ.get("LANGUAGE", "").split(":")
    setting = next((environ[n] for n in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(n)), "")
    for value in (*candidates, setting):
        tag = value.split(".")[0].split("@")[0]  # cy_GB.UTF-8@euro → cy_GB
        if tag in ("", "C", "POSIX"):
            continue
        codes = catalogue_codes(tag)
        if codes[-1] == SOURCE_LANGUAGE:
            return SOURCE_LANGUAGE
        if any(_po_path(LOCALE_FOLDER, code).is_file() for code in codes):
            return tag.replace("_", "-")
    return SOURCE_LANGUAGE


def missing(language: str, project: Path | None = None) -> list[str]:
    """The messages of the template catalogue that ``language`` does not translate (so they
    are shown in English), in the catalogue's order. English lacks nothing."""
    if not catalogue_codes(language) or catalogue_codes(language)[-1] == SOURCE_LANGUAGE:
        return []
    from babel.messages.pofile import read_po

    with (LOCALE_FOLDER / f"{DOMAIN}.pot").open("rb") as handle:
        template = read_po(handle, domain=DOMAIN)
    translated: set[str] = set()
    for _path, catalog, _compiled in _catalogues(language, project):
        for message in catalog:
            if message.id and not message.fuzzy and _is_translated(message.string):
                translated.add(_key(message.id))
    return [
        _key(message.id)
        for message in template
        if message.id and _key(message.id) not in translated
    ]


def _key(message_id: str | tuple[str, ...] | list[str]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def _is_translated(string: object) -> bool:
    if isinstance(string, str):
        return bool(string)
    return isinstance(string, tuple | list) and all(string)


def text_direction(language: str) -> Direction:
    """``rtl`` for a language written right to left (CLDR's character order), else ``ltr``."""
    return "rtl" if cldr_locale(language).character_order == "right-to-left" else "ltr"


@lru_cache(maxsize=32)
def cldr_locale(language: str) -> Locale:
    """The CLDR locale for a BCP 47 tag (``en-GB``, ``pa-Arab``), its language alone when
    CLDR has no data for the whole tag, and English when it has none for the language: what
    a page's direction and its dates (core/dates.py) are taken from."""
    from babel import Locale, UnknownLocaleError

    for tag in (language, language.split("-")[0], SOURCE_LANGUAGE):
        try:
            return Locale.parse(tag.replace("_", "-"), sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    return Locale(SOURCE_LANGUAGE)


# The language being written now: set per build (or per school of a group build) by
# use_language; English until then, so tools and tests that set nothing read English.
_current: contextvars.ContextVar[Messages | None] = contextvars.ContextVar(
    "policypress_messages", default=None
)


def current() -> Messages:
    """The messages of the language being written now."""
    messages = _current.get()
    return messages if messages is not None else _source_messages()


@lru_cache(maxsize=1)
def _source_messages() -> Messages:
    return messages_for(SOURCE_LANGUAGE)


@contextmanager
def use_language(language: str, project: Path | None = None) -> Iterator[Messages]:
    """Write in ``language`` inside the ``with`` block (the project's ``translations/``
    folder first, if it has one)."""
    token = _current.set(messages_for(language, project))
    try:
        yield current()
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    """``message`` in the language being written now (imported as ``_``)."""
    return current().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural ``message`` for ``count``, by the language's own plural rule."""
    return current().ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined (a table built at import) and
    returns it unchanged: it is translated where it is used, with :func:`gettext`."""
    return message


_ = gettext
