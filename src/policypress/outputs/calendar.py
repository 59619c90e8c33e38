"""``reviews.ics``: every policy's next review date as an all-day event governors can
subscribe to. Built with the icalendar library (escaping, folding, CRLF)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import icalendar

from policypress.core.dates import build_time
from policypress.core.messages import gettext as _
from policypress.core.messages import ngettext
from policypress.model import Content, Policy
from policypress.outputs.generator import BuildContext, Finish, Output, done
from policypress.outputs.urls import REVIEWS_ICS, SITE
from policypress.outputs.views import public_policy_url


def review_calendar(content: Content, stamp: dt.datetime) -> bytes:
    """``stamp`` (DTSTAMP) comes from SOURCE_DATE_EPOCH so the feed is reproducible."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//policypress//Policy review dates//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{content.school.name}: policy reviews")
    domain = urlsplit(content.school.website).hostname or "policypress.invalid"
    for policy in sorted(content.policies, key=lambda p: (p.next_review, p.slug)):
        if not policy.approved_versions:
            continue  # a draft never approved has no review date yet
        last = policy.approved_versions[-1]
        event = icalendar.Event()
        event.add("uid", f"review-{policy.slug}@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", policy.next_review)
        event.add("dtend", policy.next_review + dt.timedelta(days=1))
        # Each approval moves the review date: a calendar that imported the event takes the
        # new date only when SEQUENCE has risen. Both come from the history, so a rebuild
        # writes the same event.
        event.add("sequence", len(policy.approved_versions))
        event.add(
            "last-modified", dt.datetime.combine(last.approval.meeting, dt.time(), tzinfo=dt.UTC)
        )
        event.add("summary", _("Review due: %(title)s") % {"title": policy.title})
        event.add(
            "description",
            _("Version %(number)s was approved by %(body)s on %(meeting)s. Owner: %(owner)s.")
            % {
                "number": last.number,
                "body": last.approval.body,
                "meeting": last.approval.meeting,
                "owner": policy.owner_role,
            }
            + f" {_when(policy)}",
        )
        event.add("url", public_policy_url(content, policy.slug))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


def _when(policy: Policy) -> str:
    if policy.review_date is not None:
        return _("Review date set in the policy.")
    months = policy.review_cycle_months
    return ngettext("Review cycle: %(num)s month.", "Review cycle: %(num)s months.", months) % {
        "num": months
    }


class ReviewCalendar:
    """``site/reviews.ics``, next to the Review schedule page."""

    def label(self, context: BuildContext) -> str:
        return _("Writing the review calendar")

    def start(self, context: BuildContext) -> Finish:
        path = f"{SITE}/{REVIEWS_ICS}"
        target = context.stage / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(review_calendar(context.content, build_time()))
        return done([Output("review-calendar", path, context.project.content / "policies")])
