"""The dashboards' summaries: what the home pages chart, taken for every place by a periodic job
(`dashboards_refreshed`) instead of being counted over the user's whole scope on every view.

A home page's counters come from the tallies the writes keep (casework.tallies); its charts
are analyses over every case and task of the scope (the two 100% targets probe seven record
tables per case, the overdue history reads every task ever due, the month comparison counts
each 附件1 figure twice), which at a million cases took seconds per view. So they are taken per
place, at most every `CASEWORK_DASHBOARD_REFRESH_MINUTES`, and a view sums the rows of its
scope:

- the targets: eligible, served and covered laborers per county, township and village;
- the overdue history: tasks open and past due at the end of each past week-end day, per place
  (a past day is counted once; today's point is read live from the open tasks' tally);
- the months: each figure's month-only count per county for last month and the month before
  (a submitted report's figures still stand over them, as on the live path).

Until a part has been taken (a new database), `reports.dashboards` counts it live. A case is
counted where it is placed; a task where it was (a finished task of a case transferred away
stays in the history of the county it was done in). The dashboards say when they were taken.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Count, Q, QuerySet, Sum, Value
from django.utils import timezone

from casework import access, jobs
from casework.models import Case, Region
from workflows import selectors as workflow_selectors
from workflows.models import CaseTask

from . import figures
from .models import MonthOnly, OverdueAt, PlaceTargets, Snapshot
from .periods import Month
from .targets import Targets, covered_q, served_q, wanting_work

TARGETS = "targets"
WEEKS = 12  # the overdue history's points: today and the same weekday of the weeks before
PLACE_COLUMNS = {"county": "county_id", "township": "township_id", "region": "region_id"}


def _months_part(last: Month) -> str:
    return f"months:{last}"


def _overdue_part(day: datetime.date) -> str:
    return f"overdue:{day.isoformat()}"


def taken_at(part: str) -> datetime.datetime | None:
    return Snapshot.objects.filter(part=part).values_list("taken_at", flat=True).first()


def parts_taken() -> dict[str, datetime.datetime]:
    """{part: when taken} of every part (a few dozen rows at most): one query for a page."""
    return dict(Snapshot.objects.values_list("part", "taken_at"))


def _stamp(part: str, now: datetime.datetime) -> None:
    Snapshot.objects.update_or_create(part=part, defaults={"taken_at": now})


def _due(part: str, now: datetime.datetime) -> bool:
    last = taken_at(part)
    every = datetime.timedelta(minutes=settings.CASEWORK_DASHBOARD_REFRESH_MINUTES)
    return last is None or not (now - every < last <= now)


# --- taking them -------------------------------------------------------------------------------


@jobs.periodic("dashboards_refreshed")
def dashboards_refresh(now: datetime.datetime) -> int:
    """Take each part that is due: the targets and the months when older than the refresh
    interval, each past day of the overdue history not yet counted. How many parts it took."""
    taken = 0
    if _due(TARGETS, now):
        targets_take(now)
        taken += 1
    last = Month.of(timezone.localdate(now)).previous()
    if _due(_months_part(last), now):
        months_take(last, now)
        taken += 1
    return taken + overdue_take(now)


@transaction.atomic
def targets_take(now: datetime.datetime) -> int:
    """Count the two targets per place of every case, in one grouped query; how many places."""
    rows = (
        wanting_work(Case.objects.all())
        .order_by()
        .values_list("county_id", "township_id", "region_id")
        .annotate(
            eligible=Count("pk"),
            served=Count("pk", filter=served_q()),
            covered=Count("pk", filter=covered_q()),
        )
    )
    PlaceTargets.objects.all().delete()
    PlaceTargets.objects.bulk_create(
        PlaceTargets(county_id=county, township_id=township or 0, region_id=region or 0,
                     eligible=eligible, served=served, covered=covered)
        for county, township, region, eligible, served, covered in rows
    )  # fmt: skip
    _stamp(TARGETS, now)
    return len(rows)


@transaction.atomic
def months_take(last: Month, now: datetime.datetime) -> int:
    """Count every figure's month-only value of `last` and the month before for every county;
    how many rows. Older months' rows and parts go."""
    months = (last.previous(), last)
    counties = Region.objects.filter(level=Region.Level.COUNTY)
    found = live_month_only(counties, months)
    MonthOnly.objects.all().delete()
    MonthOnly.objects.bulk_create(
        MonthOnly(county_id=county_id, month=month.first, key=key, n=n)
        for (county_id, month), values in found.items()
        for key, n in values.items()
        if n
    )
    Snapshot.objects.filter(part__startswith="months:").delete()
    _stamp(_months_part(last), now)
    return len(found)


def overdue_take(now: datetime.datetime, weeks: int | None = None) -> int:
    """Count the overdue tasks per place at the end of each past day the dashboards show that
    is not counted yet (a past day's count does not change); how many days it counted. Days
    no dashboard shows any more go."""
    today = timezone.localdate(now)
    days = [day for day in week_ends(today, weeks or WEEKS) if day < today]
    OverdueAt.objects.filter(day__lt=days[0]).delete()
    Snapshot.objects.filter(part__startswith="overdue:", part__lt=_overdue_part(days[0])).delete()
    counted = set(
        Snapshot.objects.filter(part__in=[_overdue_part(day) for day in days]).values_list(
            "part", flat=True
        )
    )
    missing = [day for day in days if _overdue_part(day) not in counted]
    for day in missing:
        with transaction.atomic():
            rows = overdue_by_place(CaseTask.objects.all(), day)
            OverdueAt.objects.filter(day=day).delete()
            OverdueAt.objects.bulk_create(
                OverdueAt(day=day, county_id=county, township_id=township or 0,
                          region_id=region or 0, n=n)
                for county, township, region, n in rows
                if n
            )  # fmt: skip
            _stamp(_overdue_part(day), now)
    return len(missing)


def week_ends(today: datetime.date, weeks: int = WEEKS) -> list[datetime.date]:
    """Today and the same weekday of each of the weeks before, oldest first."""
    return [today - datetime.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def end_of(day: datetime.date) -> datetime.datetime:
    start = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(start) - datetime.timedelta(microseconds=1)


def overdue_by_place(tasks: QuerySet[CaseTask], day: datetime.date) -> list[tuple]:
    """(county, township, village, n): of these tasks, those open at the end of `day` and due
    before it (as the overdue list showed them that day)."""
    return list(
        tasks.filter(Q(due_on__lt=day) & workflow_selectors.open_at(end_of(day)))
        .order_by()
        .values_list("county_id", "township_id", "region_id")
        .annotate(n=Count("pk"))
    )


def live_month_only(counties, months) -> dict[tuple[int, Month], dict]:
    """{(county id, month): {key: n}}: every figure's month-only count for the months, as
    one UNION ALL of one grouped query per figure. (`figures.month_only_by_month` counts the
    same for any run of months; for the 附件1 file's many months its separate queries were three
    times faster on PostgreSQL than one UNION, while a dashboard wants one query.)"""
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


# --- reading them ------------------------------------------------------------------------------


def targets_for(scope: access.Scope, field: str, taken: dict) -> list[Targets] | None:
    """The targets of the scope's places per county, township or village ("region"), as taken;
    None when they have not been taken yet (`taken`: parts_taken()). A case placed above the
    grouping's level is a row without a region (counted in the total only), as
    `targets.targets_by` gives it."""
    if TARGETS not in taken:
        return None
    column = PLACE_COLUMNS[field]
    rows = (
        PlaceTargets.objects.filter(scope.case_q())
        .values(column)
        .annotate(eligible=Sum("eligible"), served=Sum("served"), covered=Sum("covered"))
        .values_list(column, "eligible", "served", "covered")
        .order_by()
    )
    return [Targets(region or None, *counts) for region, *counts in rows]


def overdue_for(
    scope: access.Scope, days: list[datetime.date], taken: dict
) -> dict[datetime.date, int]:
    """{day: overdue tasks of the scope's places at its end} for those of the days counted
    (`taken`: parts_taken())."""
    counted = [day for day in days if _overdue_part(day) in taken]
    if not counted:
        return {}
    sums = dict(
        OverdueAt.objects.filter(scope.case_q(), day__in=counted)
        .values("day")
        .annotate(total=Sum("n"))
        .values_list("day", "total")
        .order_by()
    )
    return {day: sums.get(day, 0) for day in counted}


def month_only_for(counties: QuerySet[Region], last: Month, taken: dict) -> dict | None:
    """{(county id, month): {key: n}} of last month and the month before for these counties,
    as taken; None when they have not been taken for `last` (`taken`: parts_taken())."""
    if _months_part(last) not in taken:
        return None
    found: dict[tuple[int, Month], dict] = {}
    rows = MonthOnly.objects.filter(county_id__in=counties.values("pk"))
    for county_id, month, key, n in rows.values_list("county_id", "month", "key", "n"):
        found.setdefault((county_id, Month.of(month)), {})[key] = n
    return found
