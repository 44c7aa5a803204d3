"""A task's page: its case and form; the view each flow node names executes it."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from viewflow.workflow.status import STATUS

from casework import access, recording
from casework.idnumber import mask_phone, phone_at_rest
from casework.models import SurveyDraft
from casework.programmes.services import placement_programmes, placement_record
from casework.services import ServiceError
from casework.survey import WORKING, SurveyForm

from .. import forms, selectors, services
from ..models import CaseTask

MULTIPLE_FIELDS = {
    name for name, field in SurveyForm.base_fields.items() if hasattr(field, "choices")
    and field.widget.allow_multiple_selected
}  # fmt: skip

# --- one task --------------------------------------------------------------------------------


def task_or_404(request, pk):
    return selectors.task_visible_or_404(
        request.user,
        pk,
        CaseTask.objects.select_related(
            "task", "task__owner", "task__process", "case__person", "case__owner",
            "case__county", "case__township", "case__region",
        ),
    )  # fmt: skip


def task_detail(request, pk: int):
    """The task's page; the flow node names the view that executes it."""
    case_task = task_or_404(request, pk)
    return case_task.task.flow_task._view(request, case_task=case_task)


class TaskView(View):
    """Shows a task with its case and form; on a valid POST runs the task's service."""

    form_class = None
    template_name = "workflows/task.html"

    def dispatch(self, request, *args, case_task, **kwargs):
        self.case_task = case_task
        self.case = case_task.case
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict:
        return {"initial": self.get_initial()}

    def get_initial(self) -> dict:
        return {}

    def get_form(self, data=None):
        return self.form_class(data, **self.get_form_kwargs())

    def can_act(self) -> bool:
        task = self.case_task.task
        user = self.request.user
        if task.status == STATUS.ASSIGNED:
            return task.owner_id == user.pk
        return task.status == STATUS.NEW and access.may_claim(user, self.case_task)

    def get(self, request):
        return self.render(self.get_form() if self.can_act() else None)

    def post(self, request):
        access.require(access.may_claim(request.user, self.case_task))
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render(form, status=200)
        try:
            self.done(form)
        except ServiceError as error:
            messages.error(request, error.message)
            return self.render(form)
        messages.success(request, self.success_message())
        return redirect(self.case.get_absolute_url())

    def done(self, form):
        services.task_execute(
            case_task=self.case_task,
            actor=self.request.user,
            perform=lambda case: self.perform(form, case),
        )

    def perform(self, form, case):
        raise NotImplementedError

    def success_message(self):
        return _("%(task)s is done.") % {"task": self.case_task.get_kind_display()}

    def render(self, form, status=200):
        user = self.request.user
        task = self.case_task.task
        context = {
            "case_task": self.case_task,
            "task": task,
            "case": self.case,
            "form": form,
            "is_open": task.status in selectors.OPEN,
            "can_release": task.owner_id == user.pk and task.status == STATUS.ASSIGNED,
            "can_claim": task.status == STATUS.NEW and access.may_claim(user, self.case_task),
            "colleagues": services.colleagues_for(self.case_task, exclude=user)
            if task.owner_id == user.pk
            else None,
            "reassign_to": services.colleagues_for(self.case_task, exclude=task.owner)
            if access.may_reassign(user, self.case_task) and task.status in selectors.OPEN
            else None,
            "process_data": task.process.data,
            "can_reveal": access.may_reveal_numbers(user, self.case),
        }
        return render(self.request, self.template_name, context, status=status)


class SurveyTaskView(TaskView):
    """The door-to-door survey: the whole 附件2 form, pre-filled, saved as a draft as it goes."""

    form_class = SurveyForm
    template_name = "workflows/survey_task.html"
    resurvey = False

    def get_initial(self):
        return survey_initial(self.case, self.request.user)

    def get_form(self, data=None):
        form = super().get_form(data)
        form.person_sex = self.case.person.sex
        form.stored_phone = self.case.person.phone
        return form

    def done(self, form):
        answers = form.answers()
        data = form.cleaned_data
        if self.resurvey:
            services.resurvey_submit(
                case_task=self.case_task, actor=self.request.user,
                surveyed_on=data["surveyed_on"], employment_status=data["employment_status"],
                note=data["note"], answers=answers,
                employment=recording.employment_from_answers(answers, data["surveyed_on"])
                if data["employment_status"] in WORKING else None,
            )  # fmt: skip
            return
        super().done(form)

    def perform(self, form, case):
        data = form.cleaned_data
        recording.survey_submit(
            case=case, actor=self.request.user, surveyed_on=data["surveyed_on"],
            employment_status=data["employment_status"], note=data["note"],
            answers=form.answers(),
        )  # fmt: skip


def survey_initial(case, user) -> dict:
    """The roster's and the previous survey's answers, then what this surveyor drafted.

    The phone is the laborer's stored number, masked: sent back unchanged, it keeps that number.
    """
    person = case.person
    initial = {name: getattr(person, name) for name in recording.PERSON_SURVEY_FIELDS}
    initial["sex"] = person.sex
    previous = case.surveys.order_by("-surveyed_on", "-pk").first()
    if previous is not None:
        initial.update({k: v for k, v in previous.answers.items() if v not in ("", [], None)})
    draft = SurveyDraft.objects.filter(case=case, author=user).first()
    initial["phone"] = mask_phone(person.phone)
    if draft is not None:
        initial.update(SurveyForm.without_hidden(draft.data))  # drafts kept before that rule
        initial["phone"] = phone_at_rest(initial["phone"])  # drafts kept before masking
    return initial


@require_POST
def survey_draft(request, pk):
    """Save what is typed so far (called by the page every few seconds)."""
    case_task = task_or_404(request, pk)
    access.require(access.may_claim(request.user, case_task))
    if case_task.task.owner_id not in (None, request.user.pk) or case_task.task.status not in (
        STATUS.NEW, STATUS.ASSIGNED,
    ):  # fmt: skip
        return JsonResponse({"saved": False}, status=409)
    data = {
        key: request.POST.getlist(key) if len(request.POST.getlist(key)) > 1
        or key in MULTIPLE_FIELDS else request.POST.get(key)
        for key in request.POST if key != "csrfmiddlewaretoken"
    }  # fmt: skip
    # what a section hidden by the status holds is not kept: it would come back at every visit
    data = SurveyForm.without_hidden(data)
    draft = recording.survey_draft_save(case=case_task.case, actor=request.user, data=data)
    return JsonResponse(
        {"saved": True, "at": timezone.localtime(draft.updated_at).strftime("%H:%M:%S")}
    )


class AssistanceTaskView(TaskView):
    form_class = forms.AssistanceTaskForm

    def get_form_kwargs(self):
        programmes = placement_programmes(self.case.county_id)
        return {**super().get_form_kwargs(), "programmes": programmes}

    def done(self, form):
        data = form.cleaned_data
        if data["programme"] is not None:
            if not self.can_act():
                raise ServiceError(_("You cannot take this task."))
            placement_record(case=self.case, actor=self.request.user,
                             programme=data["programme"], on=data["on"],
                             employer=data["employer"], post=data["post"])  # fmt: skip
            self.completed = "placed"
            return
        record = {"measure": data["measure"], "on": data["on"], "note": data["note"]}
        if not data["found_work"]:
            services.assistance_record_for_task(
                case_task=self.case_task, actor=self.request.user, **record
            )
            self.completed = False
            return
        self.completed = True

        def perform(case):
            if data["measure"]:
                recording.assistance_record(case=case, actor=self.request.user, **record)

        services.task_execute(case_task=self.case_task, actor=self.request.user, perform=perform)

    def success_message(self):
        if self.completed == "placed":
            return _("The placement is recorded: the laborer is employed.")
        if self.completed:
            return _("Assistance is done: fill in the employment details next.")
        return _("The help is recorded; the assistance task stays open.")


class EmploymentTaskView(TaskView):
    form_class = forms.EmploymentTaskForm

    def perform(self, form, case):
        recording.employment_record(case=case, actor=self.request.user, **form.employment_details())


class FollowUpTaskView(TaskView):
    form_class = forms.FollowUpTaskForm

    def get_initial(self):
        employment = self.case.employments.order_by("-started_on", "-pk").first()
        return {"work_address": employment.employer if employment else ""}

    def perform(self, form, case):
        recording.follow_up_record(case=case, actor=self.request.user, **form.cleaned_data)


class ResurveyTaskView(SurveyTaskView):
    resurvey = True


class ClosingApprovalView(TaskView):
    form_class = forms.ClosingApprovalForm

    def done(self, form):
        services.closing_decide(
            case_task=self.case_task,
            actor=self.request.user,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
        )


class TransferAcceptanceView(TaskView):
    form_class = forms.TransferAcceptanceForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "county_id": self.case_task.county_id}

    def done(self, form):
        services.transfer_decide(
            case_task=self.case_task,
            actor=self.request.user,
            accept=form.cleaned_data["decision"] == "approve",
            region=form.cleaned_data["region"],
            comment=form.cleaned_data["comment"],
        )
