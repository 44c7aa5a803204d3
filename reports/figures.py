"""The figures of the monthly report (附件1), counted in SQL from the dated, placed records.

Each figure is a set of rows annotated with the county it counts for (`fig_county`), what it
counts (`fig_member`: a laborer's case, or a workshop or post), the day that dates it (`fig_day`)
and, for posts, a weight (`fig_weight`: the number of posts). The same rows give the counts
(grouped by county, one query per figure for every county at once) and the drill-down (the ids
of one county), so a list's length is the figure by construction. The definitions are written
out in docs/monthly-report.md; each figure's `definition` is that text, shown as a tooltip.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from casework.models import (
    Case,
    Confirmation,
    Course,
    Enrolment,
    FollowUp,
    Outreach,
    Placement,
    PublicPost,
    Stage,
    StageChange,
    Survey,
    Workshop,
)
from casework.records import (
    EMPLOYED_STAGES,
    cases_in_stages_on,
    split_by_county_on,
)

from .periods import Month

CUMULATIVE, MONTH_ONLY = "cumulative", "month_only"
SCOPES = (CUMULATIVE, MONTH_ONLY)
CASES, WORKSHOPS, POSTS = "cases", "workshops", "public_posts"

# rows(first, last): a queryset, or disjoint querysets whose counts add up (a case is in one)
Rows = Callable[[datetime.date | None, datetime.date], QuerySet | tuple[QuerySet, ...]]


def merged_cases():
    return Case.objects.filter(merged_into__isnull=False).values("pk")


@dataclass(frozen=True)
class Figure:
    key: str
    number: str  # the form's column number (序号)
    group: str  # the form's group heading, as printed on it
    title: str  # the form's column heading, as printed on it
    label: str  # the heading in the reader's language
    definition: str
    # rows(first, last): the rows dated from first (None: from the beginning) to last
    rows: Rows
    # the month's rows, when the month counts by a different place than the running total
    month_rows: Rows | None = None
    lists: str = CASES
    weighted: bool = False  # a sum of fig_weight rather than a count of distinct members


def _dated(queryset: QuerySet, day_field: str, first, last) -> QuerySet:
    queryset = queryset.filter(**{f"{day_field}__lte": last})
    if first is not None:
        queryset = queryset.filter(**{f"{day_field}__gte": first})
    return queryset


def _records(model, day_field: str, **filters) -> Rows:
    """Records of laborers counted where and when each was made (Located)."""

    def rows(first, last):
        queryset = model.objects.filter(**filters).exclude(case_id__in=merged_cases())
        return _dated(queryset, day_field, first, last).annotate(
            fig_county=F("county_id"), fig_member=F("case_id"), fig_day=F(day_field)
        )

    return rows


def _programmes(model, day_field: str, weight: str | None = None) -> Rows:
    """Programmes of the county (workshops, post schemes), by the day they started; `weight`
    names the field a weighted figure sums."""

    def rows(first, last):
        weights = {"fig_weight": F(weight)} if weight else {}
        return _dated(model.objects.all(), day_field, first, last).annotate(
            fig_county=F("county_id"), fig_member=F("pk"), fig_day=F(day_field), **weights
        )

    return rows


def _on_roster(first, last):
    """Identified on or before the last day and not off the list by then, where the case
    belonged on that day."""
    cases = Case.objects.filter(merged_into__isnull=True, identified_on__lte=last)
    cases = cases.exclude(left_list_on__lte=last)
    return tuple(
        part.annotate(fig_member=F("pk"), fig_day=F("identified_on"))
        for part in split_by_county_on(cases, last, "fig_county")
    )


def _identified(first, last):
    """Identified within the period, where the case was on the day it was identified."""
    cases = _dated(Case.objects.filter(merged_into__isnull=True), "identified_on", first, last)
    return tuple(
        part.annotate(fig_member=F("pk"), fig_day=F("identified_on"))
        for part in split_by_county_on(cases, OuterRef("identified_on"), "fig_county")
    )


def _employed_on_last(first, last):
    """Whose stage at the end of the last day is employed or followed up, where the case
    belonged on that day."""
    cases = Case.objects.filter(merged_into__isnull=True)
    return tuple(
        part.annotate(fig_member=F("pk"), fig_day=Value(last))
        for employed in cases_in_stages_on(cases, last, EMPLOYED_STAGES)
        for part in split_by_county_on(employed, last, "fig_county")
    )


def _became_employed(first, last):
    """Moved to employed within the period by a change that stands, where the case was then."""
    changes = StageChange.objects.standing().filter(to_stage=Stage.EMPLOYED)
    changes = changes.exclude(case_id__in=merged_cases())
    return _dated(changes, "on", first, last).annotate(
        fig_county=F("county_id"), fig_member=F("case_id"), fig_day=F("on")
    )


GROUP_LABELS = {
    "建档立卡贫困劳动力": _("Registered poor laborers"),
    "建立乡镇（村）就业扶贫车间": _("Township and village workshops"),
    "公益性岗位安置": _("Public-welfare posts"),
    "培训贫困劳动力": _("Training of poor laborers"),
    "已转移就业贫困劳动力跟踪服务": _("Follow-up of laborers placed in work"),
}
G1, G3, G4, G5, G6 = (
    "建档立卡贫困劳动力",
    "建立乡镇（村）就业扶贫车间",
    "公益性岗位安置",
    "培训贫困劳动力",
    "已转移就业贫困劳动力跟踪服务",
)

FIGURES: tuple[Figure, ...] = (
    Figure(
        "1a", "1", G1, "与扶贫办核对建档人数",
        _("On the roster"),
        _("Laborers identified on or before the last day and not off the list by then, counted "
          "for the county they belonged to on that day. The month's figure: laborers identified "
          "within the month, counted where they were on the day they were identified."),
        _on_roster, month_rows=_identified,
    ),
    Figure(
        "1b", "1", G1, "已上门调查人数", _("Surveyed at home"),
        _("Laborers with a survey (re-surveys included) dated within the period, counted for "
          "the county where the survey was made."),
        _records(Survey, "surveyed_on"),
    ),
    Figure(
        "1c", "1", G1, "政策宣传人数", _("Policy outreach"),
        _("Laborers with policy outreach dated within the period, counted for the county where "
          "it was recorded."),
        _records(Outreach, "on"),
    ),
    Figure(
        "2", "2", "", "通过举办专项招聘活动解决贫困劳动力就业人数",
        _("Placed through recruitment events"),
        _("Laborers placed in work through a recruitment event, by placement date, counted for "
          "the county where the placement was recorded."),
        _records(Placement, "placed_on", kind=Placement.Kind.EVENT),
    ),
    Figure(
        "3a", "3", G3, "建立车间数量", _("Workshops founded"),
        _("Workshops of the county, by founding date (a number of workshops)."),
        _programmes(Workshop, "founded_on"), lists=WORKSHOPS,
    ),
    Figure(
        "3b", "3", G3, "安置贫困劳动力就业人数", _("Placed in workshops"),
        _("Laborers placed in a workshop, by placement date, counted for the county where the "
          "placement was recorded."),
        _records(Placement, "placed_on", kind=Placement.Kind.WORKSHOP),
    ),
    Figure(
        "4a", "4", G4, "岗位设置数", _("Posts set up"),
        _("The number of posts of the county's public-welfare post schemes, by their start date, "
          "whether or not they have since ended (a sum of posts)."),
        _programmes(PublicPost, "starts_on", weight="positions"), lists=POSTS, weighted=True,
    ),
    Figure(
        "4b", "4", G4, "安置贫困劳动力就业人数", _("Placed in posts"),
        _("Laborers placed in a public-welfare post, by placement date, counted for the county "
          "where the placement was recorded."),
        _records(Placement, "placed_on", kind=Placement.Kind.PUBLIC_POST),
    ),
    Figure(
        "5a", "5", G5, "技能培训人数", _("Skill training"),
        _("Laborers enrolled in a skill course, by the course's start date, counted for the "
          "county where the enrolment was recorded."),
        _records(Enrolment, "course__starts_on", course__kind=Course.Kind.SKILL),
    ),
    Figure(
        "5b", "5", G5, "创业培训人数", _("Entrepreneurship training"),
        _("Laborers enrolled in an entrepreneurship course, by the course's start date, counted "
          "for the county where the enrolment was recorded."),
        _records(Enrolment, "course__starts_on", course__kind=Course.Kind.STARTUP),
    ),
    Figure(
        "6a", "6", G6, "已就业人数", _("Employed"),
        _("Laborers whose stage at the end of the last day is employed or followed up, counted "
          "for the county they belonged to on that day. The month's figure: laborers who became "
          "employed within the month, counted where they were then. An undone change and its "
          "undo count nowhere."),
        _employed_on_last, month_rows=_became_employed,
    ),
    Figure(
        "6b", "6", G6, "进行跟踪服务人数", _("Followed up"),
        _("Laborers with a follow-up dated within the period, counted for the county where it "
          "was recorded."),
        _records(FollowUp, "followed_up_on"),
    ),
    Figure(
        "7", "7", "", "与扶贫部门确认更新贫困劳动力就业工作信息人数",
        _("Confirmed with the poverty office"),
        _("Laborers confirmed in a reconciliation round with the poverty office, by the day "
          "they were confirmed, counted for the county where they were confirmed."),
        _records(Confirmation, "confirmed_on"),
    ),
)  # fmt: skip

KEYS = tuple(figure.key for figure in FIGURES)
BY_KEY = {figure.key: figure for figure in FIGURES}


def measure(figure: Figure, part: QuerySet, **extra) -> Sum | Count:
    if figure.weighted:
        return Sum("fig_weight", **extra)
    # a laborer has one case row, but may have several records
    return Count("fig_member", distinct=part.model is not Case, **extra)


def parts(rows) -> tuple[QuerySet, ...]:
    return rows if isinstance(rows, tuple) else (rows,)


def figures_by_county(month: Month, county_ids: Iterable[int] | None = None) -> dict[int, dict]:
    """{county id: {"cumulative": {key: n}, "month_only": {key: n}}} for the month, every
    county's at once: one grouped query per figure (two where the month counts by another
    place, one more where the cases that moved are counted apart). Counties without a record
    get zeros."""
    first, last = month.first, month.last
    county_ids = None if county_ids is None else list(county_ids)
    result: dict[int, dict] = {}

    def add(scope, key, rows):  # rows already of the counties asked for (_for_counties)
        for county_id, n in rows:
            counts = result.setdefault(county_id, _zeros())
            counts[scope][key] += n or 0

    for figure in FIGURES:
        for part in parts(figure.rows(None, last)):
            rows = _for_counties(part, county_ids).values("fig_county")
            if figure.month_rows is None:
                counted = list(rows.annotate(
                    cumulative=measure(figure, part),
                    month_only=measure(figure, part, filter=Q(fig_day__gte=first)),
                ).values_list("fig_county", "cumulative", "month_only"))  # fmt: skip
                add(CUMULATIVE, figure.key, [(c, n) for c, n, _m in counted])
                add(MONTH_ONLY, figure.key, [(c, m) for c, _n, m in counted])
            else:
                counted = rows.annotate(n=measure(figure, part))
                add(CUMULATIVE, figure.key, counted.values_list("fig_county", "n"))
        for part in parts(figure.month_rows(first, last)) if figure.month_rows else ():
            add(MONTH_ONLY, figure.key,
                _for_counties(part, county_ids).values("fig_county")
                .annotate(n=measure(figure, part))
                .values_list("fig_county", "n"))  # fmt: skip
    for county_id in county_ids or ():
        result.setdefault(county_id, _zeros())
    return result


def _for_counties(rows: QuerySet, county_ids) -> QuerySet:
    return rows if county_ids is None else rows.filter(fig_county__in=county_ids)


def _zeros() -> dict:
    return {scope: dict.fromkeys(KEYS, 0) for scope in SCOPES}


def members(figure: Figure, scope: str, month: Month, county_id: int) -> list[int]:
    """The ids behind one county's figure: cases, or workshops or posts (3a, 4a), in id order."""
    first, last = month.first, month.last
    if scope == MONTH_ONLY:
        rows = (figure.month_rows or figure.rows)(first, last)
    else:
        rows = figure.rows(None, last)
    found: set[int] = set()
    for part in parts(rows):
        found.update(part.filter(fig_county=county_id).values_list("fig_member", flat=True))
    return sorted(found)


def all_members(month: Month, county_id: int) -> dict[str, dict[str, list[int]]]:
    """Every figure's ids for one county: what a submission freezes."""
    return {
        scope: {figure.key: members(figure, scope, month, county_id) for figure in FIGURES}
        for scope in SCOPES
    }


def month_only_by_month(
    first: Month, last: Month, county_ids: Iterable[int]
) -> dict[int, dict[Month, dict[str, int]]]:
    """{county id: {month: {key: n}}}: each month's own figures (as `figures_by_county` counts
    its month_only ones) for every month from first to last, one query per figure (per part)
    grouped by county and month. Months without a record are left out (zeros)."""
    county_ids = list(county_ids)
    result: dict[int, dict[Month, dict[str, int]]] = {}
    for figure in FIGURES:
        for part in parts((figure.month_rows or figure.rows)(first.first, last.last)):
            counted = (
                _for_counties(part, county_ids)
                .annotate(fig_month=TruncMonth("fig_day"))
                .values("fig_county", "fig_month")
                .annotate(n=measure(figure, part))
                .values_list("fig_county", "fig_month", "n")
            )
            for county_id, month_start, n in counted:
                months = result.setdefault(county_id, {})
                counts = months.setdefault(Month.of(month_start), dict.fromkeys(KEYS, 0))
                counts[figure.key] += n or 0
    return result
