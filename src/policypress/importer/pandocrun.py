"""Running pandoc (the executable the ``pypandoc-binary`` wheel ships) on one document.

pandoc runs with ``--sandbox`` (a document cannot make it read other files or fetch URLs) and
a time limit, and its JSON document tree is read back as plain Python values.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from policypress.core.messages import gettext as _

Node = dict[str, Any]  # one element of pandoc's JSON tree: {"t": type, "c": contents}

TIMEOUT_SECONDS = 120
# CommonMark with the extensions policy Markdown uses (attributes carry ``{#id}``); raw HTML
# off, because policypress shows it as text rather than passing it through.
MARKDOWN = "commonmark_x-raw_html"


class PandocFailed(Exception):
    """pandoc refused the document or could not run; the message says which."""


def pandoc_path() -> str:
    import pypandoc  # imported here: only the commands that convert documents need it

    return str(pypandoc.get_pandoc_path())


def run_pandoc(args: list[str], data: bytes = b"", *, timeout: int = TIMEOUT_SECONDS) -> bytes:
    """pandoc's standard output for ``args`` with ``data`` on its standard input."""
    try:
        done = subprocess.run(
            [pandoc_path(), "--sandbox", *args],
            input=data,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PandocFailed(
            _(
                "pandoc took longer than %(timeout)s s and was stopped; is the "
                "document very large or damaged?"
            )
            % {"timeout": timeout}
        ) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PandocFailed(message[-1] if message else f"pandoc exited {done.returncode}")
    return done.stdout


def markdown_to_tree(markdown: str, *, smart: bool = True) -> Node:
    """The tree of a Markdown text; ``smart``: straight quotes and dashes made typographic."""
    reader = MARKDOWN if smart else f"{MARKDOWN}-smart"
    return _load(run_pandoc(["-f", reader, "-t", "json"], markdown.encode("utf-8")))


def docx_to_tree(data: bytes, track_changes: str = "accept") -> Node:
    """The tree of a .docx file's bytes, given on pandoc's standard input."""
    return _load(run_pandoc(["-f", "docx", "-t", "json", f"--track-changes={track_changes}"], data))


def tree_to_markdown(tree: Node) -> str:
    """Policy Markdown for a tree: one paragraph per line (no hard wrapping), straight quotes
    (the site's typographer curls them again)."""
    out = run_pandoc(
        ["-f", "json", "-t", f"{MARKDOWN}+smart", "--wrap=none"],
        json.dumps(tree).encode("utf-8"),
    )
    return out.decode("utf-8")


def tree_to_docx(tree: Node, target: Path, reference: Path | None = None) -> None:
    args = ["-f", "json", "-t", "docx", "-o", str(target)]
    if reference is not None:
        args.append(f"--reference-doc={reference}")
    run_pandoc(args, json.dumps(tree).encode("utf-8"))


def _load(data: bytes) -> Node:
    tree = json.loads(data)
    if not isinstance(tree, dict) or "blocks" not in tree:
        raise PandocFailed(_("pandoc did not return a document tree"))
    return tree
