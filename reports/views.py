"""The monthly report's pages: a month's counties, one county's report with its submissions,
the laborers (or workshops, posts) behind a figure; submitting, accepting and returning; 附件1
as a workbook and a PDF, for a county and for the city's totals."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from casework import access, exports, pdf
from casework.errors import ServiceError
from casework.models import PublicPost, Workshop
from casework.tables import CaseTable

from . import annex1, figures, selectors, services
from .forms import RemarksForm, ReturnForm, SubmitForm
from .models import MonthlyReport
from .periods import FIRST_MONTH, Month
from .tables import MonthTable


def _month_or_404(month: Month) -> Month:
    if not Month(*FIRST_MONTH) <= month <= Month.of(timezone.localdate()):
        raise Http404("No report for that month.")
    return month


def _row(request, county_pk, month: Month) -> selectors.ReportRow:
    """The county's report row; 404 for a county whose reports the user does not read (every
    county for a caseworker) or a month without a report."""
    county = access.report_county_visible_or_404(request.user, county_pk)
    (row,) = selectors.report_rows(
        access.report_counties_visible_to(request.user).filter(pk=county.pk), _month_or_404(month)
    )
    return row


def month_overview(request):
    """Every county the user reads, for one month (last month unless chosen), with totals."""
    access.require(access.may_see_reports(request.user))
    today = timezone.localdate()
    months = [Month.of(today), *services.months_reportable(today)]
    try:
        month = _month_or_404(Month.parse(request.GET["month"]))
    except (KeyError, ValueError):
        month = Month.of(today).previous()
    rows = selectors.report_rows(access.report_counties_visible_to(request.user), month, today)
    totals = selectors.totals(rows) if len(rows) > 1 else None
    table = MonthTable(rows, totals=totals)
    context = {"month": month, "months": months, "table": table, "rows": rows,
               "figures": figures.FIGURES}  # fmt: skip
    return render(request, "reports/month.html", context)


def county_report(request, pk, month):
    """One county's report: its figures in the form's layout, status, submissions, and what
    the user may do with it."""
    return _county_page(request, _row(request, pk, month), month)


def _county_page(request, row, month, *, submit_form=None, return_form=None, status=200):
    """The report page; a refused submission or return comes back with what was typed."""
    user = request.user
    may_edit = access.may_submit_report(user, row.county.pk) and row.status in services.OPEN
    may_submit = may_edit and timezone.localdate() > month.last
    reconciliations = services.reconciliations_in(row.county.pk, month)
    context = {
        "row": row,
        "month": month,
        "figures": figures.FIGURES,
        "cells": [
            (
                figure,
                row.figures[figures.MONTH_ONLY][figure.key],
                row.figures[figures.CUMULATIVE][figure.key],
            )
            for figure in figures.FIGURES
        ],
        "groups": _groups(),
        # the form's Chinese headings; other languages add the reader's own under them
        "official_only": translation.get_language().startswith("zh"),
        "may_submit": may_submit,
        "may_edit_remarks": may_edit,
        "may_review": access.may_review_reports(user)
        and row.status == MonthlyReport.Status.SUBMITTED,
        "submit_form": submit_form
        or SubmitForm(
            initial={
                "remarks": row.remarks,
                "reconciliation": reconciliations[0].pk if reconciliations else None,
            },
            reconciliations=reconciliations,
        ),  # fmt: skip
        "return_form": return_form or ReturnForm(),
    }
    return render(request, "reports/county.html", context, status=status)


def _errors(form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


def _groups() -> list[tuple]:
    """The form's header: (number, group heading, its label in the reader's language, columns
    spanned), in column order."""
    groups: list[list] = []
    for figure in figures.FIGURES:
        if groups and groups[-1][0] == figure.number:
            groups[-1][3] += 1
        else:
            groups.append([figure.number, figure.group,
                           figures.GROUP_LABELS.get(figure.group, ""), 1])  # fmt: skip
    return [tuple(group) for group in groups]


def figure_members(request, pk, month, scope, key):
    """What is behind one figure: the laborers, or the workshops or posts (3a, 4a); as frozen
    when the report was submitted. Laborers since moved out of the user's regions are counted,
    not listed."""
    figure = figures.BY_KEY.get(key)
    if figure is None or scope not in figures.SCOPES:
        raise Http404("No such figure.")
    row = _row(request, pk, month)
    ids = selectors.figure_members(row, figure, scope)
    context = {"row": row, "figure": figure, "scope": scope, "count": len(ids),
               "value": row.figures[scope][figure.key]}  # fmt: skip
    if figure.lists == figures.CASES:
        visible = access.cases_visible_to(request.user).filter(pk__in=ids)
        table = CaseTable(visible.select_related("person", "county", "township", "region", "owner"))
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        context |= {"table": table, "hidden": len(ids) - visible.count()}
    else:
        model = Workshop if figure.lists == figures.WORKSHOPS else PublicPost
        context["programmes"] = model.objects.filter(pk__in=ids).order_by("pk")
        context["kind"] = "workshops" if model is Workshop else "posts"
    return render(request, "reports/members.html", context)


@require_POST
def report_submit(request, pk, month):
    row = _row(request, pk, month)
    access.require(access.may_submit_report(request.user, row.county.pk))
    reconciliations = services.reconciliations_in(row.county.pk, month)
    form = SubmitForm(request.POST, reconciliations=reconciliations)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return _county_page(request, row, month, submit_form=form, status=400)
    try:
        services.report_submit(
            county=row.county,
            month=month,
            actor=request.user,
            remarks=form.cleaned_data["remarks"],
            reconciliation_id=form.cleaned_data["reconciliation"],
            no_reconciliation_reason=form.cleaned_data["no_reconciliation_reason"],
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return _county_page(request, row, month, submit_form=form, status=400)
    messages.success(request, _("The report is submitted; its figures are frozen."))
    return redirect("reports:county", pk=row.county.pk, month=month)


@require_POST
def report_remarks(request, pk, month):
    row = _row(request, pk, month)
    access.require(access.may_submit_report(request.user, row.county.pk))
    form = RemarksForm(request.POST)
    if form.is_valid():
        try:
            services.report_remarks_save(
                county=row.county, month=month, actor=request.user,
                remarks=form.cleaned_data["remarks"],
            )  # fmt: skip
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _errors(form))
    return redirect("reports:county", pk=row.county.pk, month=month)


@require_POST
def report_decide(request, pk, month):
    """City staff accept the report (`accept` posted) or return it with a reason."""
    row = _row(request, pk, month)
    access.require(access.may_review_reports(request.user))
    accept = "accept" in request.POST
    form = ReturnForm(request.POST)
    if row.report is None:
        messages.error(request, _("Only a submitted report can be accepted or returned."))
        return redirect("reports:county", pk=row.county.pk, month=month)
    if not accept and not form.is_valid():
        messages.error(request, _errors(form))
        return _county_page(request, row, month, return_form=form, status=400)
    try:
        services.report_decide(
            report=row.report, actor=request.user, accept=accept,
            reason="" if accept else form.cleaned_data["reason"],
        )  # fmt: skip
    except ServiceError as error:
        messages.error(request, error.message)
        return _county_page(request, row, month, return_form=form, status=400)
    messages.success(request, _("Accepted.") if accept else _("Returned to the county."))
    return redirect("reports:county", pk=row.county.pk, month=month)


def _county_annex(request, pk, month: Month) -> annex1.Annex:
    """As the report page: 404 for a county whose reports the user does not read (every county
    for a caseworker)."""
    county = access.report_county_visible_or_404(request.user, pk)
    return annex1.county_annex(county, _month_or_404(month))


def _city_annex(request, month: Month) -> annex1.Annex:
    """The totals of the counties the user reads: every county for city staff, their own for a
    county supervisor (a file of that county)."""
    access.require(access.may_see_reports(request.user))
    counties = access.report_counties_visible_to(request.user)
    return annex1.city_annex(counties, _month_or_404(month))


def _xlsx(request, annex: annex1.Annex):
    return exports.xlsx_response(
        [annex1.sheet(annex)], filename=f"{annex.filename_stem}.xlsx", actor=request.user,
        kind=annex1.EXPORT_KIND, description=annex1.description(annex),
    )  # fmt: skip


def _pdf(request, annex: annex1.Annex):
    content = annex1.pdf_render(annex, actor=request.user, request=request)
    return pdf.pdf_response(content, filename=f"{annex.filename_stem}.pdf", personal=False)


@require_GET
def county_xlsx(request, pk, month):
    """附件1 of one county as a workbook: its months up to this one, 累计, 备注."""
    return _xlsx(request, _county_annex(request, pk, month))


@require_GET
@pdf.refused_without_font
def county_pdf(request, pk, month):
    """附件1 of one county as an A4 landscape PDF with the signature and seal area."""
    return _pdf(request, _county_annex(request, pk, month))


@require_GET
def city_xlsx(request, month):
    """The month's counties and their totals in 附件1's layout, as a workbook."""
    return _xlsx(request, _city_annex(request, month))


@require_GET
@pdf.refused_without_font
def city_pdf(request, month):
    """The month's counties and their totals in 附件1's layout, as a PDF."""
    return _pdf(request, _city_annex(request, month))
