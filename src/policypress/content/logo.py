"""The school's logo: a file that is what its name says, and an SVG that cannot run script.

The logo is copied to the site as is and served from the school's own address, so a scripted
SVG opened directly (or used as the favicon) would run on the school's domain; WeasyPrint also
draws it into every PDF, and would fetch any external file it points at while building. So an
SVG must be plain drawing: no script, no event handlers, no links or styles that leave the file.
"""

from __future__ import annotations

import re
import struct
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from policypress.core.messages import gettext as _

MAX_BYTES = 1_000_000
MAX_SIDE = 10_000  # pixels; larger is a mistake (or a decompression bomb), not a logo
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SVG_ROOT = "{http://www.w3.org/2000/svg}svg"
_XLINK = "{http://www.w3.org/1999/xlink}"
# Elements that run script or embed a whole HTML document (which may itself run script).
_SCRIPTED = {"script": "<script>", "foreignobject": "<foreignObject>"}
# Animation elements can set an attribute later, e.g. <set attributeName="href" to="javascript:…">.
_ANIMATIONS = {"set", "animate", "animatemotion", "animatetransform", "animatecolor", "discard"}
# The attributes that give an animation its values; one holding a URL could be a link target.
_ANIMATION_VALUES = {"to", "from", "by", "values"}
# A URL scheme at the start of a value (or of one of an animation's ;-separated values).
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)
# In CSS: an escape (hex digits and one optional space, an escaped line break, or any one
# character), and what fetches a file or runs script once the escapes are decoded.
_CSS_ESCAPE = re.compile(
    r"\\(?:([0-9a-fA-F]{1,6})(?:\r\n|[ \t\r\n\f])?|(\r\n|[\r\n\f])|(.))", re.DOTALL
)
_CSS_RISKS = {
    "@import": "@import",
    "expression(": "expression(…)",
    "javascript:": "javascript:",
    "behavior:": "behavior:",
    "-moz-binding": "-moz-binding",
}
_URL_FUNCTION = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
# What browsers ignore at the start of a URL, so " javascript:" is still javascript:.
_URL_LEADING = "".join(chr(c) for c in range(0x21))


def logo_data_problems(data: bytes, suffix: str) -> list[str]:
    """What is wrong with a logo already read (at most ``MAX_BYTES`` + 1 of its bytes), named
    with ``suffix`` (``.png`` or ``.svg``), each as "<what was found>; expected <what>" to
    follow "logo '<name>' "; empty when it is a sane PNG or a plain SVG."""
    if len(data) > MAX_BYTES:
        return [
            _("is larger than %(limit)s MB; expected a smaller image")
            % {"limit": MAX_BYTES // 1_000_000}
        ]
    if suffix.lower() == ".png":
        return png_problems(data)
    return svg_problems(data)


def png_problems(data: bytes) -> list[str]:
    if not data.startswith(_PNG_SIGNATURE):
        return [
            _("is named .png but contains %(kind)s; expected a PNG image") % {"kind": sniff(data)}
        ]
    # The first chunk must be IHDR (13 bytes): width and height are its first two numbers.
    if len(data) < 33 or data[12:16] != b"IHDR" or data[8:12] != b"\x00\x00\x00\x0d":
        return [_("is a damaged PNG (no image header); expected a complete PNG image")]
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        return [
            _(
                "is a PNG of %(width)s×%(height)s pixels; expected each side between 1 "
                "and %(max_side)s pixels"
            )
            % {"width": width, "height": height, "max_side": MAX_SIDE}
        ]
    return []


def sniff(data: bytes) -> str:
    """A few words on what a file that is not what its name says looks like."""
    if not data:
        return _("nothing (the file is empty)")
    if data.startswith(b"\xff\xd8\xff"):
        return _("a JPEG image")
    if data.startswith((b"GIF87a", b"GIF89a")):
        return _("a GIF image")
    if data.startswith(_PNG_SIGNATURE):
        return _("a PNG image")
    if data.lstrip().startswith(b"<"):
        return _("text that looks like XML or HTML")
    try:
        data[:512].decode("utf-8")
    except UnicodeDecodeError:
        return _("data of an unknown kind")
    return "text"


def svg_problems(data: bytes) -> list[str]:
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return [
            _("is named .svg but contains %(kind)s; expected an SVG image (XML)")
            % {"kind": sniff(data)}
        ]
    # ElementTree drops processing instructions, so look for this one in the bytes.
    if re.search(rb"<\?xml-stylesheet", data, re.IGNORECASE):
        return [
            _(
                "has an <?xml-stylesheet?> instruction, which loads a style sheet from "
                "another file; expected an SVG with its styles inside it"
            )
        ]
    try:
        # defusedxml: a DOCTYPE may declare entities that expand to gigabytes or read files.
        root: Element = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        return [
            _(
                "has a <!DOCTYPE> or <!ENTITY> declaration; expected an SVG without one "
                "(declarations can expand to huge text or read other files)"
            )
        ]
    except ParseError as exc:
        line, col = exc.position
        reason = str(exc).split(":", 1)[0]
        return [
            _(
                "is not well-formed XML (%(reason)s at its line %(line)s, column "
                "%(column)s); expected an SVG image"
            )
            % {"reason": reason, "line": line, "column": col + 1}
        ]
    if root.tag != _SVG_ROOT:
        if root.tag.startswith("{"):
            return [
                _(
                    "has root element <%(element)s> in namespace %(namespace)s; expected "
                    '<svg xmlns="http://www.w3.org/2000/svg">'
                )
                % {"element": _local(root.tag), "namespace": root.tag[1:].split("}", 1)[0]}
            ]
        return [
            _(
                "has root element <%(element)s> without a namespace; expected "
                '<svg xmlns="http://www.w3.org/2000/svg">'
            )
            % {"element": _local(root.tag)}
        ]
    problems: list[str] = []
    for element in root.iter():
        for problem in _element_problems(element):
            if problem not in problems:
                problems.append(problem)
    return problems


def _element_problems(element: Element) -> list[str]:
    name = _local(element.tag)
    tag = name.lower()
    found: list[str] = []
    if tag in _SCRIPTED:
        found.append(
            _(
                "contains a %(scripted)s element; expected an SVG without scripts or "
                "embedded HTML (they would run on the school's website)"
            )
            % {"scripted": _SCRIPTED[tag]}
        )
    for key, value in element.attrib.items():
        attribute = _local(key)
        lowered = attribute.lower()
        if lowered.startswith("on"):
            found.append(
                _(
                    'has an event handler %(attribute)s="…" on <%(name)s>; expected an SVG '
                    "without scripts (it would run on the school's website)"
                )
                % {"attribute": attribute, "name": name}
            )
        elif (
            lowered == "href"
            and (key == "href" or key.startswith(_XLINK))
            and not _same_document(value)
        ):
            shown = "xlink:href" if key.startswith(_XLINK) else "href"
            found.append(
                _(
                    'has %(shown)s="%(value)s" on <%(name)s>; expected only links within the '
                    "file (#id) or embedded images (data:image/…)"
                )
                % {"shown": shown, "value": _short(value), "name": name}
            )
        # every attribute: fill="url(…)" fetches too; the script risks in style="…" only,
        # as a link (checked above) or an animation value may rightly hold a colon
        found += _css_problems(value, f'{attribute}="…" on <{name}>', lowered == "style")
    if tag == "style":
        found += _css_problems(element.text or "", _("a <style> element"), True)
    if tag in _ANIMATIONS:
        found += _animation_problems(element, name)
    return found


def _animation_problems(element: Element, name: str) -> list[str]:
    """An animation that sets a link or a handler, or whose values hold a URL: it could
    make a link run script after the file was checked. One problem per element."""
    values = {_local(k).lower(): v for k, v in element.attrib.items()}
    changed = values.get("attributename", "")
    # "href", "xlink:href", "svg:href": the name after any prefix
    target = changed.strip().rsplit(":", 1)[-1].lower()
    if target == "href" or target.startswith("on"):
        return [
            _(
                "has <%(name)s> changing %(changed)s; expected animations of drawing "
                "attributes only (changing a link or handler can run script)"
            )
            % {"name": name, "changed": _short(changed)}
        ]
    for key in sorted(_ANIMATION_VALUES & values.keys()):
        if any(_SCHEME.match(v.lstrip(_URL_LEADING)) for v in values[key].split(";")):
            return [
                _(
                    'has %(key)s="%(value)s" on <%(name)s>; expected animation values '
                    "without links (a value with a scheme such as javascript: can run script)"
                )
                % {"key": key, "value": _short(values[key]), "name": name}
            ]
    return []


def decode_css(text: str) -> str:
    """CSS as a browser reads it: comments removed, escapes decoded (``u\\72l(`` is
    ``url(``, ``@\\69mport`` is ``@import``), so the checks match what would run, not
    what is written. Linear in the length of the text."""
    kept, start = [], 0
    while (opening := text.find("/*", start)) >= 0:
        kept.append(text[start:opening])
        closing = text.find("*/", opening + 2)
        start = len(text) if closing < 0 else closing + 2  # unclosed: runs to the end
    kept.append(text[start:])
    return _CSS_ESCAPE.sub(_unescape, "".join(kept))


def _unescape(match: re.Match[str]) -> str:
    digits, line_break, other = match.groups()
    if digits is not None:
        code = int(digits, 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return "" if line_break is not None else other


def _css_problems(raw: str, where: str, styles: bool) -> list[str]:
    """@import and url(…) other than url(#id) make the browser or WeasyPrint fetch a file;
    expression(…), javascript: and bindings run script. Matched after decoding."""
    found: list[str] = []
    text = decode_css(raw)
    lowered = text.lower()
    for needle, shown in _CSS_RISKS.items():
        if needle in lowered and (styles or needle == "@import"):
            found.append(
                _("has %(shown)s in %(where)s; expected styles inside the file")
                % {"shown": shown, "where": where}
            )
    for match in _URL_FUNCTION.finditer(text):
        if not match.group(1).startswith("#"):
            found.append(
                _(
                    "has url(%(address)s) in %(where)s; expected only url(#id) references "
                    "within the file"
                )
                % {"address": _short(match.group(1)), "where": where}
            )
    return found


def _same_document(value: str) -> bool:
    cleaned = value.lstrip(_URL_LEADING).replace("\t", "").replace("\n", "").replace("\r", "")
    return cleaned.startswith("#") or cleaned.lower().startswith("data:image/")


def _local(name: str) -> str:
    """The name without its ``{namespace}``."""
    return name.rsplit("}", 1)[-1]


def _short(value: str) -> str:
    value = "".join(c if c.isprintable() else "?" for c in value)
    return value if len(value) <= 60 else value[:57] + "…"
