"""Writes of the case workflows: starting, claiming, handing over, executing, closing, moving.

Every function takes the acting user, works under the flow lock, and leaves a CaseEvent or a
StageChange behind. A refused request raises casework.services.ServiceError with a message
for the user; nothing is changed then.
"""

import datetime
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from casework import access, records
from casework import services as registry
from casework.history import case_event_record, person_name
from casework.idnumber import phone_at_rest
from casework.models import (
    Assistance,
    AssistanceMeasure,
    Case,
    CaseEvent,
    CloseReason,
    Employment,
    FollowUp,
    FollowUpStatus,
    Outreach,
    Region,
    Stage,
    Survey,
    SurveyDraft,
    Transfer,
    User,
)
from casework.services import ServiceError

from . import flows
from .bookkeeping import survey_owner_of
from .deadlines import WorkCalendar
from .models import CaseTask, TaskKind

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
BUSY_MESSAGE = gettext_noop(
    "Someone else is saving this case right now. Please try again in a moment."
)


def _event(case, kind, actor, task=None, **data) -> CaseEvent:
    return case_event_record(case=case, kind=kind, actor=actor, task=task, data=data)


@contextmanager
def locked(task: Task):
    """The task's activation under its process lock, the task re-read from the database."""
    try:
        with task.activation() as activation:
            yield activation
    except FlowLockFailed:
        raise ServiceError(_(BUSY_MESSAGE)) from None


def display_name(user: User | None) -> str:
    if user is None:
        return _("nobody")
    return user.get_full_name() or user.username


def colleagues_for(case_task: CaseTask, *, exclude: User | None = None):
    """Active staff who may hold this task: its role's permission, its region in their scope."""
    app_label, codename = (case_task.task.owner_permission or flows.WORK).split(".")
    covering = [
        pk for pk in (case_task.region_id, case_task.township_id, case_task.county_id) if pk
    ]
    city = Region.objects.filter(level=Region.Level.CITY).values_list("pk", flat=True)
    users = User.objects.filter(
        is_active=True,
        regions__in=[*covering, *city],
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
    )
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.distinct().order_by("username")


# --- task bookkeeping ----------------------------------------------------------------


# --- starting --------------------------------------------------------------------------


@transaction.atomic
def case_process_start(*, case: Case):
    """Start the case's process: its survey task goes to the region's caseworker or queue."""
    return flows.CaseFlow.start.run(case=case)


@transaction.atomic
def case_intake(**registration) -> Case:
    """Register a laborer as a case and start its process."""
    case = registry.case_register(**registration)
    case_process_start(case=case)
    return case


def _bulk_first_task(flow, case: Case, actor: User | None, today, owners: dict) -> dict:
    """What a started process of `flow` holds for the case: its data, its first node, that
    task's kind, owner and due date (the same as the start API and task_record_created)."""
    calendar = WorkCalendar()
    if flow is flows.CaseFlow:
        return {"data": {}, "node": flow.survey, "kind": TaskKind.SURVEY,
                "owner": survey_owner_of(case),
                "due_on": calendar.due_on(TaskKind.SURVEY, case.identified_on)}  # fmt: skip
    if flow is flows.ResurveyFlow:
        owner = owners.get(case.owner_id)  # active owners only
        return {"data": {"started_by": actor.pk if actor else None}, "node": flow.resurvey,
                "kind": TaskKind.RESURVEY, "owner": owner,
                "due_on": calendar.due_on(TaskKind.RESURVEY, today)}  # fmt: skip
    raise ValueError(f"{flow.__name__} is started one case at a time (its start takes more).")


@transaction.atomic
def cases_start_bulk(
    *, cases: list[Case], flow=flows.CaseFlow, actor: User | None = None, batch_size: int = 2000
) -> int:
    """Start a process of `flow` (the case's life, or a re-survey) for many cases at once: the
    rows viewflow's start API writes (process, start task, first task, their link) and the
    task's case and due date, with bulk inserts. viewflow's start signals are not sent;
    nothing here listens to them.
    """
    content_type = ContentType.objects.get_for_model(Case)
    now, today = timezone.now(), timezone.localdate()
    cases = list(cases)
    owners = User.objects.filter(is_active=True).in_bulk({c.owner_id for c in cases} - {None})
    firsts = [_bulk_first_task(flow, case, actor, today, owners) for case in cases]
    processes = flow.process_class.objects.bulk_create(
        [
            flow.process_class(
                flow_class=flow,
                status=PROCESS.NEW,
                created=now,
                data=first["data"],
                artifact_content_type=content_type,
                artifact_object_id=case.pk,
            )  # fmt: skip
            for case, first in zip(cases, firsts, strict=True)
        ],
        batch_size=batch_size,
    )
    starts = Task.objects.bulk_create(
        [
            Task(
                process=process,
                flow_task=flow.start,
                flow_task_type="START",
                status=STATUS.DONE,
                created=now,
                started=now,
                finished=now,
                token=Token("start"),
                data={},
            )  # fmt: skip
            for process in processes
        ],
        batch_size=batch_size,
    )
    tasks = Task.objects.bulk_create(
        [
            Task(
                process=process,
                flow_task=first["node"],
                flow_task_type="HUMAN",
                status=STATUS.ASSIGNED if first["owner"] else STATUS.NEW,
                owner=first["owner"],
                owner_permission=flows.WORK,
                created=now,
                token=Token("start"),
                data={},
            )  # fmt: skip
            for process, first in zip(processes, firsts, strict=True)
        ],
        batch_size=batch_size,
    )
    link = Task.previous.through
    link.objects.bulk_create(
        [
            link(from_task_id=task.pk, to_task_id=start.pk)
            for task, start in zip(tasks, starts, strict=True)
        ],  # fmt: skip
        batch_size=batch_size,
    )
    CaseTask.objects.bulk_create(
        [
            CaseTask(
                task=task,
                case=case,
                kind=first["kind"],
                due_on=first["due_on"],
                county_id=case.county_id,
                township_id=case.township_id,
                region_id=case.region_id,
            )  # fmt: skip
            for task, case, first in zip(tasks, cases, firsts, strict=True)
        ],
        batch_size=batch_size,
    )
    return len(processes)


def open_tasks(case: Case, *, flow_class=None, kinds: Iterable[str] | None = None):
    tasks = Task.objects.filter(
        case_task__case=case, status__in=OPEN + (STATUS.SCHEDULED,)
    ).select_related("process", "case_task")
    if flow_class is not None:
        tasks = tasks.filter(process__flow_class=flow_class)
    if kinds is not None:
        tasks = tasks.filter(case_task__kind__in=list(kinds))
    return tasks


# --- who works on a task -----------------------------------------------------------------


def _take_responsibility(case_task: CaseTask, user: User | None, actor: User | None) -> None:
    """Case-process work makes its assignee the case's responsible caseworker."""
    case = case_task.case
    if case_task.task.owner_permission != flows.WORK or case.owner_id == (user and user.pk):
        return
    Case.objects.filter(pk=case.pk).update(owner=user, updated_at=timezone.now())
    _event(
        case, CaseEvent.Kind.OWNER, actor, case_task.task,
        user_id=user and user.pk, user=person_name(user),
    )  # fmt: skip


@transaction.atomic
def task_claim(*, case_task: CaseTask, actor: User) -> None:
    """Take an unclaimed task of one's regions from the queue."""
    with locked(case_task.task) as activation:
        task = activation.task
        if task.owner_id == actor.pk:
            return
        if task.owner_id is not None:
            raise ServiceError(
                _("%(user)s claimed this task a moment ago.") % {"user": display_name(task.owner)}
            )
        if task.status != STATUS.NEW:
            raise ServiceError(_("This task is no longer open."))
        if not access.may_claim(actor, case_task):
            raise ServiceError(_("You cannot take this task."))
        activation.assign(actor)
        _event(case_task.case, CaseEvent.Kind.CLAIM, actor, task)
        _take_responsibility(case_task, actor, actor)


@transaction.atomic
def task_release(*, case_task: CaseTask, actor: User) -> None:
    """Give one's task back to the queue of its region."""
    with locked(case_task.task) as activation:
        task = activation.task
        if task.owner_id != actor.pk or task.status != STATUS.ASSIGNED:
            raise ServiceError(_("Only the caseworker holding an unstarted task can release it."))
        activation.unassign()
        _event(case_task.case, CaseEvent.Kind.RELEASE, actor, task)


def _check_assignee(case_task: CaseTask, user: User) -> None:
    if not access.may_claim(user, case_task):
        raise ServiceError(
            _("%(user)s does not work in this case's region.") % {"user": display_name(user)}
        )


def _assign_locked(activation, case_task, to_user, actor, kind):
    task = activation.task
    previous = task.owner
    if task.status == STATUS.NEW:
        activation.assign(to_user)
    elif task.status == STATUS.ASSIGNED:
        activation.reassign(to_user)
    else:
        raise ServiceError(_("This task is no longer open."))
    _event(
        case_task.case, kind, actor, task,
        from_user_id=previous and previous.pk, from_user=person_name(previous),
        to_user_id=to_user.pk, to_user=person_name(to_user),
    )  # fmt: skip
    _take_responsibility(case_task, to_user, actor)
    return previous


@transaction.atomic
def task_hand_over(*, case_task: CaseTask, actor: User, to_user: User) -> None:
    """Hand one's task to a colleague of the same region."""
    if to_user.pk == actor.pk:
        raise ServiceError(_("Choose a colleague other than yourself."))
    _check_assignee(case_task, to_user)
    with locked(case_task.task) as activation:
        if activation.task.owner_id != actor.pk:
            raise ServiceError(_("Only the caseworker holding a task can hand it over."))
        _assign_locked(activation, case_task, to_user, actor, CaseEvent.Kind.HAND_OVER)


def tasks_reassign(*, case_tasks: Iterable[CaseTask], actor: User, to_user: User) -> list[dict]:
    """A supervisor moves open tasks to another caseworker of the county; returns the receipt.

    Each task is moved in its own transaction under its own lock, so one busy case does not
    hold up a caseload; a task that could not be moved is listed with the reason.
    """
    receipt = []
    for case_task in case_tasks:
        row = {"case_task": case_task, "from": case_task.task.owner, "to": to_user, "error": ""}
        try:
            if not access.may_reassign(actor, case_task):
                raise ServiceError(_("Not a task of your county."))
            _check_assignee(case_task, to_user)
            with transaction.atomic(), locked(case_task.task) as activation:
                row["from"] = _assign_locked(
                    activation, case_task, to_user, actor, CaseEvent.Kind.REASSIGN
                )
        except ServiceError as error:
            row["error"] = str(error.message)
        receipt.append(row)
    return receipt


# --- executing a task --------------------------------------------------------------------


def _hold(activation, case_task: CaseTask, actor: User) -> None:
    """Make sure the actor holds the open task, claiming it if it is unclaimed (under lock)."""
    task = activation.task
    if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
        raise ServiceError(_("This task has already been completed or cancelled."))
    if task.owner_id is None:
        if not access.may_claim(actor, case_task):
            raise ServiceError(_("You cannot take this task."))
        activation.assign(actor)
        _event(case_task.case, CaseEvent.Kind.CLAIM, actor, task)
        _take_responsibility(case_task, actor, actor)
    elif task.owner_id != actor.pk:
        raise ServiceError(_("This task belongs to %(user)s.") % {"user": display_name(task.owner)})


@transaction.atomic
def task_execute(*, case_task: CaseTask, actor: User, perform: Callable[[Case], object]):
    """Complete a task: claim it if it is unclaimed, run its service, move the flow on."""
    with locked(case_task.task) as activation:
        task = activation.task
        _hold(activation, case_task, actor)
        try:
            activation.start(None)
            result = perform(Case.objects.get(pk=case_task.case_id))
            activation.execute()
        except TransitionNotAllowed:
            raise ServiceError(_("This task can no longer be completed.")) from None
        _event(case_task.case, CaseEvent.Kind.COMPLETE, actor, task, task_kind=case_task.kind)
        return result


def _transition(case, transition, actor, reason="", **arguments):
    return registry.case_transition(
        case=case, transition=transition, actor=actor, reason=reason, **arguments
    )


def _case_locked(case: Case) -> Case:
    """The case re-read under a row lock held to the end of the transaction, so that a check
    for an open request and the request's start cannot interleave with another request's
    (PostgreSQL: SELECT … FOR UPDATE; SQLite: the IMMEDIATE transaction already serialises)."""
    return Case.objects.select_for_update().select_related("person").get(pk=case.pk)


def _last_change_on(case: Case):
    return case.stage_changes.order_by("-on", "-at", "-pk").values_list("on", flat=True).first()


PERSON_SURVEY_FIELDS = [
    "name", "ethnicity", "household_type", "phone", "school_major", "graduated_on", "education",
    "health", "returned_home_on", "marital_status", "political_status",
]  # fmt: skip


def survey_submit(
    *,
    case: Case,
    actor: User,
    surveyed_on,
    employment_status,
    note="",
    resurvey: bool = False,
    answers: dict | None = None,
) -> Survey:
    """Record a door-to-door survey as a dated snapshot; the first one moves the case to surveyed.

    The laborer's personal fields are brought up to date from the answers.
    """
    records.record_date_check(case, surveyed_on)
    answers = dict(answers or {}, employment_status=employment_status)
    yes_no = {"yes": True, "no": False}
    survey = Survey.objects.create(
        case=case,
        surveyed_on=surveyed_on,
        **records.located(case, surveyed_on),
        surveyor=actor,
        employment_status=employment_status,
        note=note,
        is_resurvey=resurvey,
        answers=answers,
        wished_location=answers.get("wished_location", ""),
        wished_form=answers.get("wished_form", ""),
        wage_expectation=answers.get("wage_expectation", ""),
        training_wish=yes_no.get(answers.get("training_wish")),
        training_kind=answers.get("training_kind", ""),
        training_trade=answers.get("training_trade", ""),
        startup_wish=yes_no.get(answers.get("startup_wish")),
    )
    person = case.person
    changed = []
    for name in PERSON_SURVEY_FIELDS:
        if name in answers:
            value = answers[name] or (None if name.endswith("_on") else "")
            if str(getattr(person, name) or "") != str(value or ""):
                setattr(person, name, value)
                changed.append(name)
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
    SurveyDraft.objects.filter(case=case).delete()
    latest = case.surveys.order_by("-surveyed_on", "-pk").values_list("pk", flat=True).first()
    Case.objects.filter(pk=case.pk).update(latest_survey=latest)
    case.latest_survey_id = latest
    if case.stage == Stage.IDENTIFIED:
        _transition(case, "survey", actor, on=surveyed_on)
    return survey


def _as_date(value) -> datetime.date | None:
    """A date from a survey's answers, kept as ISO text in its JSON snapshot."""
    if isinstance(value, str):
        return datetime.date.fromisoformat(value) if value else None
    return value


def employment_from_answers(answers: dict, surveyed_on) -> dict:
    """The employment details a survey that found the laborer working gives."""
    employer = (answers.get("employer_post") or answers.get("startup_project")
                or answers.get("flexible_post") or "")  # fmt: skip
    return {
        "on": surveyed_on,  # the day the work was found to be there
        "started_on": _as_date(answers.get("work_started_on")) or surveyed_on,
        "employer": employer[:100],
        "post": "",
        "location_class": answers.get("location_class", ""),
        "form": answers.get("employment_form") or "other",
    }


def survey_draft_save(*, case: Case, actor: User, data: dict) -> SurveyDraft:
    """Keep what the surveyor has typed so far, the phone masked.

    A draft never holds a full number. The stored number comes back from its mask; a new number
    typed but not yet submitted is kept masked, so the reopened form shows that it changed and
    asks for it to be typed again: that number is all a draft can lose.
    """
    access.require(access.may_work_case(actor, case))
    if "phone" in data:
        phone = data["phone"]
        data = {**data, "phone": phone_at_rest(phone if isinstance(phone, str) else "")}
    draft, _created = SurveyDraft.objects.update_or_create(
        case=case, author=actor, defaults={"data": data}
    )
    return draft


POLICY_OUTREACH = "policy"  # help measure recorded as an Outreach row of its own


def case_assisted(*, case: Case, actor: User, on) -> None:
    """Help was given on that day: a surveyed case not in work becomes assisted."""
    if case.stage not in (Stage.SURVEYED, Stage.ASSISTED):
        raise ServiceError(_("Help is recorded for surveyed cases that are not in work."))
    if case.stage == Stage.SURVEYED:
        _transition(case, "assist", actor, on=on)


@transaction.atomic
def assistance_record(*, case: Case, actor: User, measure: str, on, note=""):
    """Record help given by measure code (policy outreach as an Outreach row, the others as
    Assistance rows), dated and placed; the first help moves a surveyed case to assisted."""
    access.require(access.may_work_case(actor, case))
    records.record_date_check(case, on)
    case_assisted(case=case, actor=actor, on=on)
    place = records.located(case, on)
    if measure == POLICY_OUTREACH:
        return Outreach.objects.create(case=case, on=on, note=note[:200], recorded_by=actor,
                                       **place)  # fmt: skip
    if measure not in AssistanceMeasure.values:
        raise ServiceError(_("Choose the help given."))
    return Assistance.objects.create(
        case=case, measure=measure, on=on, note=note[:200], recorded_by=actor, **place
    )


@transaction.atomic
def assistance_record_for_task(*, case_task: CaseTask, actor: User, **record):
    """Record help from the open assistance task without completing it."""
    with locked(case_task.task) as activation:
        _hold(activation, case_task, actor)
        return assistance_record(case=Case.objects.get(pk=case_task.case_id), actor=actor, **record)


def employment_record(*, case: Case, actor: User, on=None, **details) -> Employment:
    """Record where the laborer works; the case becomes employed.

    The work may have started before the case was identified (a laborer already working when
    surveyed); the case becomes employed on the day the work was recorded as found (`on`: a
    placement's or survey's date), at the earliest on its start date and never before the
    case's previous stage change.
    """
    started_on = details["started_on"]
    records.record_date_check(case, started_on, before_identified=True)
    employment = Employment.objects.create(
        case=case, recorded_by=actor, **details, **records.located(case, started_on)
    )
    if case.stage != Stage.EMPLOYED:
        moved_on = max(filter(None, [on or started_on, started_on, _last_change_on(case)]))
        _transition(case, "place", actor, on=moved_on)
    return employment


def follow_up_record(*, case: Case, actor: User, status: str, followed_up_on, **details):
    """Record a follow-up; a lost job sends the case back to assistance and ends the job.

    The work address and wage band it gives are kept on the current employment too.
    """
    records.record_date_check(case, followed_up_on)
    follow_up = FollowUp.objects.create(
        case=case, recorded_by=actor, status=status, followed_up_on=followed_up_on, **details,
        **records.located(case, followed_up_on),
    )  # fmt: skip
    current = case.employments.filter(ended_on__isnull=True).order_by("-started_on", "-pk").first()
    if current is not None:
        if status == FollowUpStatus.LOST_JOB:
            current.ended_on = followed_up_on
        current.place = details.get("work_address") or current.place
        current.wage_band = details.get("wage_band") or current.wage_band
        current.save(update_fields=["ended_on", "place", "wage_band"])
    if status == FollowUpStatus.LOST_JOB:
        _transition(case, "lose_job", actor, on=followed_up_on)
    else:
        _transition(case, "follow_up", actor, on=followed_up_on)
    return follow_up


# --- closing ---------------------------------------------------------------------------------


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
    *, case: Case, actor: User, reason: str, note: str = "", keep: Task | None = None
):
    """Close a case now: its open tasks are cancelled and its processes finished."""
    _cancel_open_tasks(case, actor, keep=keep)
    _finish_case_processes(case)
    return registry.case_close(case=case, reason=reason, actor=actor, note=note)


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


# --- transfer --------------------------------------------------------------------------------


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
            region=region, township=township, county_id=to_county_id, owner=None
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


# --- re-survey ------------------------------------------------------------------------------


@transaction.atomic
def resurvey_start(*, case: Case, actor: User | None):
    """Start a re-survey of an open, already surveyed case (actor None: the system)."""
    if actor is not None:
        access.require(access.may_work_case(actor, case))
    case = _case_locked(case)
    if case.stage in (Stage.IDENTIFIED, Stage.CLOSED):
        raise ServiceError(_("Only open cases that were surveyed once are re-surveyed."))
    if open_tasks(case, flow_class=flows.ResurveyFlow).exists():
        raise ServiceError(_("A re-survey of this case is already open."))
    process = flows.ResurveyFlow.start.run(case=case, actor=actor)
    _event(case, CaseEvent.Kind.RESURVEY_START, actor)
    return process


def _system_execute(task: Task, actor: User, perform) -> None:
    """Complete a case-process task because facts recorded elsewhere (a re-survey, a
    placement) settle it, whoever holds it."""
    with locked(task) as activation:
        activation.task.owner = actor
        activation.task.status = STATUS.ASSIGNED
        activation.start(None)
        perform(Case.objects.get(pk=task.case_task.case_id))
        activation.execute()
        _event(
            task.case_task.case, CaseEvent.Kind.COMPLETE, actor, task,
            task_kind=task.case_task.kind, settled=True,
        )  # fmt: skip


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
