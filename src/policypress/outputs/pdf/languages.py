"""Declare each change of language in a tagged PDF (PDF/UA-1, 7.2).

WeasyPrint writes the document's language (the ``lang`` of ``<html>``) into the catalogue, but
no element's own ``lang``: a translated policy's section shown in the language it was approved
in, inside a Welsh or Urdu PDF, would be read aloud as Welsh or Urdu. So each structure element
made for an element that has a ``lang`` attribute gets it as ``/Lang``, which the elements
below it inherit, as in HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, cast

import pydyf

_INSTALLED = "_policypress_languages"


def _language(box: Any, placeholder: type) -> str | None:
    """The ``lang`` an element gives itself, for every box made for it (not ``<html>``'s or
    ``<body>``'s: the catalogue has the document's). ``placeholder``: WeasyPrint's stand-in
    for a positioned box, which it tags as the box it holds."""
    if isinstance(box, placeholder):
        box = cast(Any, box)._box
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) in ("html", "body"):
        return None
    language = element.get("lang")
    return language if isinstance(language, str) and language else None


def install() -> None:
    """Wrap WeasyPrint's builder of the structure tree (it calls itself through the module, so
    every element of the tree passes through the wrapper). WeasyPrint is imported here, once
    render.py has checked that it can start."""
    from weasyprint.layout.absolute import AbsolutePlaceholder
    from weasyprint.pdf import tags

    original: Callable[..., Iterator[Any]] = tags._build_box_tree
    if getattr(original, _INSTALLED, False):
        return

    def build(box: Any, *args: Any) -> Iterator[Any]:
        language = _language(box, AbsolutePlaceholder)
        for element in original(box, *args):
            if language is not None and "Lang" not in element:
                element["Lang"] = pydyf.String(language)
            yield element

    setattr(build, _INSTALLED, True)
    tags._build_box_tree = build
