"""What a web address written into a page or a site setting may hold.

An address the site prints into its HTML (the canonical link, the sitemap, every PDF's link
back to the site) is printed inside an attribute or a script's string. A quote, an angle
bracket, a backslash, a space or a control character there would end the attribute or string
and start markup of the writer's choosing, so such an address is refused rather than escaped:
no real school's address needs one (a space in a path is written %20).

What a link in a policy may go to is one list, :data:`LINK_SCHEMES`, read by ``check`` and by
the importer alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

# The addresses a link in a policy may go to (besides a clause of a policy). Not http://:
# every page policypress publishes is served over https, and a plain http link sends a parent
# on to a page anyone on the network between them can read and change (browsers warn of it or
# rewrite it); a school can always write the https:// address instead.
LINK_SCHEMES = ("https://", "mailto:", "tel:")
MAX_ADDRESS = 2000  # longer than any address a browser keeps in its address bar
# Characters that end an attribute or a script string, and the ones a browser drops or a
# terminal obeys (every control character, DEL and the C1 controls).
UNSAFE = re.compile(r"[\"'<>`\\\s\x00-\x1f\x7f-\x9f]")


def unsafe_characters(value: str) -> str:
    """The characters in ``value`` that could end an attribute or a script string, as a
    readable list (empty when there are none)."""
    found = sorted(set(UNSAFE.findall(value)))
    return " ".join(
        repr(c)[1:-1] if c.isprintable() and c != " " else f"U+{ord(c):04X}" for c in found
    )


class AddressFault(Enum):
    """Which thing is wrong with a web address; each message site words it as a whole
    sentence of its own (see content/schema.py and outputs/site/configsafety.py)."""

    TOO_LONG = "too-long"
    UNSAFE_CHARACTERS = "unsafe-characters"
    UNPARSEABLE = "unparseable"
    NOT_WEB = "not-web"


@dataclass(frozen=True)
class WebAddressProblem:
    """What is wrong with a web address, with what the sentence about it names."""

    fault: AddressFault
    characters: str = ""  # UNSAFE_CHARACTERS: the characters, as :func:`unsafe_characters`
    # UNPARSEABLE: urllib's own message (the standard library's words, not ours)
    detail: str = ""


def web_address_problem(value: str) -> WebAddressProblem | None:
    """What is wrong with ``value`` as an absolute http(s) address safe to print, or None."""
    if len(value) > MAX_ADDRESS:
        return WebAddressProblem(AddressFault.TOO_LONG)
    bad = unsafe_characters(value)
    if bad:
        return WebAddressProblem(AddressFault.UNSAFE_CHARACTERS, characters=bad)
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        return WebAddressProblem(AddressFault.UNPARSEABLE, detail=str(exc))
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return WebAddressProblem(AddressFault.NOT_WEB)
    return None


def is_link_address(target: str) -> bool:
    """Whether a link in a policy may go to ``target``: an address starting with one of
    :data:`LINK_SCHEMES` (a scheme in any case, as browsers read it: ``HTTPS://`` too)."""
    return target[: max(map(len, LINK_SCHEMES))].casefold().startswith(LINK_SCHEMES)
