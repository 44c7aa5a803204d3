"""Task and case actions: claim, release, hand over, reassign; close, transfer, undo, re-survey."""

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from casework import access, exports
from casework.errors import posted_id, posted_ids
from casework.models import Role
from casework.services import ServiceError

from .. import forms, selectors, services
from .tasks import task_or_404

# --- task actions ----------------------------------------------------------------------------


def _act(request, pk, action, success, *, may=access.may_claim):
    case_task = task_or_404(request, pk)
    access.require(may(request.user, case_task))
    try:
        action(case_task)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    after = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(after, allowed_hosts={request.get_host()}):
        after = case_task.get_absolute_url()  # never off the site
    return redirect(after)


@require_POST
def task_claim(request, pk):
    return _act(
        request, pk, lambda ct: services.task_claim(case_task=ct, actor=request.user),
        _("The task is yours now."),
    )  # fmt: skip


@require_POST
def task_release(request, pk):
    return _act(
        request, pk, lambda ct: services.task_release(case_task=ct, actor=request.user),
        _("The task is back in the queue."),
    )  # fmt: skip


@require_POST
def task_hand_over(request, pk):
    def hand_over(case_task):
        form = forms.AssigneeForm(
            request.POST, users=services.colleagues_for(case_task, exclude=request.user)
        )
        if not form.is_valid():
            raise ServiceError(_("Choose a colleague of this case's region."))
        services.task_hand_over(
            case_task=case_task, actor=request.user, to_user=form.cleaned_data["to_user"]
        )

    return _act(request, pk, hand_over, _("The task has been handed over."))


@require_POST
def task_reassign(request, pk):
    def reassign(case_task):
        form = forms.AssigneeForm(request.POST, users=services.colleagues_for(case_task))
        if not form.is_valid():
            raise ServiceError(_("Choose a caseworker of this case's region."))
        (row,) = services.tasks_reassign(
            case_tasks=[case_task], actor=request.user, to_user=form.cleaned_data["to_user"]
        )
        if row["error"]:
            raise ServiceError(row["error"])

    return _act(request, pk, reassign, _("The task has been reassigned."), may=access.may_reassign)


class ReassignView(View):
    """A supervisor moves a selection of tasks, or a whole caseload, to another caseworker."""

    template_name = "workflows/reassign.html"

    def dispatch(self, request, *args, **kwargs):
        access.require(access.may_reassign_tasks(request.user))
        return super().dispatch(request, *args, **kwargs)

    def get_tasks(self, data):
        tasks = selectors.with_list_joins(
            selectors.tasks_visible_to(self.request.user).filter(task__status__in=selectors.OPEN)
        ).order_by("due_on", "pk")
        holder = data.get("holder", "")
        if holder.isdigit():
            tasks = tasks.filter(task__owner_id=int(holder))
        elif holder == "queue":
            tasks = tasks.filter(task__owner__isnull=True)
        return tasks

    def get(self, request):
        caseworkers = access.staff_visible_to(request.user, role=Role.CASEWORKER)
        tasks = self.get_tasks(request.GET)
        context = {
            "caseworkers": caseworkers,
            "holder": request.GET.get("holder", ""),
            "tasks": tasks[:500],
            "total": tasks.count(),
        }
        return render(request, self.template_name, context)

    def post(self, request):
        caseworkers = access.staff_visible_to(request.user, role=Role.CASEWORKER)
        to_user = caseworkers.filter(pk=posted_id(request.POST, "to_user") or 0).first()
        if to_user is None:
            messages.error(request, _("Choose the caseworker who takes the tasks over."))
            return redirect(request.get_full_path())
        tasks = self.get_tasks(request.POST)
        if request.POST.get("scope") != "all":
            tasks = tasks.filter(pk__in=posted_ids(request.POST, "task"))
        receipt = services.tasks_reassign(
            case_tasks=list(tasks), actor=request.user, to_user=to_user
        )
        if not receipt:
            messages.error(request, _("No task was chosen."))
            return redirect(request.get_full_path())
        return receipt_response(receipt, actor=request.user)


def receipt_response(receipt, *, actor) -> HttpResponse:
    """The xlsx receipt of a reassignment: what moved from whom to whom, and what did not."""
    header = [_("task"), _("laborer"), _("ID number"), _("township"), _("due on"),
              _("from caseworker"), _("to caseworker"), _("result")]  # fmt: skip
    rows = []
    for row in receipt:
        case_task = row["case_task"]
        rows.append([
            case_task.get_kind_display(),
            case_task.case.person.name,
            case_task.case.person.masked_id_number,
            case_task.township.name if case_task.township_id else "",
            case_task.due_on,
            services.display_name(row["from"]),
            services.display_name(row["to"]),
            row["error"] or _("moved"),
        ])  # fmt: skip
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return exports.xlsx_response(
        [exports.Sheet(_("Reassigned"), header, rows)], filename=f"reassigned-{stamp}.xlsx",
        actor=actor, kind="receipt", description=f"{len(rows)} tasks reassigned",
    )  # fmt: skip


# --- case actions ----------------------------------------------------------------------------


def _case_action(request, pk, form_class, action, success, *, may, **form_kwargs):
    case = access.case_visible_or_404(request.user, pk)
    if request.method != "POST":
        return redirect(case.get_absolute_url())
    access.require(may(request.user, case))
    form = form_class(request.POST, **form_kwargs)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(case.get_absolute_url())
    try:
        action(case, form.cleaned_data)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(case.get_absolute_url())


def case_close_request(request, pk):
    return _case_action(
        request, pk, forms.CloseRequestForm,
        lambda case, data: services.closing_request(case=case, actor=request.user, **data),
        _("Closing has been asked for; a county supervisor will decide."),
        may=access.may_work_case,
    )  # fmt: skip


def case_transfer_request(request, pk):
    return _case_action(
        request, pk, forms.TransferRequestForm,
        lambda case, data: services.transfer_request(case=case, actor=request.user, **data),
        _("The transfer has been asked for; the receiving county will decide."),
        may=access.may_supervise_case,
    )  # fmt: skip


def case_undo(request, pk):
    return _case_action(
        request, pk, forms.UndoForm,
        lambda case, data: services.case_undo(case=case, actor=request.user, **data),
        _("The last stage change has been undone."),
        may=access.may_supervise_case,
    )  # fmt: skip


def case_resurvey(request, pk):
    return _case_action(
        request, pk, django_forms.Form,
        lambda case, data: services.resurvey_start(case=case, actor=request.user),
        _("A re-survey task has been created."),
        may=access.may_work_case,
    )  # fmt: skip
