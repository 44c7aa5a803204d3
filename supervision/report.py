"""The supervision report (督导报告) of a quarter or a month, as a PDF: the cover, the two 100%
targets per county, the stage funnel, overdue tasks by county, township and caseworker as the
period ended, the ladder's levels and steps, inspections, the ranking, the charts of the web
pages, and an annex listing every overdue case with masked ID numbers.

"As the period ended" is the first moment of the day after its last (the ladder's
`tasks_at_end`), or the start of today for a period still running: a task counts when it was
open then and due before that day. Each part is a fixed number of queries; the annex is read
as a stream of value rows (its thousands of rows are never model instances), and only its
masked numbers reach the template.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import pdf
from casework.idnumber import mask_id_number
from casework.models import Case, Region, Stage
from casework.records import cases_in_stages_on
from reports import charts
from reports.dashboards import Dashboard, stage_funnel, target_rows
from reports.periods import Month
from workflows.models import CaseTask, TaskKind
from workflows.selectors import open_at

from . import selectors
from .ladder import open_as_day_began, start_of
from .periods import Period

TITLE = "河源市就业技能扶贫督导报告"  # the report's official name, in every language
EXPORT_KIND = "supervision_report"
TEMPLATE = "supervision/report_pdf.html"
ANNEX_CHUNK = 2000  # rows read from the database at a time

Progress = Callable[[float], None]


def _no_progress(_fraction: float) -> None:
    return None


def overdue_at(cut: datetime.date) -> QuerySet[CaseTask]:
    """The tasks overdue as the day `cut` began: open then and due before it."""
    return open_as_day_began(cut).filter(due_on__lt=cut)


def person_name(username, first_name, last_name) -> str:
    """A task holder as the lists show one: full name, else user name; unclaimed when none."""
    if username is None:
        return _("Unclaimed")
    full = f"{last_name or ''}{first_name or ''}".strip()
    return full or username


@dataclass(frozen=True)
class OverdueRow:
    county: str
    place: str  # the township or caseworker ("" for the county table)
    tasks: int


def overdue_by(tasks: QuerySet[CaseTask], by: str) -> list[OverdueRow]:
    """Overdue tasks counted per county, per township or per caseworker (one grouped query),
    by county code and then the largest first."""
    fields = {
        "county": [],
        "township": ["township__name", "township__code"],
        "caseworker": ["task__owner__username", "task__owner__first_name",
                       "task__owner__last_name"],
    }[by]  # fmt: skip
    rows = (
        tasks.order_by()
        .values("county__code", "county__name", *fields)
        .annotate(n=Count("pk"))
        .order_by("county__code", "-n", *fields)
    )
    found = []
    for row in rows:
        if by == "township":
            place = row["township__name"] or _("(county level: transfers to accept)")
        elif by == "caseworker":
            place = person_name(row["task__owner__username"], row["task__owner__first_name"],
                                row["task__owner__last_name"])  # fmt: skip
        else:
            place = ""
        found.append(OverdueRow(row["county__name"], place, row["n"]))
    return found


def stages_on(day: datetime.date) -> dict[str, int]:
    """How many cases (not merged, identified by then) were in each stage at the end of `day`
    (casework.records: a stage changed since is read from its dated changes)."""
    cases = Case.objects.filter(merged_into__isnull=True, identified_on__lte=day)
    unchanged, changed = cases_in_stages_on(cases, day, Stage.values)
    counts = dict(unchanged.order_by().values_list("stage").annotate(n=Count("pk")))
    for stage, n in changed.order_by().values_list("stage_then").annotate(n=Count("pk")):
        counts[stage] = counts.get(stage, 0) + n
    return counts


def overdue_series(period: Period, cut: datetime.date) -> list[tuple[datetime.date, int]]:
    """Overdue tasks as each week of the period began, and at the cut (one query of
    conditional counts, as the home page's line)."""
    days = []
    day = period.first.first
    while day < cut:
        days.append(day)
        day += datetime.timedelta(weeks=1)
    days.append(cut)
    counts = {
        f"d{n}": Count("pk", filter=Q(due_on__lt=day) & open_at(start_of(day)))
        for n, day in enumerate(days)
    }
    found = CaseTask.objects.filter(due_on__lt=cut).aggregate(**counts)
    return [(day, found[f"d{n}"]) for n, day in enumerate(days)]


def ranking_chart(standings: list[selectors.Standing]) -> charts.BarChart:
    """Each county's overdue share and refined-service rate, in ranking order."""
    series = [charts.Series(_("Overdue share"), charts.GREY),
              charts.Series(_("Refined service"), charts.BLUE)]  # fmt: skip
    groups = []
    for standing in standings:
        rate = standing.targets.service_rate
        groups.append((
            f"{standing.rank}. {standing.county.name}",
            [(standing.overdue_share, f"{standing.overdue_share:.1f}%"),
             (rate or 0, "—" if rate is None else f"{rate:.1f}%")],
        ))  # fmt: skip
    return charts.bar_chart(_("The ranking: overdue share and refined service"), series, groups,
                            scale_max=100)  # fmt: skip


def funnel_chart(funnel: list[tuple[str, str, int]]) -> charts.Funnel:
    """The home page's funnel, its bars linking nowhere (a PDF has no pages to open)."""
    steps = [(label, n, "", charts.GREY if stage == Stage.CLOSED else charts.BLUE)
             for label, stage, n in funnel]  # fmt: skip
    return charts.funnel(_("Cases by stage"), steps)


@dataclass(frozen=True)
class AnnexRow:
    case_id: int
    name: str
    masked_id: str
    county: str
    township: str
    village: str
    task: str
    due_on: datetime.date
    days: int
    caseworker: str


ANNEX_FIELDS = (
    "case_id", "case__person__name", "case__person__id_number", "county__name", "township__name",
    "region__name", "region__level", "kind", "due_on", "task__owner__username",
    "task__owner__first_name", "task__owner__last_name",
)  # fmt: skip


def annex_rows(
    tasks: QuerySet[CaseTask], cut: datetime.date, progress: Progress = _no_progress,
    total: int = 0,
) -> Iterator[AnnexRow]:  # fmt: skip
    """The overdue tasks, one row each, by place and due date, read ANNEX_CHUNK rows at a time;
    the ID number leaves this function masked (place code and last four, no birth date)."""
    kinds = dict(TaskKind.choices)
    rows = (
        tasks.order_by("county__code", "township__code", "region__code", "due_on", "case_id")
        .values_list(*ANNEX_FIELDS)
        .iterator(chunk_size=ANNEX_CHUNK)
    )
    for n, row in enumerate(rows, start=1):
        (case_id, name, number, county, township, region, level, kind, due_on,
         username, first_name, last_name) = row  # fmt: skip
        village = region if level == Region.Level.VILLAGE else ""
        yield AnnexRow(
            case_id, name, mask_id_number(number), county, township or "", village or "",
            str(kinds.get(kind, kind)), due_on, (cut - due_on).days,
            person_name(username, first_name, last_name),
        )  # fmt: skip
        if total and n % 200 == 0:
            progress(n / total)


@dataclass(frozen=True)
class Rendered:
    content: bytes
    annex_rows: int


def report_context(period: Period, *, today: datetime.date, generated_by: str,
                   progress: Progress = _no_progress) -> dict:  # fmt: skip
    """Everything the PDF shows but the annex's rows (a generator, added by report_render)."""
    counties = Region.objects.filter(level=Region.Level.COUNTY)
    ended = period.ended(today)
    cut = period.cut(today)
    as_of = cut - datetime.timedelta(days=1)  # the figures are as this day ended
    tasks = overdue_at(cut)
    targets, total = target_rows(Case.objects.all(), "county")
    funnel = stage_funnel(stages_on(as_of))
    progress(0.1)
    standings = (
        selectors.standings(counties, ended=period.last) if ended
        else selectors.standings(counties, today=today)
    )  # fmt: skip
    events = selectors.ladder_events(counties, period.first, period.last)
    held = list(selectors.inspections(counties, period.first.first, period.last.last)
                .order_by("held_on", "county__code"))  # fmt: skip
    progress(0.2)
    series = overdue_series(period, cut)
    dashboard = Dashboard(
        targets_by="county", targets=targets, total=total, funnel=funnel, overdue=series,
        months=None, changes=[],
    )  # fmt: skip
    by_county = overdue_by(tasks, "county")
    context = {
        "title": TITLE,
        "period": period,
        "ended": ended,
        "as_of": as_of,
        "generated_at": timezone.localtime(),
        "generated_by": generated_by,
        "targets": targets,
        "total": total,
        "funnel": funnel,
        "funnel_total": sum(n for _label, _stage, n in funnel),
        "overdue_by_county": by_county,
        "overdue_by_township": overdue_by(tasks, "township"),
        "overdue_by_caseworker": overdue_by(tasks, "caseworker"),
        "overdue_total": sum(row.tasks for row in by_county),
        "standings": standings,
        # the month the levels are as assessed: the period's last, or last month while it runs
        "ladder_month": period.last if ended else Month.of(today).previous(),
        "events": events,
        "inspections": held,
        "targets_chart": dashboard.targets_chart(),
        "funnel_chart": funnel_chart(funnel),
        "overdue_chart": charts.line_chart(_("Overdue tasks as each week began"), series),
        "ranking_chart": ranking_chart(standings),
    }
    progress(0.3)
    return context


def report_render(period: Period, *, generated_by: str, today: datetime.date | None = None,
                  progress: Progress = _no_progress) -> Rendered:  # fmt: skip
    """The report as PDF bytes, with how many rows its annex lists; casework.pdf.FontMissing
    when no CJK font is installed. Recording the export is the caller's (a download, the
    command's file), as the job that stores a report exports nothing."""
    if not pdf.cjk_font_available():
        raise pdf.FontMissing
    today = today or timezone.localdate()
    context = report_context(period, today=today, generated_by=generated_by, progress=progress)
    cut = period.cut(today)
    tasks = overdue_at(cut)
    total = context["overdue_total"]
    context["annex"] = annex_rows(tasks, cut, lambda f: progress(0.3 + 0.2 * f), total)
    content = pdf.render_pdf(TEMPLATE, context)
    progress(1.0)
    return Rendered(content, total)


def filename(period: Period) -> str:
    return f"督导报告-{period}.pdf"


def description(period: Period) -> str:
    """What the export record says of it."""
    return f"{TITLE} {period}"
