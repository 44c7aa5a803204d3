"""The year-end evaluation's table (年终考评): per county the year's strikes, late reports and
interviews, the two 100% targets, and whether the subsidy is stopped."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework import paging

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


def rate(value) -> str:
    return "—" if value is None else f"{value:.1f}%"


class YearTable(paging.Table):
    county = tables.Column(verbose_name=_("county"), empty_values=(), orderable=False)
    strikes = tables.Column(verbose_name=_("strikes"), accessor="tally__strikes",
                            orderable=False, attrs=NUM)  # fmt: skip
    late_reports = tables.Column(verbose_name=_("late reports"), accessor="tally__late_reports",
                                 orderable=False, attrs=NUM)  # fmt: skip
    interviews = tables.Column(verbose_name=_("interviews"), accessor="tally__interviews",
                               orderable=False, attrs=NUM)  # fmt: skip
    eligible = tables.Column(verbose_name=pgettext_lazy("year table", "want work"),
                             accessor="targets__eligible", orderable=False, attrs=NUM)  # fmt: skip
    served = tables.Column(verbose_name=pgettext_lazy("year table", "served"),
                           accessor="targets__served", orderable=False, attrs=NUM)  # fmt: skip
    service_rate = tables.Column(verbose_name=_("refined-service rate"), empty_values=(),
                                 orderable=False, attrs=NUM)  # fmt: skip
    covered = tables.Column(verbose_name=pgettext_lazy("year table", "covered"),
                            accessor="targets__covered", orderable=False, attrs=NUM)  # fmt: skip
    coverage_rate = tables.Column(verbose_name=_("policy coverage rate"), empty_values=(),
                                  orderable=False, attrs=NUM)  # fmt: skip
    subsidy = tables.Column(verbose_name=pgettext_lazy("year table", "subsidy"), empty_values=(),
                            orderable=False)  # fmt: skip
    state = tables.Column(verbose_name=_("evaluation"), empty_values=(), orderable=False)

    class Meta:
        attrs = {"class": "table compact", "data-testid": "year-table"}
        empty_text = _("No county to show.")
        row_attrs = {
            "data-county": lambda record: record.county.code,
            "data-stopped": lambda record: "1" if record.subsidy_stopped else "0",
        }

    def render_county(self, record):
        url = reverse("supervision:county", args=[record.county.pk])
        return format_html('<a href="{}">{}</a>', url, record.county.name)

    def render_service_rate(self, record):
        return rate(record.targets.service_rate)

    def render_coverage_rate(self, record):
        return rate(record.targets.coverage_rate)

    def render_subsidy(self, record):
        if record.subsidy_stopped:
            return format_html('<span class="badge late">{}</span>', _("stopped"))
        return _("kept")

    def render_state(self, record):
        if record.evaluated_at is None:
            return format_html('<span class="muted">{}</span>', _("provisional"))
        return _("evaluated at %(at)s") % {
            "at": localtime(record.evaluated_at).strftime("%Y-%m-%d %H:%M")
        }
