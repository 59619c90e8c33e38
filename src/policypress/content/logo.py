"""The school's logo: a file that is what its name says, and an SVG that cannot run script.

The logo is copied to the site as is and served from the school's own address, so a scripted
SVG opened directly (or used as the favicon) would run on the school's domain; WeasyPrint also
draws it into every PDF, and would fetch any external file it points at while building. So an
SVG must be plain drawing: no script, no event handlers, no links or styles that leave the file.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

MAX_BYTES = 1_000_000
MAX_SIDE = 10_000  # pixels; larger is a mistake (or a decompression bomb), not a logo
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SVG_ROOT = "{http://www.w3.org/2000/svg}svg"
_XLINK = "{http://www.w3.org/1999/xlink}"
# Elements that run script or embed a whole HTML document (which may itself run script).
_SCRIPTED = {"script": "<script>", "foreignobject": "<foreignObject>"}
# Animation elements can set an attribute later, e.g. <set attributeName="href" to="javascript:…">.
_ANIMATIONS = {"set", "animate", "animatemotion", "animatetransform", "discard"}
_URL_FUNCTION = re.compile(r"url\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
# What browsers ignore at the start of a URL, so " javascript:" is still javascript:.
_URL_LEADING = "".join(chr(c) for c in range(0x21))


def logo_problems(path: Path) -> list[str]:
    """What is wrong with the logo at ``path``, each as "<what was found>; expected <what>"
    to follow "logo '<name>' "; empty when it is a sane PNG or a plain SVG."""
    with path.open("rb") as file:
        data = file.read(MAX_BYTES + 1)  # bounded: never read a huge file whole
    if len(data) > MAX_BYTES:
        return [f"is larger than {MAX_BYTES // 1_000_000} MB; expected a smaller image"]
    if path.suffix.lower() == ".png":
        return png_problems(data)
    return svg_problems(data)


def png_problems(data: bytes) -> list[str]:
    if not data.startswith(_PNG_SIGNATURE):
        return [f"is named .png but contains {sniff(data)}; expected a PNG image"]
    # The first chunk must be IHDR (13 bytes): width and height are its first two numbers.
    if len(data) < 33 or data[12:16] != b"IHDR" or data[8:12] != b"\x00\x00\x00\x0d":
        return ["is a damaged PNG (no image header); expected a complete PNG image"]
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        return [
            f"is a PNG of {width}×{height} pixels; expected each side between 1 and "
            f"{MAX_SIDE} pixels"
        ]
    return []


def sniff(data: bytes) -> str:
    """A few words on what a file that is not what its name says looks like."""
    if not data:
        return "nothing (the file is empty)"
    if data.startswith(b"\xff\xd8\xff"):
        return "a JPEG image"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "a GIF image"
    if data.startswith(_PNG_SIGNATURE):
        return "a PNG image"
    if data.lstrip().startswith(b"<"):
        return "text that looks like XML or HTML"
    try:
        data[:512].decode("utf-8")
    except UnicodeDecodeError:
        return "data of an unknown kind"
    return "text"


def svg_problems(data: bytes) -> list[str]:
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return [f"is named .svg but contains {sniff(data)}; expected an SVG image (XML)"]
    # ElementTree drops processing instructions, so look for this one in the bytes.
    if re.search(rb"<\?xml-stylesheet", data, re.IGNORECASE):
        return [
            "has an <?xml-stylesheet?> instruction, which loads a style sheet from another "
            "file; expected an SVG with its styles inside it"
        ]
    try:
        # defusedxml: a DOCTYPE may declare entities that expand to gigabytes or read files.
        root: Element = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        return [
            "has a <!DOCTYPE> or <!ENTITY> declaration; expected an SVG without one "
            "(declarations can expand to huge text or read other files)"
        ]
    except ParseError as exc:
        line, col = exc.position
        reason = str(exc).split(":", 1)[0]
        return [
            f"is not well-formed XML ({reason} at its line {line}, column {col + 1}); "
            "expected an SVG image"
        ]
    if root.tag != _SVG_ROOT:
        return [
            f"has root element <{_local(root.tag)}>{_namespace_note(root.tag)}; expected "
            '<svg xmlns="http://www.w3.org/2000/svg">'
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
            f"contains a {_SCRIPTED[tag]} element; expected an SVG without scripts or "
            "embedded HTML (they would run on the school's website)"
        )
    for key, value in element.attrib.items():
        attribute = _local(key)
        lowered = attribute.lower()
        if lowered.startswith("on"):
            found.append(
                f'has an event handler {attribute}="…" on <{name}>; expected an SVG '
                "without scripts (it would run on the school's website)"
            )
        elif lowered == "href" and (key == "href" or key.startswith(_XLINK)):
            if not _same_document(value):
                shown = "xlink:href" if key.startswith(_XLINK) else "href"
                found.append(
                    f'has {shown}="{_short(value)}" on <{name}>; expected only links within '
                    "the file (#id) or embedded images (data:image/…)"
                )
        elif tag in _ANIMATIONS and lowered == "attributename":
            target = _local(value).lower()
            if target == "href" or target.startswith("on"):
                found.append(
                    f"has <{name}> changing {value}; expected animations of drawing "
                    "attributes only (changing a link or handler can run script)"
                )
        found += _css_problems(value, f'{attribute}="…" on <{name}>')
    if tag == "style":
        found += _css_problems(element.text or "", "a <style> element")
    return found


def _css_problems(text: str, where: str) -> list[str]:
    """@import and url(…) other than url(#id) make the browser or WeasyPrint fetch a file."""
    found: list[str] = []
    if "@import" in text.lower():
        found.append(f"has @import in {where}; expected styles inside the file")
    for match in _URL_FUNCTION.finditer(text):
        if not match.group(1).startswith("#"):
            found.append(
                f"has url({_short(match.group(1))}) in {where}; expected only url(#id) "
                "references within the file"
            )
    return found


def _same_document(value: str) -> bool:
    cleaned = value.lstrip(_URL_LEADING).replace("\t", "").replace("\n", "").replace("\r", "")
    return cleaned.startswith("#") or cleaned.lower().startswith("data:image/")


def _local(name: str) -> str:
    """The name without its ``{namespace}``."""
    return name.rsplit("}", 1)[-1]


def _namespace_note(tag: str) -> str:
    if tag.startswith("{"):
        return f" in namespace {tag[1:].split('}', 1)[0]}"
    return " without a namespace"


def _short(value: str) -> str:
    value = "".join(c if c.isprintable() else "?" for c in value)
    return value if len(value) <= 60 else value[:57] + "…"
