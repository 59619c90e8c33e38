"""A YAML mapping rewritten with new values, keeping what a person wrote around them.

YAML's loaders drop comments, so dumping the new values would lose every comment a school
wrote in its ``school.yml``. Instead the file is cut into its top-level keys, each with the
comment lines above it: a key whose value did not change is written back exactly as it was
(its comments, quoting and layout with it); a changed key is written anew under its own
comments. Comments inside a changed value are lost, which the form says. Where the file
cannot be cut this way (anchors and aliases between keys, flow style, several documents),
the result would not read back as the new values, and the whole mapping is dumped instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

# A top-level key: at the start of the line, not a comment, a list item or a document marker.
_KEY = re.compile(r"(?:[A-Za-z_][\w-]*|\"[^\"\n]*\"|'[^'\n]*')[ \t]*:(?:[ \t]|$)")


@dataclass
class _Block:
    above: list[str] = field(default_factory=list)  # comment and blank lines before the key
    lines: list[str] = field(default_factory=list)  # the key's line and its value's


def _blocks(text: str) -> tuple[list[str], dict[str, _Block], list[str]]:
    """The lines before the first key's comments, each key's block, and the lines after the
    last key's value that are comments or blank."""
    head: list[str] = []
    blocks: dict[str, _Block] = {}
    pending: list[str] = []
    current: _Block | None = None
    for line in text.splitlines(keepends=True):
        bare = line.rstrip("\r\n")
        if _KEY.match(bare):
            key = yaml.safe_load(bare.split(":", 1)[0] + ": null")
            name = str(next(iter(key))) if isinstance(key, dict) and key else bare
            current = blocks[name] = _Block(above=pending, lines=[line])
            pending = []
        elif current is None:
            head.append(line)  # what the file begins with (what it is, who wrote it)
        elif bare[:1] in {"#", ""}:
            # a comment or blank line at the margin: it belongs to the next key, if any
            pending.append(line)
        else:
            current.lines += [*pending, line]
            pending = []
    return head, blocks, pending


def rewritten(
    original: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    dump: Callable[[Mapping[str, Any]], str],
) -> str:
    """``original`` (whose values are ``old``) with the values of ``new``, in ``new``'s key
    order: unchanged keys as written, changed and new keys dumped by ``dump`` (one key's
    mapping in, its YAML out), comments kept above each key."""
    head, blocks, tail = _blocks(original)
    out = list(head)
    for key, value in new.items():
        block = blocks.get(key)
        if block is not None:
            out += block.above
            if key in old and old[key] == value:
                out += block.lines
                continue
        out.append(dump({key: value}))
    out += tail
    text = "".join(out)
    if not text.endswith("\n"):
        text += "\n"
    try:
        reads_back = yaml.safe_load(text) == dict(new)
    except yaml.YAMLError:
        reads_back = False
    return text if reads_back else dump(new)
