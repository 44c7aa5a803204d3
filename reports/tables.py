"""The month's table of counties: status, submission, and every figure linked to what is
behind it; a totals row in the footer."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from casework import paging

from .figures import CUMULATIVE, FIGURES, MONTH_ONLY, Figure


def figure_link(row, figure: Figure, scope: str) -> str:
    url = reverse("reports:members", args=[row.county.pk, str(row.month), scope, figure.key])
    value = row.figures[scope][figure.key]
    return format_html('<a href="{}" data-figure="{}-{}">{}</a>', url, figure.key, scope, value)


class FigureColumn(tables.Column):
    """A figure: the running total, and the month's own figure under it."""

    def __init__(self, figure: Figure, totals: dict | None, **kwargs):
        self.figure = figure
        self.totals = totals
        header = format_html('<span title="{}"><span class="muted">{}</span> {}</span>',
                             figure.definition, figure.key, figure.label)  # fmt: skip
        attrs = {"td": {"class": "num"}, "th": {"class": "num"}}
        super().__init__(
            verbose_name=header, empty_values=(), orderable=False, attrs=attrs, **kwargs
        )

    def render(self, record):
        return format_html(
            '{}<br><span class="small muted">+{}</span>',
            figure_link(record, self.figure, CUMULATIVE),
            figure_link(record, self.figure, MONTH_ONLY),
        )

    def render_footer(self, bound_column, table):
        if self.totals is None:
            return ""
        return format_html(
            '{}<br><span class="small muted">+{}</span>',
            self.totals[CUMULATIVE][self.figure.key],
            self.totals[MONTH_ONLY][self.figure.key],
        )


class MonthTable(paging.Table):
    county = tables.Column(verbose_name=_("county"), empty_values=(), orderable=False,
                           footer=_("Total"))  # fmt: skip
    status = tables.Column(verbose_name=_("status"), empty_values=(), orderable=False)
    submitted = tables.Column(verbose_name=_("submitted at"), empty_values=(), orderable=False)

    class Meta:
        attrs = {"class": "table compact report-table", "data-testid": "month-table"}
        empty_text = _("No county to show.")
        row_attrs = {"data-county": lambda record: record.county.code}

    def __init__(self, rows, totals=None, **kwargs):
        extra = [(f"fig_{figure.key}", FigureColumn(figure, totals)) for figure in FIGURES]
        super().__init__(rows, extra_columns=extra, **kwargs)

    def render_county(self, record):
        url = reverse("reports:county", args=[record.county.pk, str(record.month)])
        return format_html('<a href="{}">{}</a>', url, record.county.name)

    def render_status(self, record):
        if not record.late:
            return record.status_label
        late = format_html(' <span class="badge late">{}</span>', _("late"))
        return format_html("{}{}", record.status_label, late)

    def render_submitted(self, record):
        first = record.report.first_submitted_at if record.report else None
        if first is None:
            return format_html(
                '<span class="muted">{}</span>',
                _("due %(day)s") % {"day": date_format(record.deadline, "SHORT_DATE_FORMAT")},
            )
        return date_format(localtime(record.latest.submitted_at), "SHORT_DATETIME_FORMAT")
