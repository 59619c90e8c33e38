"""Safe YAML loading that remembers where every key and value came from.

PyYAML's composer gives nodes with source marks; we build plain Python data from those nodes
ourselves (only the safe, standard tags) and keep a map from each key path to its position, so
schema errors can point at the exact line and column.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from policypress.core.diagnostics import Diagnostics, KeyPath, Position
from policypress.core.messages import gettext as _
from policypress.core.messages import ngettext
from policypress.core.safefile import MAX_TEXT_BYTES, read_bytes

# libyaml's composer is about ten times faster than PyYAML's pure-Python one and keeps the
# same line:col marks on every node; fall back when PyYAML was built without it.
_COMPOSER: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAX_DEPTH = 50
# Far more values than any content file holds (the sample's largest has a few hundred), so
# only a mistaken or hostile file meets it, and then in well under a second.
MAX_NODES = 200_000
_REWORD_LIMIT = 50_000
# An alias of a single value is read (old ``approve`` output has them for a repeated date), but
# the file with every alias written out may be no longer than a content file may be, so one
# large value aliased thousands of times (gigabytes once copied) is refused before it is built.
MAX_EXPANDED = MAX_TEXT_BYTES


@dataclass
class YamlDocument:
    """Loaded data plus positions: ``values`` of each path's value, ``keys`` of each mapping key."""

    path: Path
    data: Any
    values: dict[KeyPath, Position] = field(default_factory=dict)
    keys: dict[KeyPath, Position] = field(default_factory=dict)

    def position(self, key_path: KeyPath, *, of_key: bool = False) -> Position:
        """Position of the longest prefix of ``key_path`` that we know about."""
        table = self.keys if of_key else self.values
        for end in range(len(key_path), -1, -1):
            prefix = key_path[:end]
            if prefix in table:
                return table[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return Position(1, 1)


def _mark(node: Node, line_offset: int) -> Position:
    return Position(node.start_mark.line + 1 + line_offset, node.start_mark.column + 1)


class _Builder:
    def __init__(self, doc: YamlDocument, diags: Diagnostics, line_offset: int) -> None:
        self.doc = doc
        self.diags = diags
        self.line_offset = line_offset
        self.constructor = SafeConstructor()

    def error(self, node: Node, message: str) -> None:
        pos = _mark(node, self.line_offset)
        self.diags.error(self.doc.path, pos, message)

    def build(self, node: Node, path: KeyPath, depth: int = 0) -> Any:
        self.doc.values[path] = _mark(node, self.line_offset)
        if depth > _MAX_DEPTH:
            self.error(
                node,
                _("nesting deeper than %(limit)s levels (a recursive alias?)")
                % {"limit": _MAX_DEPTH},
            )
            return None
        if isinstance(node, MappingNode):
            return self.build_mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ_TAG:
                self.error(node, _("unsupported YAML tag '%(tag)s' on a list") % {"tag": node.tag})
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self.build_scalar(node)

    def build_mapping(self, node: MappingNode, path: KeyPath, depth: int) -> dict[Any, Any]:
        if node.tag != _MAP_TAG:
            self.error(node, _("unsupported YAML tag '%(tag)s' on a mapping") % {"tag": node.tag})
        result: dict[Any, Any] = {}
        first_seen: dict[Any, Position] = {}
        for key_node, value_node in node.value:
            key = self.build_scalar(key_node) if isinstance(key_node, ScalarNode) else None
            key_pos = _mark(key_node, self.line_offset)
            if key is None or isinstance(key, (list, dict)):
                self.error(
                    key_node, _("a key must be plain text, found a list, mapping or empty key")
                )
                continue
            if key == "<<":
                self.error(
                    key_node, _("YAML merge keys ('<<') are not supported; write the keys out")
                )
                continue
            if key in first_seen:
                self.error(
                    key_node,
                    _(
                        "duplicate key '%(key)s' (first given at line %(line)s); expected each "
                        "key once"
                    )
                    % {"key": key, "line": first_seen[key].line},
                )
                continue
            first_seen[key] = key_pos
            child = (*path, str(key))
            self.doc.keys[child] = key_pos
            result[str(key)] = self.build(value_node, child, depth + 1)
        return result

    def build_scalar(self, node: Node) -> Any:
        try:
            return self.constructor.construct_object(node, deep=True)
        except ConstructorError as exc:
            # PyYAML's own words for the problem: a third party's message, not ours to catalogue
            self.error(node, _("cannot read value: %(problem)s") % {"problem": exc.problem or exc})
        except ValueError as exc:
            # The resolver recognised a timestamp such as 2024-13-45 that is not a real date;
            # the problem is Python's datetime message, a third party's words.
            self.error(
                node,
                _("invalid date '%(date)s': %(problem)s; expected YYYY-MM-DD")
                % {"date": node.value, "problem": exc},
            )
        return None


# A group of schools reads the same model files once for every school: a process keeps each
# document it parsed without a problem (one with problems is parsed again, to report them).
_PARSED_LIMIT = 1024
_parsed: OrderedDict[tuple[Path, int, str], YamlDocument] = OrderedDict()


def parse_yaml(
    text: str, path: Path, diags: Diagnostics, *, line_offset: int = 0
) -> YamlDocument | None:
    """Parse one YAML document; report problems to ``diags`` and return None if it is unusable."""
    key = (path, line_offset, text)
    found = _parsed.get(key)
    if found is None:
        reported = len(diags.errors) + len(diags.warnings)
        doc = _parse_yaml(text, path, diags, line_offset)
        if doc is None or len(diags.errors) + len(diags.warnings) != reported:
            return doc
        _parsed[key] = found = doc
        if len(_parsed) > _PARSED_LIMIT:
            _parsed.popitem(last=False)
    else:
        _parsed.move_to_end(key)
    # Each reader gets its own copy, so nothing one school's reading does reaches another's.
    return YamlDocument(path, copy.deepcopy(found.data), dict(found.values), dict(found.keys))


def _parse_yaml(text: str, path: Path, diags: Diagnostics, line_offset: int) -> YamlDocument | None:
    if _unbounded(text, path, diags, line_offset):
        return None
    try:
        try:
            node = yaml.compose(text, Loader=_COMPOSER)
        except yaml.YAMLError as exc:
            node = _reword(text, exc)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else 1
        col = (mark.column + 1) if mark else 1
        # PyYAML's own description of the problem and its context, which it words in English
        problem = exc.problem or _("invalid YAML")
        indentation = "block" in problem or "indent" in problem
        if exc.context and indentation:
            message = _("invalid YAML: %(problem)s (%(context)s); check the indentation")
        elif exc.context:
            message = _("invalid YAML: %(problem)s (%(context)s)")
        elif indentation:
            message = _("invalid YAML: %(problem)s; check the indentation")
        else:
            message = _("invalid YAML: %(problem)s")
        diags.error(
            path, Position(line, col), message % {"problem": problem, "context": exc.context}
        )
        return None
    except yaml.YAMLError as exc:
        diags.error(
            path, Position(1 + line_offset, 1), _("invalid YAML: %(problem)s") % {"problem": exc}
        )
        return None
    doc = YamlDocument(path=path, data=None)
    if node is None:
        return doc
    before = len(diags.errors)
    doc.data = _Builder(doc, diags, line_offset).build(node, ())
    return doc if len(diags.errors) == before else None


def _reword(text: str, error: yaml.YAMLError) -> Node | None:
    """PyYAML's own parser words its errors better ("expected <block end>, but found …"), so
    the rare broken file is parsed again with it for the message; it recurses once per level,
    so where libyaml refused deep nesting, libyaml's own message is kept."""
    if len(text) > _REWORD_LIMIT:
        raise error  # the pure-Python parser takes seconds per 100 KB
    try:
        node: Node | None = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise error from None
    return node


def _unbounded(text: str, path: Path, diags: Diagnostics, line_offset: int) -> bool:
    """Report the first alias of a list or mapping (or, with none, the first such anchor), an
    alias of a value that makes the file too long once written out, or too many values, found
    in the parser's events before any node is composed or any data built. The composer shares
    an aliased node, but building data from nested aliases ("billion laughs") copies it
    exponentially often. Old ``approve`` output has aliases of a single value (a repeated
    date), so those are read while the file with them written out is no longer than a content
    file may be. Broken YAML is left to the composer, which words the error."""
    if len(text) < MAX_NODES and "&" not in text and "*" not in text:
        return False  # each value takes at least a character: nothing to find
    first: yaml.Event | None = None
    collections: set[str] = set()
    scalars: dict[str, int] = {}  # anchor → length of the single value it names
    aliases = nodes = 0
    expanded = len(text)
    try:
        for event in yaml.parse(text, Loader=_COMPOSER):
            if isinstance(event, yaml.AliasEvent) and event.anchor in collections:
                aliases += 1
                first = event if aliases == 1 else first
            elif isinstance(event, yaml.AliasEvent) and event.anchor in scalars:
                # Each alias of a value stands for a copy of it wherever the data goes next.
                expanded += scalars[event.anchor]
                if expanded > MAX_EXPANDED:
                    _error_at(event, path, diags, line_offset, _too_large(event.anchor))
                    return True
            elif isinstance(event, yaml.CollectionStartEvent) and event.anchor is not None:
                collections.add(event.anchor)
                first = first or event
            elif isinstance(event, yaml.ScalarEvent) and event.anchor is not None:
                scalars[event.anchor] = len(event.value)
            nodes += isinstance(event, yaml.NodeEvent)
            if nodes > MAX_NODES:
                _error_at(event, path, diags, line_offset, _too_many())
                return True
    except yaml.YAMLError:
        pass
    if first is None:
        return False
    name = getattr(first, "anchor", "")
    if aliases > 1:
        message = ngettext(
            "YAML alias '*%(name)s' found (and %(more)s more); policypress content does not "
            "use anchors and aliases of lists or mappings, write the value out",
            "YAML alias '*%(name)s' found (and %(more)s more); policypress content does not "
            "use anchors and aliases of lists or mappings, write the value out",
            aliases - 1,
        ) % {"name": name, "more": aliases - 1}
    elif aliases:
        message = _(
            "YAML alias '*%(name)s' found; policypress content does not use anchors and "
            "aliases of lists or mappings, write the value out"
        ) % {"name": name}
    else:
        message = _(
            "YAML anchor '&%(name)s' found; policypress content does not use anchors and "
            "aliases of lists or mappings, write the value out"
        ) % {"name": name}
    _error_at(first, path, diags, line_offset, message)
    return True


def _too_many() -> str:
    # the limit grouped in thousands ("100,000"), to be read at a glance
    return _(
        "more than %(limit)s values in one file; expected a content file far smaller than "
        "this: split it, or remove what was pasted in by mistake"
    ) % {"limit": f"{MAX_NODES:,}"}


def _too_large(anchor: str | None) -> str:
    return _(
        "YAML alias '*%(anchor)s' makes this file more than %(limit)s characters long once "
        "every alias is written out; expected a content file far smaller than this: write the "
        "value out once, without anchors and aliases"
    ) % {"anchor": anchor, "limit": f"{MAX_EXPANDED:,}"}


def _error_at(
    event: yaml.Event, path: Path, diags: Diagnostics, line_offset: int, message: str
) -> None:
    mark = event.start_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    diags.error(path, Position(line + line_offset, col), message)


def read_yaml(path: Path, diags: Diagnostics) -> tuple[str, YamlDocument] | None:
    """Read and parse one YAML file: its text as read and the document, with the position
    of every key and value; None after reporting why it cannot be read or parsed."""
    text = read_text(path, diags)
    doc = parse_yaml(text, path, diags) if text is not None else None
    return (text, doc) if text is not None and doc is not None else None


def read_text(path: Path, diags: Diagnostics) -> str | None:
    """Read a UTF-8 text file, reporting unreadable, oversized or non-UTF-8 files, and
    anything that is not a regular file inside the project, instead of raising or hanging."""
    raw = read_bytes(path, diags)
    return decode_text(raw, path, diags) if raw is not None else None


def decode_text(raw: bytes, path: Path, diags: Diagnostics) -> str | None:
    """A text file's bytes as text, its newlines as '\\n'; None after reporting the first
    byte that is not UTF-8."""
    text = decode_utf8(
        raw, path, diags, _("file is not valid UTF-8 (byte 0x%(byte)02x); save it as UTF-8 text")
    )
    return None if text is None else text.replace("\r\n", "\n").replace("\r", "\n")


def decode_utf8(raw: bytes, path: Path, diags: Diagnostics, sentence: str) -> str | None:
    """``raw`` as text (a byte-order mark dropped), or None after reporting the first byte
    that is not UTF-8 at its line and column. ``sentence`` is the whole message, already in
    the reader's language, with a ``%(byte)02x`` placeholder for the byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        diags.error(
            path,
            Position(line, col),
            sentence % {"byte": raw[exc.start]},
        )
        return None
