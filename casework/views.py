"""Pages of the registry: home per role, the error pages, the case list and the case page."""

import logging
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from reports import dashboards
from workflows import selectors as workflow_selectors
from workflows.deadlines import calendar_gaps
from workflows.forms import CloseRequestForm, TransferRequestForm, UndoForm

from . import access, audit, exports, filters, jobs, selectors, services, tallies
from .errors import BadInput
from .filters import SEARCH_REFUSED, AuditFilter, CaseFilter, CaseFindForm, id_search_refused
from .ledger.rows import ledger_counted, ledger_sheet
from .models import BenefitKind, Case, Region, RegistrationConflict, Role, Stage
from .survey import survey_changes, survey_summary
from .tables import AuditTable, CaseTable


def home(request):
    """One page per role: what is urgent for it, each count linking to the list it counts."""
    user, today = request.user, timezone.localdate()
    # the counts come from the summaries the writes keep (casework.tallies, workflows.tallies)
    stage_counts = tallies.case_counts_by_stage(user)
    context = {
        "role": user.role,
        "today": today,
        "stage_counts": [
            (label, value, stage_counts.get(value, 0)) for value, label in Stage.choices
        ],
        "total": sum(stage_counts.values()),
        "open_total": sum(n for stage, n in stage_counts.items() if stage != Stage.CLOSED),
        "dashboard": dashboards.dashboard_for(user, stage_counts),
        # where the user works, each place with its path (one query, villages included)
        "user_regions": user.regions.select_related("parent__parent__parent"),
    }
    if user.role == Role.ADMIN or user.is_superuser:
        # deadlines in a year without a published holiday schedule count weekends only
        context["calendar_gaps"] = calendar_gaps(today)
    if user.role == Role.CASEWORKER:
        context.update(
            mine=workflow_selectors.my_task_counts(user, today),
            next_tasks=workflow_selectors.inbox_head(user, 5),
            queue_count=workflow_selectors.queue(user).count(),
            my_open_cases=tallies.open_cases_held_by(user, user),
        )
    if user.role == Role.COUNTY_SUPERVISOR:
        by_township = workflow_selectors.overdue_counts(user, today, by="township")
        by_owner = workflow_selectors.overdue_counts(user, today, by="owner")
        for row in by_owner:
            full_name = f"{row['owner__first_name']} {row['owner__last_name']}"
            row["name"] = full_name.strip() or row["owner__username"]
        context.update(
            overdue_by_township=by_township,
            overdue_total=sum(row["n"] for row in by_township),
            overdue_by_owner=by_owner,
            unclaimed=workflow_selectors.unclaimed_count(user),
            left_list=access.left_list_candidates_visible_to(user).count(),
            without_caseworker=tallies.open_cases_held_by(user, None),
        )
    if user.role in (Role.CITY_STAFF, Role.ADMIN):
        open_cases = tallies.open_cases_by_county(user)
        tasks = workflow_selectors.task_counts_by_county(user, today)
        counties = [
            {
                "county": county,
                "open_cases": open_cases.get(county.pk, 0),
                "open_tasks": tasks.get(county.pk, {}).get("open", 0),
                "overdue": tasks.get(county.pk, {}).get("overdue", 0),
            }
            for county in access.counties_visible_to(user).order_by("code")
        ]
        for row in counties:
            row["share"] = (
                round(100 * row["overdue"] / row["open_tasks"]) if row["open_tasks"] else 0
            )
        context.update(
            counties=counties,
            overdue_total=sum(row["overdue"] for row in counties),
            conflicts=selectors.conflicts_unresolved(
                access.of_visible_cases(user, RegistrationConflict.objects.all())
            ).count(),
        )
    return render(request, "casework/home.html", context)


# --- error pages ------------------------------------------------------------------------------
# One log line per refusal (who, where), not the traceback Django logs by default: a 403 or a
# tampered form is an answer, not a fault.
refusals = logging.getLogger("casework.refusals")


def _refusal(request, status: int, template: str, message="") -> HttpResponse:
    response = render(request, template, {"message": message}, status=status)
    user = getattr(request, "user", None)
    refusals.warning("%s user=%s path=%s", status, getattr(user, "pk", None) or "-", request.path)
    response._has_been_logged = True  # Django's own log line (with the traceback) is skipped
    return response


def permission_denied(request, exception=None):
    """403 in the site's layout and language, with the menu of the user's role."""
    return _refusal(request, 403, "403.html")


def bad_request(request, exception=None):
    """400: a form that cannot be read; its message says what to do."""
    return _refusal(
        request, 400, "400.html", exception.message if isinstance(exception, BadInput) else ""
    )


class CaseListView(SingleTableMixin, FilterView):
    """Every case in the user's regions: filterable, sortable, paginated, masked."""

    table_class = CaseTable
    filterset_class = CaseFilter
    template_name = "casework/case_list.html"
    table_pagination = {"per_page": 25}

    def get(self, request, *args, **kwargs):
        query = request.GET.copy()
        if id_search_refused(query.get("q", "")):
            # answered at a URL without the digits, so that no link of the page repeats them
            messages.error(request, SEARCH_REFUSED)
            query.pop("q")
            query.pop("page", None)
            return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.case_list_queryset(access.cases_visible_to(self.request.user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["querystring"] = query.urlencode()
        return context


def case_detail(request, pk: int):
    """One case: the laborer, the stage and its history, the household, work and help."""
    visible = access.cases_visible_to(request.user)
    case = access.case_visible_or_404(
        request.user,
        pk,
        Case.objects.select_related(
            "person", "region", "township", "county", "owner"
        ).prefetch_related(
            "placements__event",
            "placements__workshop",
            "placements__public_post",
            "enrolments__course",
            "outreach",
            "benefits",
            "assistance",
            "employments",
            "follow_ups",
        ),
    )
    user = request.user
    is_open = case.stage != Stage.CLOSED
    may_work = access.may_work_case(user, case)
    may_supervise = access.may_supervise_case(user, case)
    surveys = list(case.surveys.select_related("surveyor").order_by("-surveyed_on", "-pk")[:2])
    latest = surveys[0] if surveys else None
    previous = surveys[1] if len(surveys) > 1 else None
    context = {
        "case": case,
        "person": case.person,
        "timeline": workflow_selectors.case_timeline(case),
        "latest_survey": latest,
        "survey_summary": survey_summary(latest) if latest else [],
        "survey_changes": survey_changes(latest, previous) if latest else [],
        "previous_survey": previous,
        "open_tasks": workflow_selectors.case_open_tasks(case),
        "household": selectors.household_members(case, visible),
        "village": case.region if case.region.level == Region.Level.VILLAGE else None,
        "close_form": CloseRequestForm() if is_open and may_work else None,
        "transfer_form": TransferRequestForm(case=case) if is_open and may_supervise else None,
        "undo_form": UndoForm() if may_supervise else None,
        "can_correct_id": may_supervise,
        "can_record_help": is_open and may_work,
        "can_reveal": access.may_reveal_numbers(user, case),
        "benefit_kinds": BenefitKind.choices,
        # the help forms' token: the same form sent twice (a double click) records once
        "submission": uuid.uuid4(),
        "can_resurvey": is_open and case.stage != Stage.IDENTIFIED and may_work,
    }
    return render(request, "casework/case_detail.html", context)


@require_POST
def case_reveal(request, pk: int):
    """One full number of a case (field `what`: id_number or phone), recorded as a reveal.

    The page's script asks for JSON and shows the number in place; without the script the form
    posts here and gets a page with the number (answering a POST, never a GET) and a way back.
    """
    case = access.case_visible_or_404(request.user, pk, Case.objects.select_related("person"))
    if not access.may_reveal_numbers(request.user, case):
        raise PermissionDenied
    what = request.POST.get("what", "")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = case.get_absolute_url()
    wants_page = request.get_preferred_type(["application/json", "text/html"]) == "text/html"
    try:
        number = services.case_number_reveal(case=case, actor=request.user, what=what)
    except services.ServiceError as error:
        if wants_page:
            messages.error(request, error.message)
            return redirect(back)
        return JsonResponse({"error": str(error.message)}, status=400)
    if wants_page:
        context = {"case": case, "what": what, "number": number, "back": back}
        response = render(request, "casework/reveal.html", context)
    else:
        response = JsonResponse({"what": what, "number": number})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def case_find(request):
    """A case by its whole ID number, by POST: the number stays out of URLs, logs and pages.

    A number outside the user's regions is answered exactly like a missing one.
    """
    form = CaseFindForm(request.POST)
    if form.is_valid():
        try:
            case = services.case_find_by_id_number(
                actor=request.user, cases=access.cases_visible_to(request.user),
                id_number=form.cleaned_data["id_number"],
            )  # fmt: skip
        except services.ServiceError as error:
            messages.error(request, error.message)
            return redirect("casework:case_list")
        if case is not None:
            return redirect(case.get_absolute_url())
        messages.error(request, _("No case with this ID number in your regions."))
    else:
        for error in form.errors.get("id_number", []):
            messages.error(request, error)
    return redirect("casework:case_list")


def case_ledger_export(request):
    """The ledger (实名台账) of the listed cases as xlsx, in the background when large; every
    export is recorded."""
    return exports.export_answer(request, "ledger", {"query": request.GET.urlencode()})


@exports.maker("ledger")
def ledger_export(user, params: dict) -> exports.Export:
    asked = filters.asked(user, params.get("query", ""))
    cases = CaseFilter(asked.GET, queryset=access.cases_visible_to(user), request=asked).qs
    return exports.Export(
        kind="ledger", filename="ledger.xlsx",
        description=f"/cases/ledger.xlsx?{asked.GET.urlencode()}",
        sheets=lambda: [ledger_sheet(cases)], counted=ledger_counted(cases),
    )  # fmt: skip


# --- the record of processing -----------------------------------------------------------

AUDIT_EXPORT_LIMIT = 100_000  # rows of one workbook; narrow the filters for more


def _audit_filter(request) -> AuditFilter:
    return AuditFilter(request.GET or None, queryset=Case.objects.none(), request=request)


@require_GET
def audit_list(request):
    """Every reveal, export, print, sign-in and write, filterable (city staff, administrators)."""
    access.require(access.may_read_audit(request.user))
    audit_filter = _audit_filter(request)
    table = AuditTable(audit.AuditPage(audit.audit_records(audit_filter.criteria())))
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "casework/audit.html", {
        "filter": audit_filter, "table": table, "querystring": query.urlencode(),
    })  # fmt: skip


@require_GET
def audit_export(request):
    """The filtered record of processing as xlsx, in the background when large; the export is
    itself recorded."""
    access.require(access.may_read_audit(request.user))
    return exports.export_answer(request, "audit", {"query": request.GET.urlencode()})


@exports.maker("audit")
def audit_export_made(user, params: dict) -> exports.Export:
    access.require(access.may_read_audit(user))
    asked = filters.asked(user, params.get("query", ""))
    criteria = AuditFilter(
        asked.GET or None, queryset=Case.objects.none(), request=asked
    ).criteria()
    records = audit.audit_records(criteria)[:AUDIT_EXPORT_LIMIT]
    header = [_("when"), _("who"), _("what"), _("county"), _("case"), _("details"), _("rows")]

    def rows():
        for start in range(0, AUDIT_EXPORT_LIMIT, 1000):
            chunk = audit.audit_rows(records[start : start + 1000])
            if not chunk:
                return
            for row in chunk:
                who = (row.actor.get_full_name() or row.actor.username) if row.actor else ""
                yield [row.at, who, row.what, row.county, row.case_id, row.details, row.rows]

    return exports.Export(
        kind="audit", filename="audit.xlsx", description=audit.description_of(criteria),
        sheets=lambda: [exports.Sheet(_("Record of processing"), header, rows(),
                                      widths=(20, 14, 28, 10, 8, 60))],
        counted=records,
    )  # fmt: skip


# --- exports written in the background (exports.export_answer) ---------------------------


@require_GET
def export_progress(request, pk):
    """A large export being written, with a bar that refreshes (its JSON for the page's
    script), or its download link once ready; its asker's only (others: 404)."""
    record = access.export_file_visible_or_404(request.user, pk)
    progress = (jobs.get_progress(exports.progress_key(pk)) if record.working else 100) or 0
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {"status": record.status, "progress": progress, "working": record.working}
        )
    context = {"record": record, "progress": progress, "keep_hours":
               settings.CASEWORK_EXPORT_KEEP_HOURS,
               "title": audit.EXPORT_KINDS.get(record.kind, record.filename)}  # fmt: skip
    return render(request, "casework/export_progress.html", context)


@require_GET
def export_download(request, pk):
    """A large export's workbook; each download is recorded as an export of its kind."""
    record = access.export_file_visible_or_404(request.user, pk)
    if record.status != record.Status.DONE:
        raise Http404("The export is not ready.")
    return exports.export_file_response(record, actor=request.user)
