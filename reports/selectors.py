"""Reads of the monthly reports: a month's rows for the counties a user reads, one county's
report, and the ids behind a figure (the frozen ones once submitted)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from casework.models import Region
from workflows.deadlines import WorkCalendar

from . import figures
from .models import MonthlyReport, Submission
from .periods import Month, deadline

FROZEN = (MonthlyReport.Status.SUBMITTED, MonthlyReport.Status.ACCEPTED)


class _Status:
    """A report's status, a draft while none exists."""

    report: MonthlyReport | None

    @property
    def status(self) -> str:
        return self.report.status if self.report else MonthlyReport.Status.DRAFT

    @property
    def status_label(self) -> str:
        return MonthlyReport.Status(self.status).label


@dataclass
class ReportRow(_Status):
    county: Region
    month: Month
    report: MonthlyReport | None
    figures: dict
    deadline: datetime.date
    late: bool
    submissions: list[Submission] = field(default_factory=list)

    @property
    def frozen(self) -> bool:
        return self.status in FROZEN

    @property
    def latest(self) -> Submission | None:
        return self.submissions[-1] if self.submissions else None

    @property
    def remarks(self) -> str:
        if self.frozen:
            return self.latest.remarks
        return self.report.remarks if self.report else ""


def is_late(report: MonthlyReport | None, due: datetime.date, today: datetime.date) -> bool:
    """Late when the first submission came after the deadline, or none came by then."""
    first = report.first_submitted_at if report else None
    if first is None:
        return today > due
    return timezone.localdate(first) > due


def _reports(counties, month: Month) -> dict[int, MonthlyReport]:
    submissions = Submission.objects.order_by("submitted_at", "pk").select_related(
        "submitted_by", "decided_by", "reconciliation"
    )
    reports = MonthlyReport.objects.filter(county__in=counties, month=month.first)
    reports = reports.prefetch_related(Prefetch("submissions", queryset=submissions))
    return {report.county_id: report for report in reports}


@dataclass(frozen=True)
class ReportState(_Status):
    """A county's report of a month without its figures: status, deadline and lateness."""

    report: MonthlyReport | None
    deadline: datetime.date
    late: bool


def report_states(county_ids, month: Month, today: datetime.date) -> dict[int, ReportState]:
    """{county id: ReportState} of a month's reports, in one query (no figure is counted)."""
    due = deadline(month, WorkCalendar())
    reports = {
        report.county_id: report
        for report in MonthlyReport.objects.filter(county_id__in=county_ids, month=month.first)
    }
    return {
        pk: ReportState(reports.get(pk), due, is_late(reports.get(pk), due, today))
        for pk in county_ids
    }


def report_rows(counties: QuerySet[Region], month: Month, today=None) -> list[ReportRow]:
    """One row per county, in code order: frozen figures for a submitted or accepted report,
    live ones (every county's in one pass) for the others."""
    today = today or timezone.localdate()
    counties = list(counties.order_by("code"))
    reports = _reports(counties, month)
    live_ids = [c.pk for c in counties if reports.get(c.pk) is None
                or reports[c.pk].status not in FROZEN]  # fmt: skip
    live = figures.figures_by_county(month, live_ids) if live_ids else {}
    due = deadline(month, WorkCalendar())
    rows = []
    for county in counties:
        report = reports.get(county.pk)
        submissions = list(report.submissions.all()) if report else []
        frozen = report is not None and report.status in FROZEN
        rows.append(
            ReportRow(
                county=county,
                month=month,
                report=report,
                figures=submissions[-1].figures if frozen else live[county.pk],
                deadline=due,
                late=is_late(report, due, today),
                submissions=submissions,
            )
        )
    return rows


def totals(rows: list[ReportRow]) -> dict:
    """The city's totals: each figure summed over the rows."""
    return {
        scope: {key: sum(row.figures[scope][key] for row in rows) for key in figures.KEYS}
        for scope in figures.SCOPES
    }


def figure_members(row: ReportRow, figure: figures.Figure, scope: str) -> list[int]:
    """The ids behind one figure of a row: the frozen ones of a submitted report."""
    if row.frozen:
        return row.latest.members[scope][figure.key]
    return figures.members(figure, scope, row.month, row.county.pk)


def frozen_month_only(counties, first: Month, last: Month) -> dict[tuple[int, Month], dict]:
    """{(county id, month): month-only figures} of the submitted or accepted reports of these
    counties from first to last (one query: each report's latest submission)."""
    latest = Submission.objects.filter(report=OuterRef("pk")).order_by("-submitted_at", "-pk")
    reports = MonthlyReport.objects.filter(
        county__in=counties, month__range=(first.first, last.first), status__in=FROZEN
    ).annotate(frozen=Subquery(latest.values("figures")[:1]))
    return {
        (county_id, Month.of(month)): (frozen or {}).get(figures.MONTH_ONLY, {})
        for county_id, month, frozen in reports.values_list("county_id", "month", "frozen")
    }
