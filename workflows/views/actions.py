"""Task and case actions: claim, release, hand over, reassign; close, transfer, undo, re-survey."""

from django import forms as django_forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import access
from casework.services import ServiceError

from .. import forms, services
from .tasks import task_or_404

# --- task actions ----------------------------------------------------------------------------


def _act(request, pk, action, success, *, may=access.may_claim):
    case_task = task_or_404(request, pk)
    access.require(may(request.user, case_task))
    try:
        said = action(case_task)  # an action may say more than `success` (who holds it now)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, said or success)
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
        return now_with(form.cleaned_data["to_user"])

    return _act(request, pk, hand_over, _("The task has been handed over."))


def now_with(user) -> str:
    return _("The task is now with %(name)s.") % {"name": services.display_name(user)}


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
        return now_with(form.cleaned_data["to_user"])

    return _act(request, pk, reassign, _("The task has been reassigned."), may=access.may_reassign)


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
