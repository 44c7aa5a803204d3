"""The home pages' dashboards, for the user's own scope: the two 100% targets by county,
township or village, the stage funnel, open overdue tasks at the end of each of the last
weeks, and last month's figures against the month before.

The counters come from the tallies the writes keep; the charts from the summaries a periodic
job takes per place (reports.snapshots), summed over the user's scope, so a dashboard costs a
small, fixed number of queries over small tables however many cases the scope holds. A part
not taken yet (a new database) is counted live: the targets one grouped query, the overdue
series one query of conditional counts, the months one UNION of grouped queries.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access
from casework.models import Region, Role, Stage, User
from workflows import selectors as workflow_selectors

from . import charts, figures, selectors, snapshots
from .periods import Month
from .snapshots import WEEKS, week_ends
from .targets import Targets, targets_by


@dataclass(frozen=True)
class TargetRow:
    name: str
    targets: Targets


@dataclass(frozen=True)
class FigureChange:
    figure: figures.Figure
    previous: int
    last: int


@dataclass
class Dashboard:
    targets_by: str  # "county", "township" or "region" (the village)
    targets: list[TargetRow]
    total: Targets
    funnel: list[tuple[str, str, int]]  # (label, stage, cases)
    overdue: list[tuple[datetime.date, int]]  # (end of week, open overdue tasks then)
    months: tuple[Month, Month] | None  # (the month before, last month); None: not shown
    changes: list[FigureChange]
    # when the summaries the charts read were taken (reports.snapshots); None: counted live
    taken_at: datetime.datetime | None = None

    def targets_chart(self) -> charts.BarChart:
        series = [charts.Series(_("Refined service"), charts.BLUE),
                  charts.Series(_("Policy coverage"), charts.GREEN)]  # fmt: skip
        groups = [
            (row.name, _target_bars(row.targets))
            for row in [*self.targets, TargetRow(_("Total"), self.total)]
        ]
        title = {
            "county": _("The two 100% targets by county"),
            "township": _("The two 100% targets by township"),
            "region": _("The two 100% targets by village"),
        }[self.targets_by]
        return charts.bar_chart(title, series, groups, scale_max=100, mark=(100, "100%"))

    def funnel_chart(self) -> charts.Funnel:
        cases = reverse("casework:case_list")
        steps = [
            (
                label,
                n,
                f"{cases}?stage={stage}",
                charts.GREY if stage == Stage.CLOSED else charts.BLUE,
            )
            for label, stage, n in self.funnel
        ]
        return charts.funnel(_("Cases by stage"), steps)

    def overdue_chart(self) -> charts.LineChart:
        return charts.line_chart(_("Overdue tasks at the end of each week"), self.overdue)

    def months_chart(self) -> charts.BarChart | None:
        if self.months is None:
            return None
        colors = (charts.GREY, charts.BLUE)
        series = [
            charts.Series(str(month), color)
            for month, color in zip(self.months, colors, strict=True)
        ]
        groups = [
            (f"{change.figure.key} {change.figure.label}",
             [(change.previous, str(change.previous)), (change.last, str(change.last))])
            for change in self.changes
        ]  # fmt: skip
        title = _("Each figure of %(last)s against %(previous)s") % {
            "last": self.months[1], "previous": self.months[0]}  # fmt: skip
        return charts.bar_chart(title, series, groups)


def _target_bars(targets: Targets) -> list[tuple[float, str]]:
    def bar(rate, part):
        if rate is None:
            return (0, "—")
        return (rate, f"{rate:.1f}% ({part}/{targets.eligible})")

    return [bar(targets.service_rate, targets.served), bar(targets.coverage_rate, targets.covered)]


def targets_grouping(user: User) -> str:
    """City staff and administrators compare counties, a county supervisor the townships of
    the county, a caseworker the villages of their townships."""
    if user.role in (Role.CITY_STAFF, Role.ADMIN):
        return "county"
    return "township" if user.role == Role.COUNTY_SUPERVISOR else "region"


def target_rows(cases: QuerySet, field: str) -> tuple[list[TargetRow], Targets]:
    """The targets per county, township or village of these cases, by region code, and their
    total, counted live."""
    return target_listing(targets_by(cases, field))


def target_listing(rows: list[Targets]) -> tuple[list[TargetRow], Targets]:
    """Rows of targets per region, named and in region-code order, and their total (the groups
    hold distinct laborers, so the total is their sum; a case placed above the grouping's level
    counts in the total only)."""
    regions = Region.objects.filter(pk__in=[row.region_id for row in rows]).order_by("code")
    by_id = {row.region_id: row for row in rows}
    listed = [TargetRow(region.name, by_id[region.pk]) for region in regions]
    total = Targets(
        None,
        eligible=sum(row.eligible for row in rows),
        served=sum(row.served for row in rows),
        covered=sum(row.covered for row in rows),
    )
    return listed, total


def stage_funnel(stage_counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """Cases in each stage, in the order a case moves through them, closed last."""
    return [(label, value, stage_counts.get(value, 0)) for value, label in Stage.choices]


def overdue_series(
    user: User, now: datetime.datetime, weeks: int = WEEKS, taken: dict | None = None
) -> list[tuple[datetime.date, int]]:
    """At the end of each of the last `weeks` weeks (now, for the current one), how many of the
    user's tasks were open and past their due date: created by then, not finished by then, due
    before that day (as the overdue list showed it that day). A task's due date is today's (a
    due date moved later counts as if it always was). The past days come from the summaries
    (reports.snapshots) where taken, the others from one query of conditional counts; the
    current point from the open tasks' tally. `taken`: snapshots.parts_taken()."""
    taken = snapshots.parts_taken() if taken is None else taken
    today = timezone.localdate(now)
    ends = week_ends(today, weeks)
    past = [day for day in ends if day < today]
    found = snapshots.overdue_for(access.scope_of(user), past, taken)
    missing = [day for day in past if day not in found]
    if missing:
        counts = {
            f"w{n}": Count("pk", filter=Q(due_on__lt=day) & workflow_selectors.open_at(
                snapshots.end_of(day)))
            for n, day in enumerate(missing)
        }  # fmt: skip
        tasks = workflow_selectors.tasks_visible_to(user).filter(due_on__lt=missing[-1])
        live = tasks.aggregate(**counts)
        found.update({day: live[f"w{n}"] for n, day in enumerate(missing)})
    by_county = workflow_selectors.task_counts_by_county(user, today)
    found[today] = sum(counts.get("overdue", 0) for counts in by_county.values())
    return [(day, found[day]) for day in ends]


def month_changes(
    counties: QuerySet[Region], last: Month, taken: dict | None = None
) -> list[FigureChange]:
    """Each figure's month-only value for last month and the month before, summed over the
    counties: a submitted (or accepted) report's frozen figures, live ones for the others."""
    previous = last.previous()
    taken = snapshots.parts_taken() if taken is None else taken
    found = snapshots.month_only_for(counties, last, taken)
    if found is None:  # not taken yet
        found = snapshots.live_month_only(counties, (previous, last))
    # a submitted report's figures stand
    found.update(selectors.frozen_month_only(counties, previous, last))
    totals = {month: dict.fromkeys(figures.KEYS, 0) for month in (previous, last)}
    for (_county_id, month), values in found.items():
        for key in figures.KEYS:
            totals[month][key] += values.get(key, 0)
    return [
        FigureChange(figure, totals[previous][figure.key], totals[last][figure.key])
        for figure in figures.FIGURES
    ]


def months_shown(user: User) -> bool:
    """Caseworkers read no monthly report (access.may_see_reports), so their dashboard has no
    month comparison either."""
    return access.may_see_reports(user)


def dashboard_for(
    user: User, stage_counts: dict[str, int], now: datetime.datetime | None = None
) -> Dashboard:
    """The user's dashboard; stage_counts are the home page's own (cases_by_stage)."""
    now = now or timezone.now()
    field = targets_grouping(user)
    taken = snapshots.parts_taken()
    counted = snapshots.targets_for(access.scope_of(user), field, taken)
    rows, total = target_listing(
        counted if counted is not None else targets_by(access.cases_visible_to(user), field)
    )
    months, changes = None, []
    if months_shown(user):
        last = Month.of(timezone.localdate(now)).previous()
        months = (last.previous(), last)
        changes = month_changes(access.report_counties_visible_to(user), last, taken)
    return Dashboard(
        targets_by=field,
        targets=rows,
        total=total,
        funnel=stage_funnel(stage_counts),
        overdue=overdue_series(user, now, taken=taken),
        months=months,
        changes=changes,
        taken_at=taken.get(snapshots.TARGETS),
    )
