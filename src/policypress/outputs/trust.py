"""The trust's overview: every policy of every school with its adopted version, date, next
review and status, as a page a board reads (a summary in words, then one table that prints on
A4 landscape) and as one calendar of every school's review dates.

It reads each school's public model (what the school's own site publishes) and nothing else:
no staff data, no drafts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import icalendar
import jinja2

from policypress.core.dates import build_time
from policypress.core.diagnostics import Diagnostics
from policypress.core.messages import N_, text_direction
from policypress.core.messages import gettext as _
from policypress.model import Content, Policy, review_status
from policypress.outputs.templating import render_template
from policypress.outputs.urls import policy_page, public_url

RowStatus = Literal["current", "due-soon", "overdue", "adoption-due", "not-adopted"]
STATUS_WORDS: dict[RowStatus, str] = {
    "current": N_("Up to date"),
    "due-soon": N_("Review due soon"),
    "overdue": N_("Review overdue"),
    "adoption-due": N_("Adoption due"),
    "not-adopted": N_("Not adopted yet"),
}  # in English; each is translated where it is shown
# Worst first: the order the board reads a school's summary in.
_SEVERITY: tuple[RowStatus, ...] = (
    "not-adopted",
    "overdue",
    "adoption-due",
    "due-soon",
    "current",
)


@dataclass(frozen=True)
class TrustRow:
    school_id: str
    school: str
    slug: str
    policy: str
    version: str | None  # the school's adopted version; None when never adopted
    model_version: str | None  # the trust's model version it was adopted from
    adopted: dt.date | None
    next_review: dt.date | None
    status: RowStatus
    due_note: str | None  # the model's change note when adoption is due
    site: str  # the school's published website
    page: str | None  # the policy's page on it; None when never adopted (no page yet)

    @property
    def status_words(self) -> str:
        return _(STATUS_WORDS[self.status])


@dataclass(frozen=True)
class SchoolSummary:
    school_id: str
    school: str
    site: str  # the school's published website
    counts: tuple[tuple[str, int], ...]  # (status words, how many), worst first

    @property
    def sentence(self) -> str:
        parts = [f"{count} {words.lower()}" for words, count in self.counts]
        return ", ".join(parts) if parts else _("no policies")


def _row(school_id: str, content: Content, policy: Policy, today: dt.date) -> TrustRow:
    approved = policy.approved_versions
    status: RowStatus
    if not approved:
        status = "not-adopted"
    else:
        status = review_status(policy, today)
        if policy.adoption_due is not None and status != "overdue":  # the worse of the two
            status = "adoption-due"
    return TrustRow(
        school_id=school_id,
        school=content.school.name,
        slug=policy.slug,
        policy=policy.title,
        version=str(approved[-1].number) if approved else None,
        model_version=str(policy.model.version) if policy.model is not None else None,
        adopted=approved[-1].date if approved else None,
        next_review=policy.next_review if approved else None,
        status=status,
        due_note=(
            _("the trust approved model version %(version)s: %(note)s")
            % {"version": policy.adoption_due.version, "note": policy.adoption_due.note}
            if policy.adoption_due is not None
            else None
        ),
        site=content.school.website,
        page=public_url(content.school.website, policy_page(policy.slug)) if approved else None,
    )


def trust_rows(schools: dict[str, Content], today: dt.date) -> list[TrustRow]:
    """One row per school and policy, schools in id order, policies in title order."""
    return [
        _row(school_id, content, policy, today)
        for school_id, content in sorted(schools.items())
        for policy in sorted(content.policies, key=lambda p: (p.title, p.slug))
    ]


def summaries(rows: list[TrustRow]) -> list[SchoolSummary]:
    by_school: dict[str, list[TrustRow]] = {}
    for row in rows:
        by_school.setdefault(row.school_id, []).append(row)
    found = []
    for school_id, school_rows in by_school.items():
        counts = Counter(row.status for row in school_rows)
        found.append(
            SchoolSummary(
                school_id,
                school_rows[0].school,
                school_rows[0].site,
                tuple((_(STATUS_WORDS[s]), counts[s]) for s in _SEVERITY if counts[s]),
            )
        )
    return found


def trust_calendar(trust_name: str, rows: list[TrustRow], domain: str) -> bytes:
    """Every adopted policy's next review, each school's own event."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//policypress//Trust policy review dates//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{trust_name}: policy reviews")
    for row in sorted(rows, key=lambda r: (r.next_review or dt.date.max, r.school_id, r.slug)):
        if row.next_review is None:
            continue
        event = icalendar.Event()
        event.add("uid", f"review-{row.school_id}-{row.slug}@{domain}")
        event.add("dtstamp", build_time())
        event.add("dtstart", row.next_review)
        event.add("dtend", row.next_review + dt.timedelta(days=1))
        event.add(
            "summary",
            _("%(school)s: review due: %(policy)s") % {"school": row.school, "policy": row.policy},
        )
        event.add(
            "description",
            _("Version %(version)s (%(status)s).")
            % {"version": row.version, "status": row.status_words},
        )
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


def write_overview(
    env: jinja2.Environment,
    trust_name: str,
    domain: str,
    rows: list[TrustRow],
    out: Path,
    today: dt.date,
    diags: Diagnostics,
    language: str = "en-GB",
    colours: tuple[str, str] = ("#1a1a1a", "#1a1a1a"),
) -> list[Path]:
    """Writes ``index.html``, ``overview.css`` and ``reviews.ics`` into ``out``. ``colours``:
    the trust's primary and accent colours (trust.yml's, which ``check`` refuses when text on
    them would not be readable, as it does a school's)."""
    rows = sorted(rows, key=lambda r: (r.school_id, r.policy, r.slug))
    page = render_template(
        env,
        "trust/index.html.j2",
        diags,
        trust_name=trust_name,
        language=language,
        direction=text_direction(language),
        rows=rows,
        summaries=summaries(rows),
        today=today,
        statuses=STATUS_WORDS,
    )
    written = {
        "index.html": page.encode("utf-8"),
        "overview.css": render_template(
            env, "trust/overview.css.j2", diags, primary=colours[0], accent=colours[1]
        ).encode("utf-8"),
        "reviews.ics": trust_calendar(trust_name, rows, domain),
    }
    out.mkdir(parents=True, exist_ok=True)
    for name, data in written.items():
        (out / name).write_bytes(data)
    return [out / name for name in written]
