"""A report's month: its first and last day, its text form (2026-10), its deadline."""

import datetime
from dataclasses import dataclass

from django.conf import settings

from workflows.deadlines import WorkCalendar

FIRST_MONTH = (2018, 9)  # the notice asks for reports from September 2018 on


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        """2026-10 → Month(2026, 10); ValueError for anything else."""
        year, _, month = (text or "").partition("-")
        if not (len(year) == 4 and year.isdigit() and month.isdigit() and len(month) <= 2):
            raise ValueError(text)
        value = cls(int(year), int(month))
        if not 1 <= value.month <= 12:
            raise ValueError(text)
        return value

    @classmethod
    def of(cls, day: datetime.date) -> "Month":
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def last(self) -> datetime.date:
        return self.next().first - datetime.timedelta(days=1)

    def next(self) -> "Month":
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> "Month":
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def until(self, last: "Month"):
        """This month and each one after it up to last."""
        month = self
        while month <= last:
            yield month
            month = month.next()


def deadline(month: Month, calendar: WorkCalendar | None = None) -> datetime.date:
    """The end of the 3rd of the next month; when that day is not a working day, the next
    working day (CASEWORK_REPORT_DEADLINE_NEXT_WORKING_DAY, on by default: October's 3rd falls
    in the National Day holiday)."""
    third = month.next().first + datetime.timedelta(days=2)
    if not settings.CASEWORK_REPORT_DEADLINE_NEXT_WORKING_DAY:
        return third
    return (calendar or WorkCalendar()).next_working_day(third)
