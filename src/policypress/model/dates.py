"""A date as a record gave it: a day, a term, a month, a school year or a year (read by
:func:`policypress.content.notation.parse_date_as_given`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from policypress.core.dates import long_date


@dataclass(frozen=True)
class DateAsGiven:
    """A date as a record gave it ("Spring 2024", "July 2019", "2023/24", "2020", or an exact
    day), shown as given, never made more precise than it is. ``earliest`` is the first day it
    can mean: what ordering and review dates use. ``effective`` is the exact day, only when
    known."""

    text: str
    earliest: dt.date
    exact: bool = False  # the text is an ISO date
    effective: dt.date | None = None

    @property
    def day(self) -> dt.date:
        """The day it took effect when known, else the first day the text can mean."""
        return self.effective or self.earliest

    def __str__(self) -> str:
        """As given; an exact day in the long form every other date on the pages uses."""
        return long_date(self.earliest) if self.exact else self.text
