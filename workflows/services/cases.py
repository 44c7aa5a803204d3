"""Requests and decisions on a case that move its processes: closing, transfer, re-survey,
placement in work, undo. Each takes the case's row lock or the flow lock."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from casework import access
from casework import services as registry
from casework.models import (
    Case,
    CaseEvent,
    CloseReason,
    Employment,
    FollowUpStatus,
    Region,
    Stage,
    Transfer,
    User,
)
from casework.recording import (
    assistance_record,
    employment_record,
    follow_up_record,
    survey_submit,
)
from casework.services import ServiceError

from .. import flows
from ..models import CaseTask, QuarterlyCheck, TaskKind, quarter_of
from .tasks import OPEN, _event, _hold, _system_execute, locked, open_tasks, task_execute


def _case_locked(case: Case) -> Case:
    """The case re-read under a row lock held to the end of the transaction, so that a check
    for an open request and the request's start cannot interleave with another request's
    (PostgreSQL: SELECT … FOR NO KEY UPDATE; SQLite: the IMMEDIATE transaction already
    serialises). NO KEY: the lock must not stop another transaction's foreign-key check on the
    case (a re-survey generator inserting its claims), which would wait for us while we wait
    for its claim — a deadlock."""
    return Case.objects.select_for_update(no_key=True).select_related("person").get(pk=case.pk)


@transaction.atomic
def assistance_record_for_task(*, case_task: CaseTask, actor: User, **record):
    """Record help from the open assistance task without completing it."""
    with locked(case_task.task) as activation:
        _hold(activation, case_task, actor)
        return assistance_record(case=Case.objects.get(pk=case_task.case_id), actor=actor, **record)


@transaction.atomic
def closing_request(*, case: Case, actor: User, reason: str, note: str = ""):
    """A caseworker asks to close a case, with a reason; a county supervisor decides."""
    access.require(access.may_work_case(actor, case))
    if reason not in CloseReason.values:
        raise ServiceError(_("Choose a reason for closing."))
    case = _case_locked(case)
    if case.stage == Stage.CLOSED:
        raise ServiceError(_("This case is already closed."))
    if open_tasks(case, flow_class=flows.ClosingFlow).exists():
        raise ServiceError(_("Closing this case has already been asked for."))
    process = flows.ClosingFlow.start.run(case=case, reason=reason, note=note, actor=actor)
    _event(case, CaseEvent.Kind.CLOSE_REQUEST, actor, reason=reason, note=note)
    return process


def case_close_with_tasks(
    *,
    case: Case,
    actor: User,
    reason: str,
    note: str = "",
    keep: Task | None = None,
    data: dict | None = None,
):
    """Close a case now: its open tasks are cancelled and its processes finished."""
    _cancel_open_tasks(case, actor, keep=keep)
    _finish_case_processes(case)
    return registry.case_close(case=case, reason=reason, actor=actor, note=note, data=data)


def _cancel_open_tasks(case: Case, actor: User, *, keep: Task | None = None) -> None:
    for task in open_tasks(case):
        if keep is not None and task.pk == keep.pk:
            continue
        with locked(task) as activation:
            if activation.cancel.can_proceed():
                activation.cancel()
                _event(case, CaseEvent.Kind.CANCEL, actor, task, task_kind=task.case_task.kind)


def _finish_case_processes(case: Case) -> None:
    flows.CaseFlow.process_class.objects.filter(
        flow_class__in=[flows.CaseFlow, flows.ResurveyFlow],
        artifact_object_id=case.pk,
        status=PROCESS.NEW,
    ).update(status=PROCESS.CANCELED, finished=timezone.now())


def closing_decide(*, case_task: CaseTask, actor: User, approve: bool, comment: str = ""):
    """A county supervisor approves (the case closes, its tasks are cancelled) or refuses."""

    def perform(case):
        data = case_task.task.process.data
        if approve:
            case_close_with_tasks(
                case=case, actor=actor, reason=data["reason"], note=data.get("note", ""),
                keep=case_task.task,
            )  # fmt: skip
            _event(case, CaseEvent.Kind.CLOSE_APPROVE, actor, case_task.task, comment=comment)
        else:
            _event(case, CaseEvent.Kind.CLOSE_REFUSE, actor, case_task.task, comment=comment)

    if case_task.kind != TaskKind.CLOSING_APPROVAL:
        raise ServiceError(_("This is not a closing request."))
    return task_execute(case_task=case_task, actor=actor, perform=perform)


@transaction.atomic
def transfer_request(*, case: Case, actor: User, to_county: Region, note: str = ""):
    """The sending county's supervisor asks another county to take the case over."""
    access.require(access.may_supervise_case(actor, case))
    case = _case_locked(case)
    if to_county.level != Region.Level.COUNTY or to_county.pk == case.county_id:
        raise ServiceError(_("Choose another county."))
    if case.stage == Stage.CLOSED:
        raise ServiceError(_("A closed case cannot be transferred."))
    if open_tasks(case, flow_class=flows.TransferFlow).exists():
        raise ServiceError(_("This case is already being transferred."))
    process = flows.TransferFlow.start.run(case=case, to_county=to_county, note=note, actor=actor)
    _event(
        case, CaseEvent.Kind.TRANSFER_REQUEST, actor,
        to_county_id=to_county.pk, to_county=to_county.name, note=note,
    )  # fmt: skip
    return process


def transfer_decide(
    *, case_task: CaseTask, actor: User, accept: bool, region: Region | None = None, comment=""
):
    """The receiving supervisor accepts (the case and its open tasks move) or refuses."""
    to_county_id = case_task.task.process.data["to_county"]

    def perform(case):
        if not accept:
            _event(case, CaseEvent.Kind.TRANSFER_REFUSE, actor, case_task.task, comment=comment)
            return
        if region is None or region.county_id != to_county_id or region.level not in (
            Region.Level.TOWNSHIP, Region.Level.VILLAGE
        ):  # fmt: skip
            raise ServiceError(_("Choose the township or village of your county it moves to."))
        township = region if region.level == Region.Level.TOWNSHIP else region.parent
        Transfer.objects.create(
            case=case, on=timezone.localdate(), from_county_id=case.county_id,
            from_township_id=case.township_id, to_county_id=to_county_id, to_township=township,
            accepted_by=actor,
        )  # fmt: skip
        Case.objects.filter(pk=case.pk).update(
            region=region,
            township=township,
            county_id=to_county_id,
            owner=None,
            place_code=region.code,
        )
        for task in open_tasks(case).exclude(pk=case_task.task_id):
            with locked(task) as activation:
                if task.status == STATUS.ASSIGNED:
                    activation.unassign()
        CaseTask.objects.filter(case=case, task__status__in=OPEN + (STATUS.SCHEDULED,)).exclude(
            pk=case_task.pk
        ).update(county_id=to_county_id, township=township, region=region)
        _event(
            case, CaseEvent.Kind.TRANSFER_ACCEPT, actor, case_task.task,
            from_county_id=case.county_id, from_county=case.county.name,
            to_region_id=region.pk, to_region=region.path, comment=comment,
        )  # fmt: skip

    if case_task.kind != TaskKind.TRANSFER_ACCEPTANCE:
        raise ServiceError(_("This is not a transfer."))
    return task_execute(case_task=case_task, actor=actor, perform=perform)


@transaction.atomic
def resurvey_start(*, case: Case, actor: User | None):
    """Start a re-survey of an open, already surveyed case (actor None: the system)."""
    if actor is not None:
        access.require(access.may_work_case(actor, case))
    case = _case_locked(case)
    if case.stage in (Stage.IDENTIFIED, Stage.CLOSED):
        raise ServiceError(_("Only open cases that were surveyed once are re-surveyed."))
    _quarter_claim(case, by_hand=actor is not None)
    if open_tasks(case, flow_class=flows.ResurveyFlow).exists():
        raise ServiceError(_("A re-survey of this case is already open."))
    process = flows.ResurveyFlow.start.run(case=case, actor=actor)
    _event(case, CaseEvent.Kind.RESURVEY_START, actor)
    return process


def _quarter_claim(case: Case, *, by_hand: bool) -> bool:
    """Claim this quarter's re-survey for the case, unless it is claimed already (then this one
    is an extra). On PostgreSQL a generator's uncommitted claim makes this wait for its commit,
    so that the check for an open re-survey which follows sees the generated one."""
    try:
        with transaction.atomic():
            QuarterlyCheck.objects.create(
                case=case, quarter=quarter_of(timezone.localdate()), by_hand=by_hand
            )
    except IntegrityError:
        return False
    return True


def resurvey_submit(
    *,
    case_task: CaseTask,
    actor: User,
    surveyed_on,
    employment_status,
    note="",
    employment: dict | None = None,
    answers: dict | None = None,
):
    """Record the re-survey; the stage moves only when the facts changed."""

    def perform(case):
        survey = survey_submit(
            case=case, actor=actor, surveyed_on=surveyed_on,
            employment_status=employment_status, note=note, resurvey=True, answers=answers,
        )  # fmt: skip
        working = survey.is_working
        if working and case.stage in (Stage.SURVEYED, Stage.ASSISTED):
            if not employment:
                raise ServiceError(_("Give the employment details of the work found."))
            _advance_to_employment(case, actor, employment)
        elif not working and case.stage in (Stage.EMPLOYED, Stage.FOLLOWED_UP):
            _record_lost_job(case, actor, surveyed_on, note)
        return survey

    return task_execute(case_task=case_task, actor=actor, perform=perform)


@transaction.atomic
def place_in_work(*, case: Case, actor: User, employment: dict):
    """Record work found for a surveyed, not yet employed case, moving its process through
    the assistance and employment tasks; returns the Employment."""
    if case.stage == Stage.IDENTIFIED:
        raise ServiceError(_("%(name)s has not been surveyed yet: survey first.")
                           % {"name": case.person.name})  # fmt: skip
    if case.stage not in (Stage.SURVEYED, Stage.ASSISTED):
        raise ServiceError(
            _("%(name)s is not waiting for work (%(stage)s).")
            % {"name": case.person.name, "stage": case.get_stage_display()}
        )
    _advance_to_employment(case, actor, employment)
    return Employment.objects.filter(case=case).order_by("-pk").first()


def _advance_to_employment(case, actor, employment):
    process_tasks = open_tasks(case, flow_class=flows.CaseFlow)
    assistance = process_tasks.filter(case_task__kind=TaskKind.ASSISTANCE).first()
    if assistance is not None:
        _system_execute(assistance, actor, lambda case: None)
    employment_task = open_tasks(case, flow_class=flows.CaseFlow, kinds=[TaskKind.EMPLOYMENT])
    task = employment_task.first()
    if task is None:
        employment_record(case=case, actor=actor, **employment)
        return
    _system_execute(
        task, actor, lambda case: employment_record(case=case, actor=actor, **employment)
    )


def _record_lost_job(case, actor, on, note):
    timer = Task.objects.filter(
        process__flow_class=flows.CaseFlow,
        process__artifact_object_id=case.pk,
        flow_task_type="TIMER",
        status=STATUS.SCHEDULED,
    ).first()
    if timer is not None:
        with locked(timer) as activation:
            activation.start()
            activation.execute()
    task = open_tasks(case, flow_class=flows.CaseFlow, kinds=[TaskKind.FOLLOW_UP]).first()
    record = lambda case: follow_up_record(  # noqa: E731
        case=case, actor=actor, status=FollowUpStatus.LOST_JOB, followed_up_on=on,
        problems=note,
    )  # fmt: skip
    if task is None:
        record(case)
    else:
        _system_execute(task, actor, record)


# --- undo ---------------------------------------------------------------------------------

# The case-process node that waits while a case is at a stage.


NODE_FOR_STAGE = {
    Stage.IDENTIFIED: "survey",
    Stage.SURVEYED: "assistance",
    Stage.ASSISTED: "assistance",
    Stage.EMPLOYED: "wait_follow_up",
    Stage.FOLLOWED_UP: "wait_follow_up",
}


@transaction.atomic
def case_undo(*, case: Case, actor: User, reason: str):
    """Undo the case's last stage change; its process waits again where that stage waits."""
    access.require(access.may_supervise_case(actor, case))
    change = registry.case_undo_last_change(case=case, actor=actor, reason=reason)
    process = (
        flows.CaseFlow.process_class.objects.filter(
            flow_class=flows.CaseFlow, artifact_object_id=case.pk
        )
        .order_by("-created")
        .first()
    )
    if process is None:
        return change
    with flows.CaseFlow.lock(process.pk):
        for task in open_tasks(case, flow_class=flows.CaseFlow):
            activation = task.flow_task.activation_class(task)
            if activation.cancel.can_proceed():
                activation.cancel()
        if process.status != PROCESS.NEW:
            process.status, process.finished = PROCESS.NEW, None
            process.save(update_fields=["status", "finished"])
        last = process.task_set.exclude(status=STATUS.CANCELED).order_by("-pk").first()
        node = getattr(flows.CaseFlow, NODE_FOR_STAGE[case.stage])
        previous = last.flow_task.activation_class(last)
        activation = node._create(previous, last.token)
        if activation.activate.can_proceed():
            activation.activate()
    _event(case, CaseEvent.Kind.UNDO, actor, reason=reason)
    return change
