"""The county escalation ladder: after each month ends, every county's month is assessed once.

A county earns a strike for the month when the monthly report due in it (the month before's,
by the reports' deadline) came late or not at all, or when more than the rule's share of its
open tasks were overdue as the month ended. Each strike climbs one level (the interview level
is the top), each month without one steps down one; the level a strike reaches brings its step:
a reminder to the county's leader in charge and liaison (附件3) and its supervisors, a circular
(通报) naming the month's counties at that step, sent to every county, or an interview (约谈)
for city staff to arrange. When December is assessed, the year-end evaluation is frozen.

Once per county and month whatever runs it: the rows are inserted with ignore_conflicts against
the (county, month) constraint and a run acts only on the rows it inserted itself (its run id);
a second run at the same time waits for the first one's insert and then finds its rows taken.
Everything an assessment reads is dated (tasks open at the month's end, the report's first
submission), so a late run assesses the same as a punctual one.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.dispatch import Signal
from django.utils import timezone

from casework import jobs
from casework.contacts.selectors import county_contacts
from casework.models import Case, Region, Role, User
from reports.models import MonthlyReport
from reports.periods import FIRST_MONTH, Month, deadline
from reports.selectors import is_late
from reports.targets import targets_by
from workflows.deadlines import WorkCalendar
from workflows.escalation import city_staff, county_supervisors
from workflows.models import CaseTask
from workflows.selectors import open_at

from .models import (
    Circular,
    CountyMonth,
    Interview,
    LadderRule,
    Reason,
    Step,
    YearEvaluation,
)

# sent once the assessment has committed, with the county months a run assessed itself
ladder_stepped = Signal()


def start_of(day: datetime.date) -> datetime.datetime:
    """The first moment of the day, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def open_as_day_began(day: datetime.date) -> QuerySet[CaseTask]:
    """The tasks open at the first moment of `day`; overdue among them: due before `day`
    (as the overdue list showed them that day)."""
    return CaseTask.objects.filter(open_at(start_of(day)))


def tasks_at_end(month: Month, county_ids) -> dict[int, tuple[int, int]]:
    """{county id: (open tasks, overdue tasks)} as the month ended: open as the next month's
    first day began, overdue when due before that day."""
    end = month.next().first
    rows = (
        open_as_day_began(end)
        .filter(county_id__in=county_ids)
        .order_by()
        .values("county_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=end)))
        .values_list("county_id", "open", "overdue")
    )
    return {county_id: (n_open, n_overdue) for county_id, n_open, n_overdue in rows}


def report_due_in(month: Month) -> Month | None:
    """The report whose deadline falls in `month`: the month before's (none before 2018-09)."""
    previous = month.previous()
    return previous if previous >= Month(*FIRST_MONTH) else None


def step_of(level: int, rule: dict) -> str:
    """The step a level stands for under a rule (LadderRule.as_dict(), as a county month keeps
    it): the highest step whose level it has reached."""
    for step, at in ((Step.INTERVIEW, rule["interview_at"]), (Step.CIRCULAR, rule["circular_at"]),
                     (Step.REMINDER, rule["reminder_at"])):  # fmt: skip
        if level >= at:
            return step
    return Step.NONE


def next_level(before: int, strike: bool, rule: LadderRule) -> tuple[int, str]:
    """(level, step) after a month: a strike climbs one level (at most the interview level) and
    brings the step of the level reached; a month without one steps down one level."""
    if not strike:
        return max(before - 1, 0), (Step.STEP_DOWN if before > 0 else Step.NONE)
    level = min(before + 1, rule.interview_at)
    return level, step_of(level, rule.as_dict())


def strike_reasons(*, late: bool, n_open: int, n_overdue: int, rule: LadderRule) -> list[str]:
    reasons = []
    if late and rule.late_report_strikes:
        reasons.append(Reason.LATE_REPORT)
    if n_open and 100 * n_overdue > rule.overdue_percent * n_open:
        reasons.append(Reason.OVERDUE)
    return reasons


@dataclass
class _Recipients:
    """Who each step tells, read once per run."""

    supervisors: dict[int, list[int]]
    city: list[int]
    names: dict[int, str]

    @classmethod
    def load(cls) -> "_Recipients":
        supervisors, city = county_supervisors(), city_staff()
        ids = {pk for pks in supervisors.values() for pk in pks} | set(city)
        names = {user.pk: user.get_full_name() or user.username
                 for user in User.objects.filter(pk__in=ids)}  # fmt: skip
        return cls(supervisors, city, names)

    def of(self, step: str, county_id: int, counties: list[int]) -> dict:
        """{"users": ids told in the app, "counties": counties whose contacts (附件3) and robot
        are told, "people": [name, role] of each person told, the role a Role or ContactRole
        value (shown in the reader's language: CountyMonth.notified_people)}."""
        if step == Step.NONE:
            return {}
        own = self.supervisors.get(county_id, [])
        if step == Step.REMINDER:
            users, told = own, [county_id]
        elif step == Step.CIRCULAR:
            every = [pk for county in counties for pk in self.supervisors.get(county, [])]
            users, told = [*self.city, *every], counties
        elif step == Step.INTERVIEW:
            users, told = [*self.city, *own], [county_id]
        else:  # stepped down: the county's supervisors are told
            users, told = own, []
        users = list(dict.fromkeys(users))
        city = set(self.city)
        people = [[self.names[pk], Role.CITY_STAFF if pk in city else Role.COUNTY_SUPERVISOR]
                  for pk in users]  # fmt: skip
        for county in told:
            people += [[contact.name, contact.role] for contact in county_contacts(county)]
        return {"users": users, "counties": list(told), "people": people}


def months_due(today: datetime.date) -> list[Month]:
    """The ended months not yet assessed: from the latest assessed one (counties added since
    get theirs) up to last month; only last month on a first run."""
    last = Month.of(today).previous()
    latest = CountyMonth.objects.order_by("-month").values_list("month", flat=True).first()
    start = Month.of(latest) if latest else last
    return list(start.until(last))


@jobs.periodic("county_escalations")
def county_escalations_run(now: datetime.datetime) -> int:
    """Assess every ended month not yet assessed; returns how many county months this run
    assessed (each once, whichever run takes it)."""
    today = timezone.localdate(now)
    rule = LadderRule.current()
    calendar = WorkCalendar()
    recipients = _Recipients.load()
    return sum(
        len(month_assess(month, now=now, rule=rule, calendar=calendar, recipients=recipients))
        for month in months_due(today)
    )


@transaction.atomic
def month_assess(month: Month, *, now, rule, calendar, recipients) -> list[CountyMonth]:
    """Assess one ended month for every county not assessed yet; returns the rows this run
    made. Its steps (circular, interviews, the year-end evaluation) and messages follow."""
    counties = list(Region.objects.filter(level=Region.Level.COUNTY).order_by("code"))
    county_ids = [county.pk for county in counties]
    done = set(CountyMonth.objects.filter(month=month.first).values_list("county_id", flat=True))
    todo = [county for county in counties if county.pk not in done]
    if not todo:
        return []
    before = dict(
        CountyMonth.objects.filter(month=month.previous().first).values_list("county_id", "level")
    )
    tasks = tasks_at_end(month, [county.pk for county in todo])
    report_month = report_due_in(month)
    due = deadline(report_month, calendar) if report_month else None
    reports = {}
    if report_month:
        reports = {
            report.county_id: report
            for report in MonthlyReport.objects.filter(county__in=todo, month=report_month.first)
        }
    run = uuid.uuid4()
    rows = []
    for county in todo:
        n_open, n_overdue = tasks.get(county.pk, (0, 0))
        report = reports.get(county.pk)
        late = report_month is not None and is_late(report, due, month.last)
        reasons = strike_reasons(late=late, n_open=n_open, n_overdue=n_overdue, rule=rule)
        level, step = next_level(before.get(county.pk, 0), bool(reasons), rule)
        rows.append(
            CountyMonth(
                county=county, month=month.first,
                report_month=report_month.first if report_month else None,
                report_deadline=due,
                report_submitted_at=report.first_submitted_at if report else None,
                report_late=late, open_tasks=n_open, overdue_tasks=n_overdue,
                reasons=[str(reason) for reason in reasons],
                level_before=before.get(county.pk, 0), level=level, step=step,
                notified=recipients.of(step, county.pk, county_ids),
                rule=rule.as_dict(), assessed_at=now, run=run,
            )
        )  # fmt: skip
    CountyMonth.objects.bulk_create(rows, ignore_conflicts=True)
    mine = list(
        CountyMonth.objects.filter(month=month.first, run=run)
        .select_related("county")
        .order_by("county__code")
    )
    _steps_take(mine, month=month, now=now)
    if month.month == 12:
        year_evaluate(month.year, now=now, rule=rule)
    if mine:
        transaction.on_commit(
            lambda: ladder_stepped.send(sender=CountyMonth, county_months=mine, at=now)
        )
    return mine


def _steps_take(mine: list[CountyMonth], *, month: Month, now) -> None:
    """The circular naming this month's counties at its step, and each interview to arrange."""
    circulated = [row for row in mine if row.step == Step.CIRCULAR]
    if circulated:
        circular = Circular.objects.create(
            month=month.first, issued_at=now, rows=[circular_row(row) for row in circulated]
        )
        CountyMonth.objects.filter(pk__in=[row.pk for row in circulated]).update(circular=circular)
        for row in circulated:
            row.circular = circular
    Interview.objects.bulk_create(
        [
            Interview(county_id=row.county_id, county_month=row, created_at=now)
            for row in mine
            if row.step == Step.INTERVIEW
        ]
    )


def circular_row(row: CountyMonth) -> dict:
    """A county's line in a circular, as it stood when the circular was issued."""
    submitted = row.report_submitted_at
    return {
        "county_id": row.county_id,
        "county": row.county.name,
        "code": row.county.code,
        "reasons": row.reasons,
        "report_month": row.report_month.isoformat() if row.report_month else None,
        "report_deadline": row.report_deadline.isoformat() if row.report_deadline else None,
        "report_submitted_on": timezone.localdate(submitted).isoformat() if submitted else None,
        "open_tasks": row.open_tasks,
        "overdue_tasks": row.overdue_tasks,
        "overdue_share": row.overdue_share,
        "level": row.level,
    }


# --- the year-end evaluation (年终考评) ------------------------------------------------------


@dataclass(frozen=True)
class YearTally:
    """A county's year: strikes, reports due in the year that came late, interviews called."""

    strikes: int
    late_reports: int
    interviews: int


def year_tallies(year: int, county_ids) -> dict[int, YearTally]:
    """{county id: YearTally} of the months of `year` assessed so far (one query)."""
    rows = (
        CountyMonth.objects.filter(month__year=year, county_id__in=county_ids)
        .order_by()
        .values("county_id")
        .annotate(
            strikes=Count("pk", filter=~Q(reasons=[])),
            late=Count("pk", filter=Q(report_late=True)),
            interviews=Count("pk", filter=Q(step=Step.INTERVIEW)),
        )
        .values_list("county_id", "strikes", "late", "interviews")
    )
    found = {county_id: YearTally(*counts) for county_id, *counts in rows}
    return {pk: found.get(pk, YearTally(0, 0, 0)) for pk in county_ids}


def subsidy_stopped(tally: YearTally, service_rate, coverage_rate, rule: dict) -> bool:
    """The rule (written on the year-end page): the year's strikes or late reports reach the
    rule's count, or either target is under the rule's rate (a threshold of 0 never stops)."""
    strikes, late, percent = (rule["subsidy_strikes"], rule["subsidy_late_reports"],
                              float(rule["subsidy_target_percent"]))  # fmt: skip
    if strikes and tally.strikes >= strikes:
        return True
    if late and tally.late_reports >= late:
        return True
    rates = [rate for rate in (service_rate, coverage_rate) if rate is not None]
    return bool(percent) and any(rate < percent for rate in rates)


def year_evaluate(year: int, *, now, rule: LadderRule) -> list[YearEvaluation]:
    """Freeze the year's evaluation for every county that has none (with the targets now)."""
    counties = Region.objects.filter(level=Region.Level.COUNTY)
    done = set(YearEvaluation.objects.filter(year=year).values_list("county_id", flat=True))
    county_ids = [pk for pk in counties.values_list("pk", flat=True) if pk not in done]
    if not county_ids:
        return []
    tallies = year_tallies(year, county_ids)
    targets = {row.region_id: row for row in targets_by(Case.objects.all(), "county")}
    rows = []
    for county_id in county_ids:
        tally, target = tallies[county_id], targets.get(county_id)
        service = target.service_rate if target else None
        coverage = target.coverage_rate if target else None
        rows.append(
            YearEvaluation(
                county_id=county_id, year=year, strikes=tally.strikes,
                late_reports=tally.late_reports, interviews=tally.interviews,
                eligible=target.eligible if target else 0,
                served=target.served if target else 0, covered=target.covered if target else 0,
                subsidy_stopped=subsidy_stopped(tally, service, coverage, rule.as_dict()),
                rule=rule.as_dict(), evaluated_at=now,
            )
        )  # fmt: skip
    return YearEvaluation.objects.bulk_create(rows, ignore_conflicts=True)
