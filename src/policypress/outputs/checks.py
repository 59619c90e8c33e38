"""What the outputs would warn about while generating, found where ``check`` runs (a rule
about how something is drawn lives with the output that draws it; this runs them early)."""

from __future__ import annotations

from policypress.core.diagnostics import Diagnostics
from policypress.model import Content
from policypress.outputs.pdf.palette import check_poster_colours


def check_for_outputs(content: Content, diags: Diagnostics) -> None:
    """What the outputs would warn about while generating, found where check runs, so that
    ``check --strict`` and ``build --strict`` see it before anything is built."""
    if content.posters:
        check_poster_colours(content.school, diags)
