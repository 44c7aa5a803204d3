"""The supervision report's pages: choose a period and see one's recent reports, follow a
report's printing in the background, download it (recorded as an export).

City staff and administrators print it (access.may_print_supervision_report); any other role
gets 403 on the form, and 404 on any report's page, as for a missing one
(access.supervision_reports_visible_to)."""

from django import forms
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from casework import access, exports, jobs, pdf

from . import report as printed
from .jobs import progress_key, report_request
from .models import SupervisionReport
from .periods import Period, PeriodError, last_ended


class PeriodForm(forms.Form):
    period = forms.CharField(
        label=gettext_lazy("Period"), max_length=7,
        help_text=gettext_lazy("A quarter as 2026Q4, or a month as 2026-11."),
    )  # fmt: skip

    def clean_period(self) -> Period:
        try:
            return Period.parse(self.cleaned_data["period"], today=timezone.localdate())
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from None


def _record_or_404(request, pk) -> SupervisionReport:
    found = access.supervision_reports_visible_to(
        request.user, SupervisionReport.objects.defer("pdf").select_related("requested_by")
    )
    return access.one_or_404(found, pk)


def report(request):
    """GET: the form and the user's recent reports; POST: ask for one, then follow it."""
    access.require(access.may_print_supervision_report(request.user))
    today = timezone.localdate()
    form = PeriodForm(request.POST or None, initial={"period": str(last_ended(today))})
    if request.method == "POST" and form.is_valid():
        record = report_request(actor=request.user, period=form.cleaned_data["period"])
        return redirect(record.get_absolute_url())
    recent = SupervisionReport.objects.filter(requested_by=request.user).defer("pdf")[:20]
    examples = [last_ended(today), last_ended(today, quarter=False)]
    context = {"form": form, "recent": recent, "examples": examples}
    return render(request, "supervision/report_form.html", context)


@require_GET
def report_progress(request, pk):
    """A report being printed, with a bar that refreshes (its JSON for the page's script), or
    its download once ready."""
    record = _record_or_404(request, pk)
    progress = record.progress if not record.working else jobs.get_progress(progress_key(pk))
    progress = progress or 0
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {"status": record.status, "progress": progress, "working": record.working}
        )
    period = Period.parse(record.period, today=timezone.localdate(record.requested_at))
    context = {"record": record, "progress": progress, "period": period}
    return render(request, "supervision/report_progress.html", context)


@require_GET
def report_download(request, pk):
    """The printed report as a PDF; each download is recorded (it lists laborers by name)."""
    record = _record_or_404(request, pk)
    if record.status != SupervisionReport.Status.DONE:
        raise Http404("The report is not ready.")
    content = SupervisionReport.objects.values_list("pdf", flat=True).get(pk=record.pk)
    period = Period.parse(record.period, today=timezone.localdate(record.requested_at))
    exports.export_logged(actor=request.user, kind=printed.EXPORT_KIND,
                          description=f"{printed.description(period)} #{record.pk}",
                          rows=record.annex_rows)  # fmt: skip
    return pdf.pdf_response(bytes(content), filename=printed.filename(period), personal=True)
