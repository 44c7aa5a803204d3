"""django-tables2 tables of the registry; ID and phone numbers are always masked here."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableListData

from . import paging
from .models import Case, RegistrationConflict

PLACE = ("place_code", "person_name", "id")


class CaseTable(paging.Table):
    name = tables.Column(
        verbose_name=_("name"), accessor="person__name", linkify=True,
        order_by=("person_name", "id"),
    )  # fmt: skip
    id_number = tables.Column(
        verbose_name=_("ID number"),
        accessor="person__masked_id_number",
        orderable=False,  # encrypted at rest: ciphertext does not sort
        attrs={"td": {"class": "mono"}},
    )
    sex = tables.Column(verbose_name=_("sex"), accessor="person__get_sex_display", orderable=False)
    # Every order is an index of the case table (Case.Meta.indexes): the place's code orders
    # county, township and village at once; the stage and the caseworker are filters instead.
    age = tables.Column(verbose_name=_("age"), accessor="person__age", orderable=False)
    county = tables.Column(verbose_name=_("county"), accessor="county__name", order_by=PLACE)
    township = tables.Column(verbose_name=_("township"), accessor="township__name", order_by=PLACE)
    village = tables.Column(verbose_name=_("village"), empty_values=(), order_by=PLACE)
    stage = tables.Column(
        verbose_name=_("stage"), attrs={"td": {"class": "stage"}}, orderable=False
    )
    owner = tables.Column(verbose_name=_("caseworker"), orderable=False)
    phone = tables.Column(
        verbose_name=_("phone"),
        accessor="person__masked_phone",
        orderable=False,
        attrs={"td": {"class": "mono"}},
    )
    identified_on = paging.DateColumn(
        verbose_name=_("identified on"), format="Y-m-d", order_by=("identified_on", "id")
    )

    class Meta:
        model = Case
        fields = ()
        sequence = (
            "name", "id_number", "sex", "age", "county", "township", "village",
            "stage", "owner", "phone", "identified_on",
        )  # fmt: skip
        attrs = {"class": "table"}
        order_by = ("county",)
        empty_text = _("No cases match.")

    def render_village(self, record):
        return record.region.name if record.region_id != record.township_id else "—"

    def render_stage(self, record):
        return record.get_stage_display()

    def render_owner(self, value):
        return value.get_full_name() or value.username


class RegistrationConflictTable(paging.Table):
    """Rows of a county's roster naming a laborer registered in another county."""

    name = tables.Column(
        verbose_name=_("name"), accessor="case__person__name", linkify=lambda record:
        record.case.get_absolute_url(), order_by="case__person__name",
    )  # fmt: skip
    id_number = tables.Column(
        verbose_name=_("ID number"), accessor="case__person__masked_id_number",
        orderable=False, attrs={"td": {"class": "mono"}},
    )  # fmt: skip
    registered_in = tables.Column(
        verbose_name=_("registered in"),
        accessor="case__county__name",
        order_by="case__county__code",
    )
    township = tables.Column(verbose_name=_("township"), accessor="case__township__name")
    county = tables.Column(
        verbose_name=_("county naming the laborer"),
        accessor="county__name",
        order_by="county__code",
    )
    roster_import = tables.Column(verbose_name=_("roster import"))  # the county's own page
    row = tables.Column(verbose_name=_("row"))
    found_at = paging.DateColumn(verbose_name=_("found at"), format="Y-m-d H:i")

    class Meta:
        model = RegistrationConflict
        fields = ()
        sequence = (
            "name", "id_number", "registered_in", "township", "county", "roster_import", "row",
            "found_at",
        )  # fmt: skip
        attrs = {"class": "table"}
        empty_text = _("No roster names a laborer registered in another county.")


class AuditTableData(TableListData):
    """A casework.audit.AuditPage as a table's data: counted once, only the shown page read
    (django-tables2 would otherwise list every record)."""

    def order_by(self, aliases):  # newest first, always
        return None


class AuditTable(paging.Table):
    """The record of processing, newest first; every number masked."""

    at = paging.DateColumn(verbose_name=_("when"), format="Y-m-d H:i:s", orderable=False)
    actor = tables.Column(verbose_name=_("who"), orderable=False, default="—")
    what = tables.Column(verbose_name=_("what"), orderable=False)
    county = tables.Column(verbose_name=_("county"), orderable=False, default="")
    case_id = tables.Column(verbose_name=_("case"), orderable=False, default="")
    details = tables.Column(
        verbose_name=_("details"), orderable=False, default="", attrs={"td": {"class": "details"}}
    )
    rows = tables.Column(verbose_name=_("rows"), orderable=False, default="")

    class Meta:
        attrs = {"class": "table audit"}
        empty_text = _("No records match.")

    def __init__(self, records, **kwargs):
        super().__init__(AuditTableData(records), **kwargs)

    def render_actor(self, value):
        return value.get_full_name() or value.username

    def render_details(self, value, record):
        if record.source == "export":  # the description as recorded (a path, a name), not wording
            return format_html('<span translate="no">{}</span>', value)
        return value

    def render_case_id(self, value):
        return format_html(
            '<a href="{}">#{}</a>', reverse("casework:case_detail", args=[value]), value
        )
