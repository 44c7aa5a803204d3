"""Roster upload pages: upload, preview, confirm, progress, result and row report; left-list
decisions; ID corrections."""

import hashlib
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from .. import access, exports, history, jobs, selectors
from ..errors import ServiceError, posted_id, posted_ids
from ..models import Region, RegistrationConflict, RosterImport
from ..tables import RegistrationConflictTable
from ..uploads import upload_limit, upload_too_large
from .corrections import (
    case_correct_id,
    case_merge_preview,
    case_merge_target,
    left_list_decide,
    left_list_decide_many,
)
from .jobs import failure_text, store_encrypted, stored_delete
from .reading import left_list_share_to_confirm, report_worded

ALLOWED_SUFFIXES = {".xlsx", ".csv"}


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Roster file (.xlsx or .csv)"))
    county = forms.ModelChoiceField(
        label=gettext_lazy("county"),
        queryset=Region.objects.filter(level=Region.Level.COUNTY).order_by("code"),
        required=False,
        empty_label=gettext_lazy("Every county in the file"),
    )
    complete = forms.BooleanField(
        label=gettext_lazy(
            "This is the county's complete roster: list the laborers missing from it"
        ),
        required=False,
    )

    def __init__(self, *args, fixed_county=None, too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_county = fixed_county
        self.too_large = too_large
        if fixed_county is not None:
            del self.fields["county"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(_("Only .xlsx and .csv files can be read."))
        if upload.size > upload_limit():
            raise forms.ValidationError(self.too_large_message())
        return upload

    @staticmethod
    def too_large_message() -> str:
        limit = f"{settings.CASEWORK_UPLOAD_MAX_MB:g}"
        return _("The file is larger than %(limit)s MB: split it into smaller files.") % {
            "limit": limit
        }

    def clean(self):
        if self.too_large:
            # the file was dropped while it arrived: "required" would not say why
            self.errors.pop("file", None)
            self.add_error("file", self.too_large_message())
        cleaned = super().clean()
        county = self.fixed_county or cleaned.get("county")
        if cleaned.get("complete") and county is None:
            self.add_error("county", _("A complete roster belongs to one county: choose it."))
        cleaned["scope"] = county
        return cleaned


def _require_import(request):
    access.require(access.may_import(request.user))


def import_upload(request):
    """Upload a roster: it is read and checked first, and imported only once confirmed."""
    _require_import(request)
    county = access.import_county(request.user)
    posted = request.method == "POST"
    form = UploadForm(
        request.POST if posted else None, request.FILES if posted else None,
        fixed_county=county, too_large=upload_too_large(request),
    )  # fmt: skip
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        stored = f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
        content = b"".join(upload.chunks())
        store_encrypted(stored, content)
        record = RosterImport.objects.create(
            actor=request.user, file_name=upload.name[:255], stored_file=stored,
            sha256=hashlib.sha256(content).hexdigest(), county=form.cleaned_data["scope"],
            complete=form.cleaned_data["complete"], source=gettext_noop("upload page"),
        )  # fmt: skip
        history.change_record(actor=request.user, kind="roster_upload", county=record.county_id,
                              target=record, fields=history.fields_of(record))  # fmt: skip
        jobs.submit("roster.analyse", pk=record.pk)
        return redirect(record.get_absolute_url())
    recent = RosterImport.objects.select_related("county", "actor")
    if county is not None:
        recent = recent.filter(county=county)
    context = {"form": form, "county": county, "recent": recent[:20]}
    return render(request, "casework/import_upload.html", context)


def import_detail(request, pk):
    record = access.import_visible_or_404(request.user, pk)
    report = report_worded(record.report)
    context = {
        "record": record,
        "progress": jobs.get_progress(f"import-{record.pk}") or record.progress,
        "working": record.status in (RosterImport.Status.ANALYSING, RosterImport.Status.IMPORTING),
        "failure": failure_text(record.message),
        "rejected": report.get("rejected", [])[:500],
        "warnings": report.get("warnings", [])[:500],
        "more_rows": len(report.get("rejected", [])) > 500 or len(report.get("warnings", [])) > 500,
        "left_list_share": left_list_share_to_confirm(record)
        if record.status == RosterImport.Status.PREVIEW else None,
    }  # fmt: skip
    return render(request, "casework/import_detail.html", context)


def import_progress(request, pk):
    record = access.import_visible_or_404(request.user, pk)
    progress = jobs.get_progress(f"import-{record.pk}") or record.progress
    return JsonResponse({"status": record.status, "progress": progress})


@require_POST
def import_confirm(request, pk):
    record = access.import_visible_or_404(request.user, pk)
    share = left_list_share_to_confirm(record)
    if share is not None and request.POST.get("left_list_confirmed") != "yes":
        message = _(
            "This roster would list %(count)s of the county's %(open)s open cases "
            "(%(percent)s%%) as having left the list: tick the box to confirm that first."
        )
        figures = {"count": share.candidates, "open": share.open_cases, "percent": share.percent}
        messages.error(request, message % figures)
        return redirect(record.get_absolute_url())
    updated = RosterImport.objects.filter(pk=record.pk, status=RosterImport.Status.PREVIEW).update(
        status=RosterImport.Status.IMPORTING, actor=request.user
    )
    if not updated:
        messages.error(request, _("This file is not waiting for confirmation."))
        return redirect(record.get_absolute_url())
    history.change_record(
        actor=request.user, kind="roster_confirmed", county=record.county_id, target=record,
        changes={"status": [RosterImport.Status.PREVIEW, RosterImport.Status.IMPORTING]},
    )  # fmt: skip
    jobs.submit("roster.execute", pk=record.pk)
    return redirect(record.get_absolute_url())


@require_POST
def import_cancel(request, pk):
    record = access.import_visible_or_404(request.user, pk)
    cancelled = RosterImport.objects.filter(
        pk=record.pk, status=RosterImport.Status.PREVIEW
    ).update(status=RosterImport.Status.CANCELLED)
    if cancelled:
        history.change_record(
            actor=request.user, kind="roster_cancel", county=record.county_id, target=record,
            changes={"status": [record.status, RosterImport.Status.CANCELLED]},
        )  # fmt: skip
    stored_delete(record)
    messages.info(request, _("The import was cancelled; nothing was changed."))
    return redirect("casework:import_upload")


def import_report(request, pk):
    """The row report as xlsx: every rejected row and warning with its row number; recorded."""
    record = access.import_visible_or_404(request.user, pk)
    report = report_worded(record.report)
    rows = [
        [row["row"], _("rejected"), " ".join(row["codes"]), " ".join(row["reasons"])]
        for row in report["rejected"]
    ] + [
        [row["row"] or "", _("warning"), "", row["message"]]
        for row in report["warnings"]
    ]  # fmt: skip
    summary = [
        (_("file name"), record.file_name), ("SHA-256", record.sha256),
        (_("by"), str(record.actor or _(record.source))), (_("at"), str(record.created_at)),
        (_("rows"), record.rows), (_("created"), record.created), (_("updated"), record.updated),
        (_("unchanged"), record.unchanged), (_("rejected"), record.rejected),
        (_("left-list candidates"), record.left_list),
    ]  # fmt: skip
    return exports.xlsx_response(
        [exports.Sheet(_("Rows"), [_("row"), _("result"), _("codes"), _("reason")], rows),
         exports.Sheet(_("Summary"), [], summary)],
        filename=f"roster-import-{record.pk}.xlsx", actor=request.user, kind="import_report",
        description=f"{record.file_name} #{record.pk}",
    )  # fmt: skip


def left_list(request):
    """Cases a complete roster no longer names, for a supervisor to confirm or dismiss."""
    _require_import(request)
    candidates = (
        access.left_list_candidates_visible_to(request.user)
        .select_related("case__person", "case__township", "case__region", "roster_import")
        .order_by("case__township__code", "case__person__name")
    )
    context = {
        "candidates": candidates[:1000],
        "may_decide": access.may_supervise_cases(request.user),
    }
    return render(request, "casework/left_list.html", context)


@require_POST
def left_list_decision(request, pk, decision):
    candidate = access.candidate_visible_or_404(request.user, pk)
    access.require(access.may_decide_left_list(request.user, candidate))
    if decision not in ("confirm", "dismiss"):
        raise Http404("No such decision.")
    try:
        left_list_decide(candidate=candidate, actor=request.user, confirm=decision == "confirm")
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Recorded."))
    return redirect("casework:left_list")


@require_POST
def left_list_batch(request):
    """Confirm or dismiss the ticked candidates: a page listing them first, then the decision
    once that page's button is pressed."""
    candidates = access.candidates_visible_or_404(
        request.user, sorted(set(posted_ids(request.POST, "candidate")))
    )
    access.require(access.may_supervise_cases(request.user))
    for candidate in candidates:
        access.require(access.may_decide_left_list(request.user, candidate))
    decision = request.POST.get("decision")
    if decision not in ("confirm", "dismiss"):
        messages.error(request, _("Choose whether to confirm or to dismiss."))
        return redirect("casework:left_list")
    if not candidates:
        messages.error(request, _("Tick at least one laborer first."))
        return redirect("casework:left_list")
    if request.POST.get("confirmed") != "yes":
        context = {"candidates": candidates, "decision": decision, "count": len(candidates)}
        return render(request, "casework/left_list_confirm.html", context)
    done, refused = left_list_decide_many(
        candidates=candidates, actor=request.user, confirm=decision == "confirm"
    )
    if done:
        said = (
            _("%(count)s confirmed as left the list; their cases are closed.")
            if decision == "confirm"
            else _("%(count)s dismissed: they stay on the list.")
        )
        messages.success(request, said % {"count": done})
    for reason in refused:
        messages.error(request, reason)
    return redirect("casework:left_list")


@require_POST
def case_correct_id_view(request, pk):
    case = access.case_visible_or_404(request.user, pk)
    access.require(access.may_supervise_case(request.user, case))
    # a merge happens only from its preview's button, which names the case shown (its full
    # number is not sent back to the page)
    merge_into = posted_id(request.POST, "merge_into")
    if merge_into is not None:
        id_number = access.case_visible_or_404(request.user, merge_into).person.id_number
    else:
        id_number = request.POST.get("id_number", "")
    try:
        other = case_merge_target(case=case, actor=request.user, id_number=id_number)
        if other is not None and merge_into is None:
            context = case_merge_preview(case=case, into=other)
            return render(request, "casework/merge_preview.html", context)
        target = case_correct_id(case=case, actor=request.user, id_number=id_number)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(case.get_absolute_url())
    if target.pk != case.pk:
        messages.success(request, _("The two cases have been merged into this one."))
    else:
        messages.success(request, _("The ID number has been corrected."))
    return redirect(target.get_absolute_url())


def registration_conflicts(request):
    """For the city: rows of county rosters naming laborers registered in another county,
    still unresolved (the case has not moved to the county that names it)."""
    access.require(access.may_see_registration_conflicts(request.user))
    conflicts = (
        selectors.conflicts_unresolved(
            access.of_visible_cases(request.user, RegistrationConflict.objects.all())
        ).select_related(
            "case__person", "case__county", "case__township", "county", "roster_import"
        )  # fmt: skip
    )
    table = RegistrationConflictTable(conflicts, order_by=request.GET.get("sort"))
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "casework/registration_conflicts.html", {"table": table})
