"""Dates: the build's notion of "today" and the way dates are shown to people."""

from __future__ import annotations

import calendar
import datetime as dt
import os

from policypress.core.messages import cldr_locale, current


def build_time() -> dt.datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` so that builds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def build_date() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH``."""
    return build_time().date()


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def long_date(day: dt.date) -> str:
    """GOV.UK style, in the language being written (core/messages.py): 5 September 2025,
    5 Medi 2025, 5 września 2025. The month's name is CLDR's, through Babel, so it is right
    for every language the site can be written in (Polish's genitive "września" included)
    without a list of month names per language in the catalogue."""
    from babel.dates import format_date

    return format_date(day, "d MMMM y", locale=cldr_locale(current().language))
