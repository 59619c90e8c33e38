"""What the test suite checks on every page of the site: one list, read by the tests (which
run these checks) and by the accessibility statement (which tells visitors about them), so the
statement cannot claim a check the tests do not make."""

from __future__ import annotations

from dataclasses import dataclass

# axe-core's rule sets for WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_RULE_SETS: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
# Screen widths in CSS pixels: a small phone, a common phone, a laptop. At each, no page may
# scroll sideways.
SCREEN_WIDTHS: tuple[int, ...] = (320, 390, 1280)


@dataclass(frozen=True)
class SiteChecks:
    """The checks, as the accessibility statement names them."""

    axe_rule_sets: tuple[str, ...] = AXE_RULE_SETS
    screen_widths: tuple[int, ...] = SCREEN_WIDTHS
