"""Reads of the supervision: every county's standing on the ladder (now, or as a past month
ended) with its ranking, a county's history, and the year-end evaluation (frozen, or provisional
while the year runs). Each is a fixed number of queries, however many counties."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from casework.models import Case, Region
from reports.periods import Month
from reports.selectors import ReportState, report_states
from reports.targets import Targets, targets_by
from workflows.models import CaseTask
from workflows.selectors import OPEN

from .ladder import YearTally, subsidy_stopped, tasks_at_end, year_tallies
from .models import CountyMonth, Inspection, Interview, LadderRule, YearEvaluation

NO_TARGETS = Targets(None, 0, 0, 0)


@dataclass
class Standing:
    """A county as it stands: its ladder level and latest assessed month, its strikes in the
    last twelve assessed months, its open and overdue tasks, last month's report and the two
    targets; `rank` once ranked (1 is best)."""

    county: Region
    latest: CountyMonth | None
    strikes: int
    open_tasks: int
    overdue_tasks: int
    report: ReportState | None
    targets: Targets
    history: list[CountyMonth] = field(default_factory=list)
    rank: int = 0

    @property
    def level(self) -> int:
        return self.latest.level if self.latest else 0

    @property
    def overdue_share(self) -> float:
        """Overdue tasks as a percentage of open tasks (0 with no open task)."""
        if not self.open_tasks:
            return 0.0
        return round(100 * self.overdue_tasks / self.open_tasks, 1)


def live_tasks(county_ids, today: datetime.date) -> dict[int, tuple[int, int]]:
    """{county id: (open tasks, overdue tasks)} now, as the overdue list shows them today."""
    rows = (
        CaseTask.objects.filter(task__status__in=OPEN, county_id__in=county_ids)
        .order_by()
        .values("county_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
        .values_list("county_id", "open", "overdue")
    )
    return {county_id: (n_open, n_overdue) for county_id, n_open, n_overdue in rows}


def ranked(standings: list[Standing]) -> list[Standing]:
    """The ranking (written on the page): overdue share ascending, then refined-service rate
    descending (a county with nobody to serve after those with a rate), then county code."""

    def key(standing: Standing):
        rate = standing.targets.service_rate
        return (standing.overdue_share, rate is None, -(rate or 0), standing.county.code)

    order = sorted(standings, key=key)
    for rank, standing in enumerate(order, start=1):
        standing.rank = rank
    return order


def standings(
    counties: QuerySet[Region], *, today: datetime.date | None = None, ended: Month | None = None,
    history_months: int = 12,
) -> list[Standing]:  # fmt: skip
    """Every county's standing, ranked: now (tasks as today's overdue list shows them, last
    month's report), or as the month `ended` ended (its tasks then, its own report and the
    ladder up to it). The targets are today's: they are not kept per month."""
    today = today or timezone.localdate()
    counties = list(counties.order_by("code"))
    ids = [county.pk for county in counties]
    last = ended or Month.of(today).previous()
    tasks = tasks_at_end(ended, ids) if ended else live_tasks(ids, today)
    report_day = ended.last if ended else today
    reports = report_states(ids, last, report_day)
    targets = {row.region_id: row for row in targets_by(Case.objects.all(), "county")}
    first = last
    for _ in range(history_months - 1):
        first = first.previous()
    months = CountyMonth.objects.filter(
        county_id__in=ids, month__gte=first.first, month__lte=last.first
    ).order_by("month")
    history: dict[int, list[CountyMonth]] = {}
    for row in months:
        history.setdefault(row.county_id, []).append(row)
    found = []
    for county in counties:
        rows = history.get(county.pk, [])
        n_open, n_overdue = tasks.get(county.pk, (0, 0))
        found.append(
            Standing(
                county=county, latest=rows[-1] if rows else None,
                strikes=sum(1 for row in rows if row.strike), open_tasks=n_open,
                overdue_tasks=n_overdue, report=reports.get(county.pk),
                targets=targets.get(county.pk, NO_TARGETS), history=rows,
            )
        )  # fmt: skip
    return ranked(found)


def ladder_events(counties: QuerySet[Region], first: Month, last: Month) -> list[CountyMonth]:
    """The months from first to last that brought a step (or a step down), oldest first."""
    return list(
        CountyMonth.objects.filter(
            county__in=counties, month__gte=first.first, month__lte=last.first
        )
        .exclude(step="none")
        .select_related("county", "circular")
        .order_by("month", "county__code")
    )


def county_history(county: Region) -> list[CountyMonth]:
    """A county's every assessed month, newest first."""
    return list(CountyMonth.objects.filter(county=county).select_related("circular", "interview"))


def inspections(counties: QuerySet[Region], first=None, last=None) -> QuerySet[Inspection]:
    """The inspections of these counties (held from first to last, when given), newest first."""
    found = Inspection.objects.filter(county__in=counties)
    if first:
        found = found.filter(held_on__gte=first)
    if last:
        found = found.filter(held_on__lte=last)
    return found.select_related("county", "recorded_by")


def interviews(counties: QuerySet[Region]) -> QuerySet[Interview]:
    """The interviews of these counties, the ones still to arrange first, then newest first."""
    return (
        Interview.objects.filter(county__in=counties)
        .select_related("county", "county_month", "updated_by")
        .order_by("held_on", "-created_at")
    )


@dataclass(frozen=True)
class YearRow:
    """A county's year-end evaluation: frozen (evaluated_at set) or provisional."""

    county: Region
    tally: YearTally
    targets: Targets
    subsidy_stopped: bool
    evaluated_at: datetime.datetime | None


def year_rows(counties: QuerySet[Region], year: int) -> tuple[list[YearRow], dict]:
    """Each county's evaluation of `year` and the rule it is judged by: the frozen evaluation
    once December is assessed, else the year so far with today's targets and today's rule."""
    counties = list(counties.order_by("code"))
    frozen = {
        row.county_id: row for row in YearEvaluation.objects.filter(year=year, county__in=counties)
    }
    rule = LadderRule.current().as_dict()
    tallies = year_tallies(year, [c.pk for c in counties if c.pk not in frozen])
    targets = {row.region_id: row for row in targets_by(Case.objects.all(), "county")}
    rows = []
    for county in counties:
        if county.pk in frozen:
            done = frozen[county.pk]
            rule = done.rule
            rows.append(
                YearRow(
                    county, YearTally(done.strikes, done.late_reports, done.interviews),
                    Targets(county.pk, done.eligible, done.served, done.covered),
                    done.subsidy_stopped, done.evaluated_at,
                )
            )  # fmt: skip
            continue
        target = targets.get(county.pk, NO_TARGETS)
        tally = tallies[county.pk]
        stopped = subsidy_stopped(tally, target.service_rate, target.coverage_rate, rule)
        rows.append(YearRow(county, tally, target, stopped, None))
    return rows, rule


def year_assessed(year: int) -> bool:
    """Whether any month of the year was assessed (else there is nothing to evaluate)."""
    return (
        YearEvaluation.objects.filter(year=year).exists()
        or CountyMonth.objects.filter(month__year=year).exists()
    )
