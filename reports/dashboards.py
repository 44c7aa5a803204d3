"""The home pages' dashboards, for the user's own scope: the two 100% targets by county,
township or village, the stage funnel, open overdue tasks at the end of each of the last
weeks, and last month's figures against the month before.

Each part is a small, fixed number of aggregate queries, however many counties, townships or
weeks it shows: the targets one grouped query (and one for the regions' names), the overdue
series one query of conditional counts, the months two (the submitted figures, and the live
month-only figures of both months as one UNION of grouped queries).
"""

import datetime
from dataclasses import dataclass

from django.db.models import CharField, Count, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access
from casework.models import Region, Role, Stage, User
from workflows import selectors as workflow_selectors

from . import charts, figures, selectors
from .periods import Month
from .targets import Targets, targets_by

WEEKS = 12


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
    total (the groups hold distinct laborers, so the total is their sum; a case placed above
    the grouping's level counts in the total only)."""
    rows = targets_by(cases, field)
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


def week_ends(today: datetime.date, weeks: int = WEEKS) -> list[datetime.date]:
    """Today and the same weekday of each of the weeks before, oldest first."""
    return [today - datetime.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def overdue_series(
    user: User, now: datetime.datetime, weeks: int = WEEKS
) -> list[tuple[datetime.date, int]]:
    """At the end of each of the last `weeks` weeks (now, for the current one), how many of the
    user's tasks were open and past their due date: created by then, not finished by then, due
    before that day (as the overdue list showed it that day). One query of conditional counts.
    A task's due date is today's (a due date moved later counts as if it always was)."""
    today = timezone.localdate(now)
    ends = week_ends(today, weeks)
    counts = {}
    for n, day in enumerate(ends):
        cutoff = now if day == today else _end_of(day)
        counts[f"w{n}"] = Count("pk", filter=Q(due_on__lt=day) & workflow_selectors.open_at(cutoff))
    tasks = workflow_selectors.tasks_visible_to(user).filter(due_on__lt=today)
    found = tasks.aggregate(**counts)
    return [(day, found[f"w{n}"]) for n, day in enumerate(ends)]


def _end_of(day: datetime.date) -> datetime.datetime:
    start = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(start) - datetime.timedelta(microseconds=1)


def month_changes(counties: QuerySet[Region], last: Month) -> list[FigureChange]:
    """Each figure's month-only value for last month and the month before, summed over the
    counties: a submitted (or accepted) report's frozen figures, live ones for the others."""
    previous = last.previous()
    found = _live_month_only(counties, (previous, last))
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


def _live_month_only(counties, months) -> dict[tuple[int, Month], dict]:
    """{(county id, month): {key: n}}: every figure's month-only count for both months, as
    one UNION ALL of one grouped query per figure. (`figures.month_only_by_month` counts the
    same for any run of months; for the 附件1 file's many months its separate queries were three
    times faster on PostgreSQL than one UNION, while a home page wants one query.)"""
    first, last = months[0].first, months[-1].last
    queries = []
    for figure in figures.FIGURES:
        # a figure's rows may be disjoint parts whose counts add up (figures.parts)
        for part in figures.parts((figure.month_rows or figure.rows)(first, last)):
            measures = {
                f"m{n}": figures.measure(figure, part, filter=Q(fig_day__gte=m.first,
                                                                fig_day__lte=m.last))
                for n, m in enumerate(months)
            }  # fmt: skip
            queries.append(
                part.filter(fig_county__in=counties.values("pk"))
                .order_by()
                .values("fig_county")
                .annotate(fig_key=Value(figure.key, output_field=CharField()), **measures)
                .values_list("fig_county", "fig_key", *measures)
            )
    found: dict[tuple[int, Month], dict] = {}
    for county_id, key, *counts in queries[0].union(*queries[1:], all=True):
        for month, n in zip(months, counts, strict=True):
            counted = found.setdefault((county_id, month), {})
            counted[key] = counted.get(key, 0) + (n or 0)
    return found


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
    rows, total = target_rows(access.cases_visible_to(user), field)
    months, changes = None, []
    if months_shown(user):
        last = Month.of(timezone.localdate(now)).previous()
        months = (last.previous(), last)
        changes = month_changes(access.report_counties_visible_to(user), last)
    return Dashboard(
        targets_by=field,
        targets=rows,
        total=total,
        funnel=stage_funnel(stage_counts),
        overdue=overdue_series(user, now),
        months=months,
        changes=changes,
    )
