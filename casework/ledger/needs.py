"""The needs list (需求清单): laborers not yet in work, with their wishes, for planning help."""

from typing import NamedTuple

import django_filters
import django_tables2 as tables
from django.db.models import Count, QuerySet
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.rows import BoundRow

from .. import access, exports, paging, tallies
from ..filters import (
    OneCountyMixin,
    asked,
    visible_counties,
    visible_townships,
    visible_villages,
)
from ..models import Case, Stage
from ..survey import (
    WORKING,
    Trade,
    TrainingKind,
    WishedForm,
    WishedLocation,
    YesNo,
    answer_display,
)
from ..tables import PLACE

NOT_EMPLOYED = [Stage.SURVEYED, Stage.ASSISTED]


def needs_of(user) -> QuerySet[Case]:
    """Open cases of the user's regions not in work, whose latest survey records their wishes."""
    return (
        access.cases_visible_to(user)
        .filter(stage__in=NOT_EMPLOYED, latest_survey__isnull=False)
        .exclude(latest_survey__employment_status__in=WORKING)
        .select_related("person", "township", "region", "latest_survey")
    )


class NeedsFilter(OneCountyMixin, django_filters.FilterSet):
    county = django_filters.ModelChoiceFilter(
        label=_("county"), queryset=visible_counties, empty_label=_("All counties")
    )
    township = django_filters.ModelChoiceFilter(
        label=_("township"), queryset=visible_townships, empty_label=_("All townships")
    )
    village = django_filters.ModelChoiceFilter(
        label=_("village"), field_name="region", queryset=visible_villages,
        empty_label=_("All villages"),
    )  # fmt: skip
    wished_location = django_filters.ChoiceFilter(
        label=_("理想的就业地"), field_name="latest_survey__wished_location",
        choices=WishedLocation.choices, empty_label=_("Any"),
    )  # fmt: skip
    wished_form = django_filters.ChoiceFilter(
        label=_("就业形式意愿"), field_name="latest_survey__wished_form",
        choices=WishedForm.choices, empty_label=_("Any"),
    )  # fmt: skip
    training_kind = django_filters.ChoiceFilter(
        label=_("愿意接受什么样的培训"), field_name="latest_survey__training_kind",
        choices=TrainingKind.choices, empty_label=_("Any"),
    )  # fmt: skip
    training_trade = django_filters.ChoiceFilter(
        label=_("最想参加什么工种的培训"), field_name="latest_survey__training_trade",
        choices=Trade.choices, empty_label=_("Any"),
    )  # fmt: skip
    startup_wish = django_filters.ChoiceFilter(
        label=_("是否有创业意愿"), method="filter_startup", choices=YesNo.choices,
        empty_label=_("Any"),
    )  # fmt: skip

    class Meta:
        model = Case
        fields = ["county", "township", "village"]

    def filter_startup(self, queryset, name, value):
        return queryset.filter(latest_survey__startup_wish=value == YesNo.YES)


class NeedsTable(paging.Table):
    # every order is an index of the case table (casework.tables.PLACE)
    name = tables.Column(
        verbose_name=_("name"), accessor="person__name", linkify=True,
        order_by=("person_name", "id"), attrs={"td": {"class": "nowrap"}},
    )  # fmt: skip
    id_number = tables.Column(
        verbose_name=_("ID number"), accessor="person__masked_id_number", orderable=False,
        attrs={"td": {"class": "mono nowrap"}},
    )  # fmt: skip
    township = tables.Column(verbose_name=_("township"), accessor="township__name", order_by=PLACE)
    village = tables.Column(verbose_name=_("village"), accessor="region__name", order_by=PLACE)
    stage = tables.Column(
        verbose_name=_("stage"), attrs={"td": {"class": "nowrap"}}, orderable=False
    )
    wished_location = tables.Column(
        verbose_name=_("理想的就业地"), empty_values=(), orderable=False
    )
    wished_form = tables.Column(verbose_name=_("就业形式意愿"), empty_values=(), orderable=False)
    wage = tables.Column(
        verbose_name=_("月工资收入要求"), empty_values=(), orderable=False,
        attrs={"td": {"class": "nowrap"}},
    )  # fmt: skip
    training = tables.Column(
        verbose_name=_("愿意接受什么样的培训"), empty_values=(), orderable=False
    )
    trade = tables.Column(
        verbose_name=_("最想参加什么工种的培训"), empty_values=(), orderable=False
    )
    startup = tables.Column(verbose_name=_("想创业的项目"), empty_values=(), orderable=False)
    surveyed_on = paging.DateColumn(
        verbose_name=_("调查时间"), accessor="latest_survey__surveyed_on", format="Y-m-d",
        attrs={"td": {"class": "nowrap"}},
    )  # fmt: skip

    class Meta:
        model = Case
        fields = ()
        sequence = (
            "name", "id_number", "township", "village", "stage", "wished_location",
            "wished_form", "wage", "training", "trade", "startup", "surveyed_on",
        )  # fmt: skip
        attrs = {"class": "table compact wrap"}  # fits a 1366-px screen
        order_by = ("township",)  # one sort at a time; by place, then by name
        empty_text = _("Nobody on the needs list.")

    def render_stage(self, record):
        return record.get_stage_display()

    def render_wished_location(self, record):
        return answer_display("wished_location", record.latest_survey.wished_location)

    def render_wished_form(self, record):
        return answer_display("wished_form", record.latest_survey.wished_form)

    def render_wage(self, record):
        return answer_display("wage_expectation", record.latest_survey.wage_expectation)

    def render_training(self, record):
        return answer_display("training_kind", record.latest_survey.training_kind)

    def render_trade(self, record):
        survey = record.latest_survey
        if survey.training_trade == Trade.OTHER:
            return answer_display("training_trade_other", survey.answers.get("training_trade_other")
                                  or str(Trade.OTHER.label))  # fmt: skip
        return answer_display("training_trade", survey.training_trade)

    def render_startup(self, record):
        survey = record.latest_survey
        return survey.answers.get("startup_project_wish") or "—" if survey.startup_wish else "—"

    value_wished_location = render_wished_location
    value_wished_form = render_wished_form
    value_wage = render_wage
    value_training = render_training
    value_trade = render_trade
    value_startup = render_startup
    value_stage = render_stage


class TradeMatrix(NamedTuple):
    """Skill-training wishes counted by township (rows) and trade (columns), with totals."""

    trades: list[str]
    rows: list[tuple[str, list[int], int]]
    column_totals: list[int]
    total: int


def trade_totals(cases: QuerySet[Case]) -> TradeMatrix:
    """Skill-training wishes by trade, per township, with each row's, each column's and the
    grand total, counted over these cases."""
    counts = (
        cases.filter(latest_survey__training_wish=True, latest_survey__training_kind="skill")
        .values_list("township__name", "latest_survey__training_trade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return trade_matrix(counts)


PLACE_FILTERS = ("county", "township", "village")


def trade_totals_for(user, filterset: "NeedsFilter") -> TradeMatrix:
    """The page's trade totals: from the summary the writes keep (casework.tallies.NEEDS) when
    the list is filtered by place alone, counted over the filtered cases otherwise."""
    if not filterset.is_bound or filterset.is_valid():
        given = filterset.form.cleaned_data.items() if filterset.is_bound else ()
        chosen = {name: value for name, value in given if value}
        if set(chosen) <= set(PLACE_FILTERS):
            places = {name: value.pk for name, value in chosen.items()}
            return trade_matrix(tallies.needs_trade_counts(user, places))
    return trade_totals(filterset.qs)


def trade_matrix(counts) -> TradeMatrix:
    """The matrix of (township name, trade, n) rows."""
    by_township: dict[str, dict[str, int]] = {}
    for township, trade, n in counts:
        by_township.setdefault(township, {})[trade] = n
    trades = [value for value in Trade.values if any(value in row for row in by_township.values())]
    labels = [answer_display("training_trade", value) for value in trades]
    rows = [
        (township, [row.get(trade, 0) for trade in trades], sum(row.values()))
        for township, row in sorted(by_township.items())
    ]
    column_totals = [sum(row.get(trade, 0) for row in by_township.values()) for trade in trades]
    return TradeMatrix(labels, rows, column_totals, sum(column_totals))


class NeedsView(SingleTableMixin, FilterView):
    """需求清单: filterable by region and wish, exportable to xlsx, with trade totals."""

    table_class = NeedsTable
    filterset_class = NeedsFilter
    template_name = "casework/needs.html"
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return needs_of(self.request.user)

    def get(self, request, *args, **kwargs):
        if request.GET.get("_export") == "xlsx":  # in the background when large
            return exports.export_answer(request, "needs", {"query": request.GET.urlencode()})
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["trade_matrix"] = trade_totals_for(self.request.user, self.filterset)
        query = self.request.GET.copy()
        query["_export"] = "xlsx"
        context["export_query"] = query.urlencode()
        return context


CHUNK = 2000  # rows read at a time by the export


@exports.maker("needs")
def needs_export(user, params: dict) -> exports.Export:
    """The needs list as the page filters and sorts it, with the table's columns and values
    (text cells, recorded), its rows read CHUNK at a time: one query a chunk."""
    request = asked(user, params.get("query", ""))
    filterset = NeedsFilter(request.GET, queryset=needs_of(user), request=request)
    valid = not filterset.is_bound or filterset.is_valid()
    table = NeedsTable(filterset.qs if valid else filterset.queryset.none())
    if sort := request.GET.getlist(table.prefixed_order_by_field):
        table.order_by = sort
    columns = [
        column for column in table.columns.iterall() if not column.column.exclude_from_export
    ]

    def rows():
        for record in table.data.data.iterator(chunk_size=CHUNK):
            row = BoundRow(record, table=table)
            yield [force_str(row.get_cell_value(column.name), strings_only=True)
                   for column in columns]  # fmt: skip

    header = [force_str(column.header, strings_only=True) for column in columns]
    return exports.Export(
        kind="needs", filename="需求清单.xlsx",
        description=f"/needs/?{request.GET.urlencode()}",
        sheets=lambda: [exports.Sheet(_("Needs list"), header, rows())],
        counted=table.data.data.order_by(),
    )  # fmt: skip
