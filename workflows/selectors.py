"""Reads of the workflows: the task lists, the case's open tasks and its timeline."""

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from viewflow.workflow.status import STATUS

from casework import access
from casework.models import CaseEvent, Region, StageChange, User

from . import tallies
from .deadlines import WorkCalendar
from .models import KIND_PERMISSION, CaseTask, TaskKind

OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
TASK_LIST_RELATED = (
    "task",
    "owner",
    "case__person",
    "case__owner",
    "county",
    "township",
    "region",
)


def tasks_visible_to(user: User) -> QuerySet[CaseTask]:
    """The case tasks of the user's regions whose case the user may see as well (the scope
    comes from casework.access): a finished task of a case transferred away is not seen any
    more; an open transfer acceptance belongs to the receiving county before the case does."""
    return CaseTask.objects.filter(_visible_q(user))


def open_tasks_visible_to(user: User) -> QuerySet[CaseTask]:
    """The open case tasks of the user's regions: the same rows as tasks_visible_to(user)
    with an open status, read without the case. An open task's place is its case's (a
    transfer and a roster move carry the open tasks with the case) or, for a transfer's
    acceptance, the receiving county's; so the task's own place answers, and the lists of
    open tasks are one index of this table."""
    scope = access.scope_of(user)
    if scope.empty:
        return CaseTask.objects.none()
    return CaseTask.objects.filter(scope.case_q(), status__in=OPEN)


def task_visible_or_404(user: User, pk, queryset: QuerySet[CaseTask] | None = None) -> CaseTask:
    """The case task if the user may see it; otherwise 404, exactly like a missing id."""
    queryset = queryset if queryset is not None else CaseTask.objects.all()
    try:
        return queryset.filter(_visible_q(user)).get(pk=pk)
    except (CaseTask.DoesNotExist, ValueError, TypeError):
        raise Http404("Nothing matches the given query.") from None


def _visible_q(user: User) -> Q:
    open_acceptance = Q(kind=TaskKind.TRANSFER_ACCEPTANCE,
                        status__in=[STATUS.NEW, STATUS.ASSIGNED])  # fmt: skip
    return access.scope_of(user).task_q(open_elsewhere=open_acceptance)


def with_list_joins(tasks: QuerySet[CaseTask]) -> QuerySet[CaseTask]:
    return tasks.select_related(*TASK_LIST_RELATED)


def inbox(user: User) -> QuerySet[CaseTask]:
    """The user's open tasks, soonest due first."""
    return with_list_joins(open_tasks_visible_to(user).filter(owner=user).order_by("due_on", "pk"))


def inbox_head(user: User, n: int = 5) -> list[CaseTask]:
    """The first n tasks of the inbox: their ids by the owner's index first, then those rows
    with the lists' joins (joining first, the planner sorted every open task of the owner)."""
    ids = list(inbox(user).values_list("pk", flat=True)[:n])
    rows = with_list_joins(CaseTask.objects.filter(pk__in=ids)).in_bulk()
    return [rows[pk] for pk in ids if pk in rows]


def queue(user: User) -> QuerySet[CaseTask]:
    """Unclaimed tasks of the user's regions that the user's role works on."""
    # the kinds of task the role works, as its group grants them (a supervisor's queue holds
    # approvals and transfers, not the county's surveys, which the supervisor may still do)
    permissions = [
        permission
        for permission, roles in access.TASK_ROLES.items()
        if user.role in roles and user.has_perm(permission)
    ]
    kinds = [kind for kind, permission in KIND_PERMISSION.items() if permission in permissions]
    return with_list_joins(
        open_tasks_visible_to(user)
        .filter(status=STATUS.NEW, owner__isnull=True, kind__in=kinds)
        .order_by("due_on", "pk")
    )


def archive(user: User) -> QuerySet[CaseTask]:
    return with_list_joins(
        tasks_visible_to(user).filter(owner=user, status=STATUS.DONE).order_by("-task__finished")
    )


def open_tasks(user: User) -> QuerySet[CaseTask]:
    """Open tasks of the user's regions, the longest overdue first (the lists' tables group
    them by county, township or caseworker when asked)."""
    return with_list_joins(open_tasks_visible_to(user).order_by("due_on", "pk"))


def overdue(user: User, today: datetime.date | None = None) -> QuerySet[CaseTask]:
    """Open tasks of the user's regions past their due date, the longest overdue first."""
    today = today or timezone.localdate()
    return with_list_joins(
        open_tasks_visible_to(user).filter(due_on__lt=today).order_by("due_on", "pk")
    )


def team(user: User, today: datetime.date | None = None) -> list[dict]:
    """Open and overdue task counts per caseworker of the user's regions."""
    by_owner = open_and_overdue_by(user, "owner", today or timezone.localdate())
    # where each works, for the city's table of every county (one query, whatever the team):
    # a village's path reads its township, county and city
    places = Prefetch("regions", queryset=Region.objects.select_related("parent__parent__parent"))
    holders = User.objects.filter(pk__in=[k for k in by_owner if k]).prefetch_related(places)
    users = {u.pk: u for u in holders}
    caseworkers = access.staff_visible_to(user, role="caseworker").prefetch_related(places)
    rows = []
    for caseworker in caseworkers:
        row = by_owner.get(caseworker.pk, {})
        rows.append(
            {"user": caseworker, "open": row.get("open", 0), "overdue": row.get("overdue", 0)}
        )
        users.pop(caseworker.pk, None)
    for other in users.values():  # holders outside the region (e.g. a supervisor)
        row = by_owner[other.pk]
        rows.append({"user": other, "open": row["open"], "overdue": row["overdue"]})
    if None in by_owner:
        rows.append(
            {"user": None, "open": by_owner[None]["open"], "overdue": by_owner[None]["overdue"]}
        )
    return rows


# --- the home page's counts: one aggregate query each, whatever the number of tasks -------------


def week_ahead(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """ "Due this week": from today to six days ahead, both included."""
    return today, today + datetime.timedelta(days=6)


def my_task_counts(user: User, today: datetime.date) -> dict:
    """The user's open tasks: how many, how many overdue, how many due this week. Read from
    the summary (workflows.tallies); a scope holding villages is counted live."""
    start, end = week_ahead(today)
    if tallies.tasks_where(user) is None:
        return _my_task_counts_live(user, today)
    open_, overdue_, week = tallies.owner_counts(user, today, (start, end))
    return {"open": open_, "overdue": overdue_, "week": week}


def _my_task_counts_live(user: User, today: datetime.date) -> dict:
    start, end = week_ahead(today)
    return (
        open_tasks_visible_to(user)
        .filter(owner=user)
        .aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            week=Count("pk", filter=Q(due_on__gte=start, due_on__lte=end)),
        )
    )


OVERDUE_NAMES = {
    "township": ["township__name", "township__code"],
    "owner": ["owner__username", "owner__first_name", "owner__last_name"],
    "county": ["county__name", "county__code"],
}


def overdue_counts(user: User, today: datetime.date, by: str) -> list[dict]:
    """Open overdue tasks of the user's regions counted per `by`: "township" (transfer
    acceptances have none), "owner" (None: unclaimed) or "county"; the largest first. Read from
    the summary (workflows.tallies); a scope holding villages is counted live."""
    names = OVERDUE_NAMES[by]
    if tallies.tasks_where(user) is None:
        return _overdue_counts_live(user, today, by)
    rows = [
        {by: key or None, "n": n, **dict(zip(names, named, strict=True))}
        for key, n, *named in tallies.overdue_named(user, today, by)
        if n
    ]
    # as the live query on PostgreSQL: the largest first, then by name, a missing name last
    return sorted(
        rows, key=lambda row: (-row["n"], *((row[k] is None, row[k] or "") for k in names))
    )


def _overdue_counts_live(user: User, today: datetime.date, by: str) -> list[dict]:
    names = OVERDUE_NAMES[by]
    return list(
        open_tasks_visible_to(user)
        .filter(due_on__lt=today)
        .values(by, *names)
        .annotate(n=Count("pk"))
        .order_by("-n", *names)
    )


def unclaimed_count(user: User) -> int:
    """Open tasks of the user's regions that nobody holds, of every kind. Read from the
    summary (workflows.tallies); a scope holding villages is counted live."""
    if tallies.tasks_where(user) is None:
        return open_tasks_visible_to(user).filter(owner__isnull=True).count()
    rows = tallies.task_sums(user, timezone.localdate(), by="owner_id", extra=" AND owner_id = 0")
    return sum(row[1] for row in rows)


def task_counts_by_county(user: User, today: datetime.date) -> dict[int, dict]:
    """Per county of the user's regions: open tasks and how many of them are overdue."""
    return open_and_overdue_by(user, "county", today)


def open_and_overdue_by(user: User, field: str, today: datetime.date) -> dict:
    """Open and overdue counts of the user's tasks grouped by `field` ("county", "township" or
    "owner"; None: none), in one query. Read from the summary (workflows.tallies); a scope
    holding villages is counted live."""
    if tallies.tasks_where(user) is None:
        rows = (
            open_tasks_visible_to(user)
            .values(field)
            .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
            .order_by()
        )
        return {row[field]: row for row in rows}
    return {
        key or None: {field: key or None, "open": n, "overdue": overdue}
        for key, n, overdue in tallies.task_sums(user, today, by=f"{field}_id")
        if n
    }


def open_at(cutoff: datetime.datetime) -> Q:
    """Tasks open at `cutoff`: created by then and not finished by then (as the lists showed
    them that moment; a cancelled task has its finish time)."""
    not_finished = Q(task__finished__gt=cutoff) | Q(
        task__finished__isnull=True, task__status__in=OPEN
    )
    return Q(task__created__lte=cutoff) & not_finished


def due_state(due_on: datetime.date, today: datetime.date, calendar: WorkCalendar) -> str:
    """overdue (red), soon: due within 3 working days (amber), or ok."""
    if due_on < today:
        return "overdue"
    if calendar.working_days_between(today, due_on) <= 3:
        return "soon"
    return "ok"


def case_open_tasks(case) -> QuerySet[CaseTask]:
    return CaseTask.objects.filter(case=case, task__status__in=OPEN).select_related(
        "task", "task__owner"
    )


def case_timeline(case) -> list[dict]:
    """Stage changes and task events of a case, oldest first."""
    entries = [
        {"at": change.at, "actor": change.actor, "stage_change": change, "event": None}
        for change in StageChange.objects.filter(case=case).select_related("actor")
    ]
    entries += [
        {"at": event.at, "actor": event.actor, "stage_change": None, "event": event}
        for event in CaseEvent.objects.filter(case=case).select_related("actor")
    ]
    return sorted(entries, key=lambda entry: entry["at"])
