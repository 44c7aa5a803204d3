"""The case's processes: its life from survey to follow-up, re-surveys, closing and transfer.

Flows are declarative; what a task changes lives in workflows.services, called by the task's
view (named on each node); the branch conditions read the case.
"""

import datetime

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from casework.models import Stage

from .bookkeeping import follow_up_opens, survey_owner_of, task_record_created
from .lock import flow_lock
from .models import KIND_PERMISSION, CaseProcess, TaskKind


def task_view(path: str):
    """The view that executes a task, imported when first used (views import the services)."""

    def view(request, **kwargs):
        return import_string(path).as_view()(request, **kwargs)

    view.view_path = path
    return view


class CaseTasksMixin:
    """What every case flow shares: the lock, the process proxy, task bookkeeping."""

    process_class = CaseProcess
    lock_impl = flow_lock

    def task_created(self, activation):
        task_record_created(activation=activation)

    def case_owner(self, activation):
        owner = activation.process.case.owner
        return owner if owner is not None and owner.is_active else None


class CaseFlow(CaseTasksMixin, flow.Flow):
    """One per case: survey → assistance → employment → monthly follow-up while employed."""

    process_title = _("Case")
    process_description = _("From the door-to-door survey to work and follow-up.")

    start = flow.StartHandle(this.start_case).Next(this.survey)
    survey = (
        flow.View(task_view("workflows.views.tasks.SurveyTaskView"))
        .Annotation(title=TaskKind.SURVEY.label)
        .Permission(KIND_PERMISSION[TaskKind.SURVEY])
        .Assign(this.survey_owner)
        .onCreate(this.task_created)
        .Next(this.found_working)
    )
    found_working = flow.If(this.is_working).Then(this.employment).Else(this.assistance)
    assistance = (
        flow.View(task_view("workflows.views.tasks.AssistanceTaskView"))
        .Annotation(title=TaskKind.ASSISTANCE.label)
        .Permission(KIND_PERMISSION[TaskKind.ASSISTANCE])
        .Assign(this.case_owner)
        .onCreate(this.task_created)
        .Next(this.employment)
    )
    employment = (
        flow.View(task_view("workflows.views.tasks.EmploymentTaskView"))
        .Annotation(title=TaskKind.EMPLOYMENT.label)
        .Permission(KIND_PERMISSION[TaskKind.EMPLOYMENT])
        .Assign(this.case_owner)
        .onCreate(this.task_created)
        .Next(this.wait_follow_up)
    )
    wait_follow_up = flow.Timer(this.follow_up_opens).Next(this.follow_up)
    follow_up = (
        flow.View(task_view("workflows.views.tasks.FollowUpTaskView"))
        .Annotation(title=TaskKind.FOLLOW_UP.label)
        .Permission(KIND_PERMISSION[TaskKind.FOLLOW_UP])
        .Assign(this.case_owner)
        .onCreate(this.task_created)
        .Next(this.still_employed)
    )
    still_employed = flow.If(this.is_employed).Then(this.wait_follow_up).Else(this.assistance)
    end = flow.End()

    def start_case(self, activation, case):
        activation.process.artifact = case
        return activation.process

    def survey_owner(self, activation):
        """The region's default caseworker (village, else township), the case's, or the queue."""
        return survey_owner_of(activation.process.case)

    def is_working(self, activation) -> bool:
        survey = activation.process.case.surveys.order_by("-surveyed_on", "-pk").first()
        return survey is not None and survey.is_working

    def is_employed(self, activation) -> bool:
        return activation.process.case.stage in (Stage.EMPLOYED, Stage.FOLLOWED_UP)

    def follow_up_opens(self, activation) -> datetime.datetime:
        """The month's follow-up task opens ten days before it is due."""
        return follow_up_opens(activation.task)


class ResurveyFlow(CaseTasksMixin, flow.Flow):
    """The quarterly re-survey of an open case (按季度进行排查)."""

    process_title = _("Re-survey")

    start = flow.StartHandle(this.start_case).Next(this.resurvey)
    resurvey = (
        flow.View(task_view("workflows.views.tasks.ResurveyTaskView"))
        .Annotation(title=TaskKind.RESURVEY.label)
        .Permission(KIND_PERMISSION[TaskKind.RESURVEY])
        .Assign(this.case_owner)
        .onCreate(this.task_created)
        .Next(this.end)
    )
    end = flow.End()

    def start_case(self, activation, case, actor=None):
        activation.process.artifact = case
        activation.process.data = {"started_by": actor.pk if actor else None}
        return activation.process


class ClosingFlow(CaseTasksMixin, flow.Flow):
    """A caseworker asks to close a case; a supervisor of its county approves or refuses."""

    process_title = _("Closing")

    start = flow.StartHandle(this.start_closing).Next(this.approve)
    approve = (
        flow.View(task_view("workflows.views.tasks.ClosingApprovalView"))
        .Annotation(title=TaskKind.CLOSING_APPROVAL.label)
        .Permission(KIND_PERMISSION[TaskKind.CLOSING_APPROVAL])
        .onCreate(this.task_created)
        .Next(this.end)
    )
    end = flow.End()

    def start_closing(self, activation, case, reason, note, actor):
        activation.process.artifact = case
        activation.process.data = {"reason": reason, "note": note, "requested_by": actor.pk}
        return activation.process


class TransferFlow(CaseTasksMixin, flow.Flow):
    """A county supervisor sends a case to another county; a supervisor there accepts it."""

    process_title = _("Transfer")

    start = flow.StartHandle(this.start_transfer).Next(this.accept)
    accept = (
        flow.View(task_view("workflows.views.tasks.TransferAcceptanceView"))
        .Annotation(title=TaskKind.TRANSFER_ACCEPTANCE.label)
        .Permission(KIND_PERMISSION[TaskKind.TRANSFER_ACCEPTANCE])
        .onCreate(this.task_created)
        .Next(this.end)
    )
    end = flow.End()

    def start_transfer(self, activation, case, to_county, note, actor):
        activation.process.artifact = case
        activation.process.data = {
            "from_county": case.county_id,
            "to_county": to_county.pk,
            "note": note,
            "requested_by": actor.pk,
        }
        return activation.process


FLOWS = (CaseFlow, ResurveyFlow, ClosingFlow, TransferFlow)
