"""The consoles the command line prints through: every character that did not come from
policypress itself (a heading of an imported file, a name in a staff export, a file name)
is shown by :func:`~policypress.core.diagnostics.printable`, so no document can clear the
screen, retitle the window, write the clipboard or reorder a line on the user's terminal.

Imported only when a command runs (rich takes a moment to load)."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderHook, RenderResult
from rich.segment import Segment

from policypress.core.diagnostics import printable


class _Printable:
    """A renderable drawn as ``inner`` is, each piece of its text made printable. Rich's
    own cursor and style codes are control segments or added when writing, so they stay."""

    def __init__(self, inner: ConsoleRenderable) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.inner, options):
            if segment.control:
                yield segment
            else:
                yield Segment(printable(segment.text), segment.style)


class _MakePrintable(RenderHook):
    """Sees everything a console prints, at the one place rich prints (a render hook)."""

    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [_Printable(r) for r in renderables]


def safe_console(*, stderr: bool = False) -> Console:
    """A rich console on standard output (or standard error) whose output is terminal-safe."""
    console = Console(stderr=stderr)
    console.push_render_hook(_MakePrintable())
    return console
