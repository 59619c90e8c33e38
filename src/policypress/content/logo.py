"""The school's logo: a file that is what its name says, and an SVG that cannot run script.

The logo is copied to the site as is and served from the school's own address, so a scripted
SVG opened directly (or used as the favicon) would run on the school's domain; WeasyPrint also
draws it into every PDF, and would fetch any external file it points at while building. So an
SVG must be plain drawing: no script, no event handlers, no links or styles that leave the file.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, auto
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from policypress.core.messages import N_
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


class ImageFault(Enum):
    """Which thing is wrong with a logo or a policy's image (see :func:`image_message`)."""

    TOO_LARGE = auto()
    NAMED_OTHER = auto()  # named .png, .svg or .jpg, its contents another thing
    PNG_DAMAGED = auto()
    PNG_SIDES = auto()
    SVG_STYLESHEET = auto()
    SVG_DECLARATION = auto()
    SVG_NOT_XML = auto()
    SVG_ROOT_NAMESPACE = auto()
    SVG_ROOT_NO_NAMESPACE = auto()
    SVG_SCRIPTED = auto()
    SVG_HANDLER = auto()
    SVG_LINK = auto()
    CSS_RISK_IN_STYLE = auto()
    CSS_RISK_IN_ATTRIBUTE = auto()
    CSS_URL_IN_STYLE = auto()
    CSS_URL_IN_ATTRIBUTE = auto()
    ANIMATION_TARGET = auto()
    ANIMATION_VALUE = auto()
    # a policy's image only (content/images.py)
    NAMED_AS_OTHER = auto()
    JPEG_DAMAGED = auto()
    JPEG_SIDES = auto()
    TOO_MANY_PIXELS = auto()


class Subject(Enum):
    """Whose problem a sentence tells of: the school's logo, or an image in a policy."""

    LOGO = auto()
    IMAGE = auto()


@dataclass(frozen=True)
class ImageProblem:
    """What is wrong with an image, with the values the sentence about it names."""

    fault: ImageFault
    values: tuple[tuple[str, str | int | float], ...] = ()
    contents: Contents | None = None  # NAMED_OTHER: what the file holds instead

    @classmethod
    def of(cls, fault: ImageFault, **values: str | int | float) -> ImageProblem:
        return cls(fault, tuple(values.items()))

    @classmethod
    def named_other(cls, suffix: str, contents: Contents) -> ImageProblem:
        return cls(ImageFault.NAMED_OTHER, (("suffix", suffix),), contents)


def logo_data_problems(data: bytes, suffix: str) -> list[ImageProblem]:
    """What is wrong with a logo already read (at most ``MAX_BYTES`` + 1 of
    its bytes), named with ``suffix`` (``.png`` or ``.svg``)."""
    if len(data) > MAX_BYTES:
        return [ImageProblem.of(ImageFault.TOO_LARGE, limit=MAX_BYTES // 1_000_000)]
    if suffix.lower() == ".png":
        return png_problems(data)
    return svg_problems(data)


def png_problems(data: bytes) -> list[ImageProblem]:
    if not data.startswith(_PNG_SIGNATURE):
        return [ImageProblem.named_other(".png", sniff(data))]
    # The first chunk must be IHDR (13 bytes): width and height are its first two numbers.
    if len(data) < 33 or data[12:16] != b"IHDR" or data[8:12] != b"\x00\x00\x00\x0d":
        return [ImageProblem.of(ImageFault.PNG_DAMAGED)]
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        return [
            ImageProblem.of(ImageFault.PNG_SIDES, width=width, height=height, max_side=MAX_SIDE)
        ]
    return []


class Contents(Enum):
    """What a file that is not what its name says looks like (see :func:`sniff`)."""

    EMPTY = auto()
    JPEG = auto()
    GIF = auto()
    PNG = auto()
    MARKUP = auto()
    BINARY = auto()
    TEXT = auto()


def sniff(data: bytes) -> Contents:
    """What a file that is not what its name says looks like."""
    if not data:
        return Contents.EMPTY
    if data.startswith(b"\xff\xd8\xff"):
        return Contents.JPEG
    if data.startswith((b"GIF87a", b"GIF89a")):
        return Contents.GIF
    if data.startswith(_PNG_SIGNATURE):
        return Contents.PNG
    if data.lstrip().startswith(b"<"):
        return Contents.MARKUP
    try:
        data[:512].decode("utf-8")
    except UnicodeDecodeError:
        return Contents.BINARY
    return Contents.TEXT


def svg_problems(data: bytes) -> list[ImageProblem]:
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return [ImageProblem.named_other(".svg", sniff(data))]
    # ElementTree drops processing instructions, so look for this one in the bytes.
    if re.search(rb"<\?xml-stylesheet", data, re.IGNORECASE):
        return [ImageProblem.of(ImageFault.SVG_STYLESHEET)]
    try:
        # defusedxml: a DOCTYPE may declare entities that expand to gigabytes or read files.
        root: Element = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        return [ImageProblem.of(ImageFault.SVG_DECLARATION)]
    except ParseError as exc:
        line, col = exc.position
        # expat's own words for what is wrong (a third party's message, not ours)
        reason = str(exc).split(":", 1)[0]
        return [ImageProblem.of(ImageFault.SVG_NOT_XML, reason=reason, line=line, column=col + 1)]
    if root.tag != _SVG_ROOT:
        if root.tag.startswith("{"):
            return [
                ImageProblem.of(
                    ImageFault.SVG_ROOT_NAMESPACE,
                    element=_local(root.tag),
                    namespace=root.tag[1:].split("}", 1)[0],
                )
            ]
        return [ImageProblem.of(ImageFault.SVG_ROOT_NO_NAMESPACE, element=_local(root.tag))]
    problems: list[ImageProblem] = []
    for element in root.iter():
        for problem in _element_problems(element):
            if problem not in problems:
                problems.append(problem)
    return problems


def _element_problems(element: Element) -> list[ImageProblem]:
    name = _local(element.tag)
    tag = name.lower()
    found: list[ImageProblem] = []
    if tag in _SCRIPTED:
        found.append(ImageProblem.of(ImageFault.SVG_SCRIPTED, scripted=_SCRIPTED[tag]))
    for key, value in element.attrib.items():
        attribute = _local(key)
        lowered = attribute.lower()
        if lowered.startswith("on"):
            found.append(ImageProblem.of(ImageFault.SVG_HANDLER, attribute=attribute, element=name))
        elif (
            lowered == "href"
            and (key == "href" or key.startswith(_XLINK))
            and not _same_document(value)
        ):
            shown = "xlink:href" if key.startswith(_XLINK) else "href"
            found.append(
                ImageProblem.of(ImageFault.SVG_LINK, shown=shown, value=_short(value), element=name)
            )
        # every attribute: fill="url(…)" fetches too; the script risks in style="…" only,
        # as a link (checked above) or an animation value may rightly hold a colon
        found += _css_problems(value, (attribute, name), lowered == "style")
    if tag == "style":
        found += _css_problems(element.text or "", None, True)
    if tag in _ANIMATIONS:
        found += _animation_problems(element, name)
    return found


def _animation_problems(element: Element, name: str) -> list[ImageProblem]:
    """An animation that sets a link or a handler, or whose values hold a URL: it could
    make a link run script after the file was checked. One problem per element."""
    values = {_local(k).lower(): v for k, v in element.attrib.items()}
    changed = values.get("attributename", "")
    # "href", "xlink:href", "svg:href": the name after any prefix
    target = changed.strip().rsplit(":", 1)[-1].lower()
    if target == "href" or target.startswith("on"):
        return [ImageProblem.of(ImageFault.ANIMATION_TARGET, element=name, changed=_short(changed))]
    for key in sorted(_ANIMATION_VALUES & values.keys()):
        if any(_SCHEME.match(v.lstrip(_URL_LEADING)) for v in values[key].split(";")):
            return [
                ImageProblem.of(
                    ImageFault.ANIMATION_VALUE, key=key, value=_short(values[key]), element=name
                )
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


def _css_problems(raw: str, attribute: tuple[str, str] | None, styles: bool) -> list[ImageProblem]:
    """@import and url(…) other than url(#id) make the browser or WeasyPrint fetch a file;
    expression(…), javascript: and bindings run script. Matched after decoding. ``attribute``
    is the (attribute, element) the CSS is in, or None for a <style> element."""
    found: list[ImageProblem] = []
    text = decode_css(raw)
    lowered = text.lower()
    where: dict[str, str] = (
        {} if attribute is None else {"attribute": attribute[0], "element": attribute[1]}
    )
    risk, url = (
        (ImageFault.CSS_RISK_IN_STYLE, ImageFault.CSS_URL_IN_STYLE)
        if attribute is None
        else (ImageFault.CSS_RISK_IN_ATTRIBUTE, ImageFault.CSS_URL_IN_ATTRIBUTE)
    )
    for needle, shown in _CSS_RISKS.items():
        if needle in lowered and (styles or needle == "@import"):
            found.append(ImageProblem.of(risk, shown=shown, **where))
    for match in _URL_FUNCTION.finditer(text):
        if not match.group(1).startswith("#"):
            found.append(ImageProblem.of(url, address=_short(match.group(1)), **where))
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


# Each problem as a whole sentence, one for a logo and one for a policy's image (the subject
# is part of the sentence, for a translator to word it as the language needs).
_LOGO_SENTENCES: Mapping[ImageFault, str] = {
    ImageFault.TOO_LARGE: N_(
        "logo '%(name)s' is larger than %(limit)s MB; expected a smaller image"
    ),
    ImageFault.PNG_DAMAGED: N_(
        "logo '%(name)s' is a damaged PNG (no image header); expected a complete PNG image"
    ),
    ImageFault.PNG_SIDES: N_(
        "logo '%(name)s' is a PNG of %(width)s×%(height)s pixels; expected each side between 1 "
        "and %(max_side)s pixels"
    ),
    ImageFault.SVG_STYLESHEET: N_(
        "logo '%(name)s' has an <?xml-stylesheet?> instruction, which loads a style sheet from "
        "another file; expected an SVG with its styles inside it"
    ),
    ImageFault.SVG_DECLARATION: N_(
        "logo '%(name)s' has a <!DOCTYPE> or <!ENTITY> declaration; expected an SVG without "
        "one (declarations can expand to huge text or read other files)"
    ),
    ImageFault.SVG_NOT_XML: N_(
        "logo '%(name)s' is not well-formed XML (%(reason)s at its line %(line)s, column "
        "%(column)s); expected an SVG image"
    ),
    ImageFault.SVG_ROOT_NAMESPACE: N_(
        "logo '%(name)s' has root element <%(element)s> in namespace %(namespace)s; expected "
        '<svg xmlns="http://www.w3.org/2000/svg">'
    ),
    ImageFault.SVG_ROOT_NO_NAMESPACE: N_(
        "logo '%(name)s' has root element <%(element)s> without a namespace; expected "
        '<svg xmlns="http://www.w3.org/2000/svg">'
    ),
    ImageFault.SVG_SCRIPTED: N_(
        "logo '%(name)s' contains a %(scripted)s element; expected an SVG without scripts or "
        "embedded HTML (they would run on the school's website)"
    ),
    ImageFault.SVG_HANDLER: N_(
        "logo '%(name)s' has an event handler %(attribute)s=\"…\" on <%(element)s>; expected "
        "an SVG without scripts (it would run on the school's website)"
    ),
    ImageFault.SVG_LINK: N_(
        "logo '%(name)s' has %(shown)s=\"%(value)s\" on <%(element)s>; expected only links "
        "within the file (#id) or embedded images (data:image/…)"
    ),
    ImageFault.CSS_RISK_IN_STYLE: N_(
        "logo '%(name)s' has %(shown)s in a <style> element; expected styles inside the file"
    ),
    ImageFault.CSS_RISK_IN_ATTRIBUTE: N_(
        "logo '%(name)s' has %(shown)s in %(attribute)s=\"…\" on <%(element)s>; expected "
        "styles inside the file"
    ),
    ImageFault.CSS_URL_IN_STYLE: N_(
        "logo '%(name)s' has url(%(address)s) in a <style> element; expected only url(#id) "
        "references within the file"
    ),
    ImageFault.CSS_URL_IN_ATTRIBUTE: N_(
        "logo '%(name)s' has url(%(address)s) in %(attribute)s=\"…\" on <%(element)s>; "
        "expected only url(#id) references within the file"
    ),
    ImageFault.ANIMATION_TARGET: N_(
        "logo '%(name)s' has <%(element)s> changing %(changed)s; expected animations of "
        "drawing attributes only (changing a link or handler can run script)"
    ),
    ImageFault.ANIMATION_VALUE: N_(
        "logo '%(name)s' has %(key)s=\"%(value)s\" on <%(element)s>; expected animation "
        "values without links (a value with a scheme such as javascript: can run script)"
    ),
}
_IMAGE_SENTENCES: Mapping[ImageFault, str] = {
    ImageFault.TOO_LARGE: N_(
        "image '%(name)s' is larger than %(limit)s MB; expected a smaller image"
    ),
    ImageFault.PNG_DAMAGED: N_(
        "image '%(name)s' is a damaged PNG (no image header); expected a complete PNG image"
    ),
    ImageFault.PNG_SIDES: N_(
        "image '%(name)s' is a PNG of %(width)s×%(height)s pixels; expected each side between "
        "1 and %(max_side)s pixels"
    ),
    ImageFault.SVG_STYLESHEET: N_(
        "image '%(name)s' has an <?xml-stylesheet?> instruction, which loads a style sheet "
        "from another file; expected an SVG with its styles inside it"
    ),
    ImageFault.SVG_DECLARATION: N_(
        "image '%(name)s' has a <!DOCTYPE> or <!ENTITY> declaration; expected an SVG without "
        "one (declarations can expand to huge text or read other files)"
    ),
    ImageFault.SVG_NOT_XML: N_(
        "image '%(name)s' is not well-formed XML (%(reason)s at its line %(line)s, column "
        "%(column)s); expected an SVG image"
    ),
    ImageFault.SVG_ROOT_NAMESPACE: N_(
        "image '%(name)s' has root element <%(element)s> in namespace %(namespace)s; expected "
        '<svg xmlns="http://www.w3.org/2000/svg">'
    ),
    ImageFault.SVG_ROOT_NO_NAMESPACE: N_(
        "image '%(name)s' has root element <%(element)s> without a namespace; expected "
        '<svg xmlns="http://www.w3.org/2000/svg">'
    ),
    ImageFault.SVG_SCRIPTED: N_(
        "image '%(name)s' contains a %(scripted)s element; expected an SVG without scripts or "
        "embedded HTML (they would run on the school's website)"
    ),
    ImageFault.SVG_HANDLER: N_(
        "image '%(name)s' has an event handler %(attribute)s=\"…\" on <%(element)s>; expected "
        "an SVG without scripts (it would run on the school's website)"
    ),
    ImageFault.SVG_LINK: N_(
        "image '%(name)s' has %(shown)s=\"%(value)s\" on <%(element)s>; expected only links "
        "within the file (#id) or embedded images (data:image/…)"
    ),
    ImageFault.CSS_RISK_IN_STYLE: N_(
        "image '%(name)s' has %(shown)s in a <style> element; expected styles inside the file"
    ),
    ImageFault.CSS_RISK_IN_ATTRIBUTE: N_(
        "image '%(name)s' has %(shown)s in %(attribute)s=\"…\" on <%(element)s>; expected "
        "styles inside the file"
    ),
    ImageFault.CSS_URL_IN_STYLE: N_(
        "image '%(name)s' has url(%(address)s) in a <style> element; expected only url(#id) "
        "references within the file"
    ),
    ImageFault.CSS_URL_IN_ATTRIBUTE: N_(
        "image '%(name)s' has url(%(address)s) in %(attribute)s=\"…\" on <%(element)s>; "
        "expected only url(#id) references within the file"
    ),
    ImageFault.ANIMATION_TARGET: N_(
        "image '%(name)s' has <%(element)s> changing %(changed)s; expected animations of "
        "drawing attributes only (changing a link or handler can run script)"
    ),
    ImageFault.ANIMATION_VALUE: N_(
        "image '%(name)s' has %(key)s=\"%(value)s\" on <%(element)s>; expected animation "
        "values without links (a value with a scheme such as javascript: can run script)"
    ),
    ImageFault.NAMED_AS_OTHER: N_(
        "image '%(name)s' is named %(suffix)s but is a %(found)s file; expected its contents "
        "to match its name (save it again as %(suffix)s, or rename it)"
    ),
    ImageFault.JPEG_DAMAGED: N_(
        "image '%(name)s' is a damaged JPEG (no frame header); expected a complete JPEG image"
    ),
    ImageFault.JPEG_SIDES: N_(
        "image '%(name)s' is a JPEG of %(width)s×%(height)s pixels; expected each side "
        "between 1 and %(max_side)s pixels"
    ),
    ImageFault.TOO_MANY_PIXELS: N_(
        "image '%(name)s' is %(width)s×%(height)s pixels (%(millions).0f million); expected "
        "at most %(limit)s million pixels (save it at screen size)"
    ),
}


# A file named as one kind of image holding something else, for a logo and for an image.
_LOGO_CONTAINS: Mapping[Contents, str] = {
    Contents.EMPTY: N_(
        "logo '%(name)s' is named %(suffix)s but is empty; expected a %(suffix)s image"
    ),
    Contents.JPEG: N_(
        "logo '%(name)s' is named %(suffix)s but contains a JPEG image; expected a %(suffix)s"
        " image (save it again in that format)"
    ),
    Contents.GIF: N_(
        "logo '%(name)s' is named %(suffix)s but contains a GIF image; expected a %(suffix)s "
        "image (save it again in that format)"
    ),
    Contents.PNG: N_(
        "logo '%(name)s' is named %(suffix)s but contains a PNG image; expected a %(suffix)s "
        "image (save it again in that format)"
    ),
    Contents.MARKUP: N_(
        "logo '%(name)s' is named %(suffix)s but contains text that looks like XML or HTML; "
        "expected a %(suffix)s image"
    ),
    Contents.BINARY: N_(
        "logo '%(name)s' is named %(suffix)s but contains data of an unknown kind; expected a"
        " %(suffix)s image"
    ),
    Contents.TEXT: N_(
        "logo '%(name)s' is named %(suffix)s but contains text; expected a %(suffix)s image"
    ),
}
_IMAGE_CONTAINS: Mapping[Contents, str] = {
    Contents.EMPTY: N_(
        "image '%(name)s' is named %(suffix)s but is empty; expected a %(suffix)s image"
    ),
    Contents.JPEG: N_(
        "image '%(name)s' is named %(suffix)s but contains a JPEG image; expected a "
        "%(suffix)s image (save it again in that format)"
    ),
    Contents.GIF: N_(
        "image '%(name)s' is named %(suffix)s but contains a GIF image; expected a %(suffix)s"
        " image (save it again in that format)"
    ),
    Contents.PNG: N_(
        "image '%(name)s' is named %(suffix)s but contains a PNG image; expected a %(suffix)s"
        " image (save it again in that format)"
    ),
    Contents.MARKUP: N_(
        "image '%(name)s' is named %(suffix)s but contains text that looks like XML or HTML; "
        "expected a %(suffix)s image"
    ),
    Contents.BINARY: N_(
        "image '%(name)s' is named %(suffix)s but contains data of an unknown kind; expected "
        "a %(suffix)s image"
    ),
    Contents.TEXT: N_(
        "image '%(name)s' is named %(suffix)s but contains text; expected a %(suffix)s image"
    ),
}


def image_message(problem: ImageProblem, subject: Subject, name: str) -> str:
    """The whole sentence saying what is wrong with the logo or image ``name``."""
    if problem.contents is not None:
        contains = _LOGO_CONTAINS if subject is Subject.LOGO else _IMAGE_CONTAINS
        return _(contains[problem.contents]) % {"name": name, **dict(problem.values)}
    sentences = _LOGO_SENTENCES if subject is Subject.LOGO else _IMAGE_SENTENCES
    return _(sentences[problem.fault]) % {"name": name, **dict(problem.values)}
