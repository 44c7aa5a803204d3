"""Due dates in China's working days: statutory holidays and make-up days (调休), plus local days.

chinesecalendar knows only the years whose schedule the State Council has published; for a
later year the calendar falls back to the statutory holidays that python-holidays computes
(the lunar ones included) on top of weekends, plus the administrator's CalendarDay table for
the make-up working days and extra days off, and `calendar_gaps` warns until those are entered.
"""

import calendar
import datetime
from functools import cache

import chinese_calendar
import holidays
from django.db.models import Max, Min
from viewflow.workflow.status import STATUS

from .models import CalendarDay, CaseTask, DeadlineRule, TaskKind

DEFAULT_RULES = {
    TaskKind.SURVEY: {"working_days": 15},
    TaskKind.ASSISTANCE: {"working_days": 20},
    TaskKind.EMPLOYMENT: {"working_days": 10},
    TaskKind.FOLLOW_UP: {"months": 1},
    TaskKind.RESURVEY: {"working_days": 15},
    TaskKind.CLOSING_APPROVAL: {"working_days": 5},
    TaskKind.TRANSFER_ACCEPTANCE: {"working_days": 5},
}


@cache
def library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@cache
def statutory_holidays(year: int) -> frozenset[datetime.date]:
    """The days off python-holidays computes for China in a year (New Year, Spring Festival,
    Qingming, Labour Day, Dragon Boat, Mid-Autumn, National Day): no make-up working days."""
    return frozenset(holidays.country_holidays("CN", years=year))


def calendar_gaps(today: datetime.date) -> list[int]:
    """Years in use — this year, next year and those of open tasks' due dates — whose official
    schedule chinesecalendar does not know and for which no calendar day has been entered."""
    span = CaseTask.objects.filter(
        task__status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
    ).aggregate(first=Min("due_on"), last=Max("due_on"))
    first = min(today.year, span["first"].year if span["first"] else today.year)
    last = max(today.year + 1, span["last"].year if span["last"] else today.year)
    unknown = [year for year in range(first, last + 1) if not library_knows(year)]
    if not unknown:
        return []
    entered = {
        day.year for day in CalendarDay.objects.filter(date__year__in=unknown).dates("date", "year")
    }
    return [year for year in unknown if year not in entered]


class WorkCalendar:
    """Working days from the library and the local table; load once per operation."""

    def __init__(self, overrides: dict[datetime.date, bool] | None = None):
        if overrides is None:
            overrides = dict(CalendarDay.objects.values_list("date", "is_working_day"))
        self.overrides = overrides
        self._rules: dict[str, dict] | None = None
        self._due: dict[tuple[str, datetime.date], datetime.date] = {}

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if library_knows(day.year):
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5 and day not in statutory_holidays(day.year)

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The n-th working day after start (start itself does not count)."""
        day = start
        while days > 0:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day

    def next_working_day(self, day: datetime.date) -> datetime.date:
        while not self.is_working_day(day):
            day += datetime.timedelta(days=1)
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after start up to and including end (0 when end <= start)."""
        count, day = 0, start
        while day < end:
            day += datetime.timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def rule(self, kind: str) -> dict:
        if self._rules is None:
            self._rules = {key: dict(value) for key, value in DEFAULT_RULES.items()}
            for rule in DeadlineRule.objects.all():
                self._rules[rule.kind] = {
                    "working_days": rule.working_days,
                    "months": rule.months,
                }
        return self._rules.get(kind, {"working_days": 10})

    def due_on(self, kind: str, start: datetime.date) -> datetime.date:
        """When a task of this kind, started on start, is due."""
        key = (kind, start)
        if key not in self._due:
            rule = self.rule(kind)
            if rule.get("months"):
                self._due[key] = self.next_working_day(add_months(start, rule["months"]))
            else:
                self._due[key] = self.add_working_days(start, rule.get("working_days", 0))
        return self._due[key]


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
