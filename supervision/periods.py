"""A supervision report's period: a quarter (2026Q4) or a month (2026-11), read strictly, and
the moment its figures are taken at (the end of the period, or today for one still running)."""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from reports.periods import FIRST_MONTH, Month

QUARTER = re.compile(r"(\d{4})Q([1-4])")
MONTH = re.compile(r"(\d{4})-(\d{2})")


class PeriodError(ValueError):
    """A period that cannot be read or is not reportable; str() says why, in the active
    language."""


@dataclass(frozen=True)
class Period:
    """From the first month to the last, both included; `text` in ASCII digits (2026Q4), also
    when typed with full-width ones (２０２６Q4), which the patterns read as digits too."""

    first: Month
    last: Month
    text: str

    @classmethod
    def parse(cls, text: str, *, today: datetime.date) -> "Period":
        """2026Q4 or 2026-11 (a quarter's Q upper case); PeriodError for anything else, for a
        period not yet begun, or one that ends before the reports do (2018-09)."""
        text = (text or "").strip()
        if quarter := QUARTER.fullmatch(text):
            year, number = int(quarter[1]), int(quarter[2])
            period = cls(Month(year, 3 * number - 2), Month(year, 3 * number),
                         f"{year:04d}Q{number}")  # fmt: skip
        elif (month := MONTH.fullmatch(text)) and 1 <= int(month[2]) <= 12:
            one = Month(int(month[1]), int(month[2]))
            period = cls(one, one, str(one))
        else:
            raise PeriodError(
                _("“%(text)s” is not a period: write a quarter as 2026Q4 or a month as 2026-11.")
                % {"text": text}
            )
        # before any date is made of it: year 0 (0000Q1) has no date
        if period.last < Month(*FIRST_MONTH):
            raise PeriodError(
                _("Reports run from %(first)s: choose a later period.")
                % {"first": Month(*FIRST_MONTH)}
            )
        if period.first.first > today:
            raise PeriodError(
                _("The period %(period)s has not begun yet.") % {"period": period.text}
            )
        return period

    def __str__(self) -> str:
        return self.text

    @property
    def is_quarter(self) -> bool:
        return self.first != self.last

    @property
    def label(self) -> str:
        """The period in words, in the active language (2026年第四季度, 2026年11月)."""
        if self.is_quarter:
            return _("Q%(quarter)s %(year)s") % {
                "quarter": (self.first.month + 2) // 3, "year": self.first.year}  # fmt: skip
        return _("%(month)s/%(year)s") % {"month": self.first.month, "year": self.first.year}

    @property
    def months(self) -> list[Month]:
        return list(self.first.until(self.last))

    def ended(self, today: datetime.date) -> bool:
        return self.last.last < today

    def cut(self, today: datetime.date) -> datetime.date:
        """The day whose first moment the figures are taken at: the day after the period's
        last (as the period ended), or today for a period still running."""
        return min(self.last.next().first, today)


def last_ended(today: datetime.date, quarter: bool = True) -> Period:
    """The last quarter (or month) that has ended by today: the form's default."""
    month = Month.of(today).previous()
    if not quarter:
        return Period(month, month, str(month))
    while month.month % 3:
        month = month.previous()
    number = month.month // 3
    return Period(Month(month.year, month.month - 2), month, f"{month.year}Q{number}")
