"""Who works on a task and how it is done: claiming, releasing, handing over, reassigning,
executing under the flow lock; every step leaves a case event."""

from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework import access
from casework.history import case_event_record, person_name
from casework.models import (
    Case,
    CaseEvent,
    Region,
    User,
)
from casework.services import ServiceError

from ..models import WORK, CaseTask

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
    app_label, codename = (case_task.task.owner_permission or WORK).split(".")
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


def open_tasks(case: Case, *, flow_class=None, kinds: Iterable[str] | None = None):
    tasks = Task.objects.filter(
        case_task__case=case, status__in=OPEN + (STATUS.SCHEDULED,)
    ).select_related("process", "case_task")
    if flow_class is not None:
        tasks = tasks.filter(process__flow_class=flow_class)
    if kinds is not None:
        tasks = tasks.filter(case_task__kind__in=list(kinds))
    return tasks


def _take_responsibility(case_task: CaseTask, user: User | None, actor: User | None) -> None:
    """Case-process work makes its assignee the case's responsible caseworker."""
    case = case_task.case
    if case_task.task.owner_permission != WORK or case.owner_id == (user and user.pk):
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


# why a task was not moved, as a code kept with the outcome and worded when shown
REFUSALS = {
    "county": gettext_noop("Not a task of your county."),
    "region": gettext_noop("%(user)s does not work in this case's region."),
    "role": gettext_noop("%(user)s's role does not do this kind of task."),
    "holds": gettext_noop("%(user)s already holds this task."),
    "closed": gettext_noop("This task is no longer open."),
    "busy": BUSY_MESSAGE,
}


def refusal_text(reason: str, to_user: User | None) -> str:
    """A refusal code of tasks_reassign worded in the current language."""
    return _(REFUSALS[reason]) % {"user": display_name(to_user)}


class _Refused(Exception):
    def __init__(self, reason):
        self.reason = reason


def target_refusal(case_task: CaseTask, to_user: User) -> str:
    """Why `to_user` may not take the task (a code of REFUSALS: "region", "role"), or ""."""
    if not access.covers_task(to_user, case_task):
        return "region"
    if not access.may_claim(to_user, case_task):
        return "role"
    return ""


def tasks_reassign(*, case_tasks: Iterable[CaseTask], actor: User, to_user: User) -> list[dict]:
    """A supervisor moves open tasks to another caseworker of the county; returns the receipt.

    Each task is moved in its own transaction under its own lock, so one busy case does not
    hold up a caseload; a task that could not be moved is listed with the reason (a code of
    REFUSALS in "reason", its wording in "error").
    """
    receipt = []
    for case_task in case_tasks:
        row = {"case_task": case_task, "from": case_task.task.owner, "to": to_user,
               "error": "", "reason": ""}  # fmt: skip
        try:
            if not access.may_reassign(actor, case_task):
                raise _Refused("county")
            if reason := target_refusal(case_task, to_user):
                raise _Refused(reason)
            with transaction.atomic(), locked(case_task.task) as activation:
                if activation.task.status not in (STATUS.NEW, STATUS.ASSIGNED):
                    raise _Refused("closed")
                if activation.task.owner_id == to_user.pk:
                    raise _Refused("holds")
                row["from"] = _assign_locked(
                    activation, case_task, to_user, actor, CaseEvent.Kind.REASSIGN
                )
        except _Refused as refusal:
            row["reason"] = refusal.reason
        except ServiceError:  # the case's lock is held by someone saving it
            row["reason"] = "busy"
        if row["reason"]:
            row["error"] = refusal_text(row["reason"], to_user)
        receipt.append(row)
    return receipt


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
