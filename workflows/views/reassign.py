"""Reassignment by a supervisor: choose tasks, confirm a whole caseload, see the outcome on a
page and download its receipt.

The outcome of a reassignment is kept in the supervisor's session (task ids, the previous
holders and refusal codes, no personal data) under a random key, so the result page and the
receipt are the supervisor's own and are worded in the language of whoever reads them.
"""

import datetime
import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View

from casework import access, exports
from casework.errors import posted_id, posted_ids
from casework.models import Region, User

from .. import selectors, services

PER_PAGE = 50
KEPT_OUTCOMES = 10  # the last reassignments of a session stay retrievable
SESSION_KEY = "reassignments"
RESULT_MOVED_SHOWN = 100  # the rest are in the receipt


def targets_for(user: User, *, township: Region | None = None, exclude=None):
    """Who may take tasks over: staff of a worker role in the supervisor's regions, and, for
    a township, only those whose regions cover it (each task is checked again when moved)."""
    staff = (
        access.staff_visible_to(user)
        .filter(groups__name__in=access.WORKERS)
        .prefetch_related("regions", "groups")
    )
    if exclude is not None:
        staff = staff.exclude(pk=exclude)
    staff = list(staff)
    if township is not None:
        staff = [
            person for person in staff
            if any(_covers(region, township) for region in person.regions.all())
        ]  # fmt: skip
    return staff


def _covers(region: Region, township: Region) -> bool:
    if region.level == Region.Level.CITY:
        return True
    if region.level == Region.Level.COUNTY:
        return region.pk == township.county_id
    return region.pk == township.pk


def target_label(person: User) -> str:
    name = services.display_name(person)
    places = pgettext("list separator", ", ").join(region.name for region in person.regions.all())
    return _("%(name)s (%(places)s)") % {"name": name, "places": places} if places else name


class ReassignView(View):
    """A supervisor moves a selection of tasks, or a whole caseload, to another caseworker."""

    template_name = "workflows/reassign.html"

    def dispatch(self, request, *args, **kwargs):
        access.require(access.may_reassign_tasks(request.user))
        return super().dispatch(request, *args, **kwargs)

    def filters(self, data) -> dict:
        holder = data.get("holder", "")
        holder = holder if holder.isdigit() or holder == "queue" else ""
        township = data.get("township", "")
        township = (
            access.regions_visible_to(self.request.user)
            .filter(level=Region.Level.TOWNSHIP, pk=township)
            .first()
            if township.isdigit()
            else None
        )
        return {"holder": holder, "township": township}

    def get_tasks(self, holder, township):
        tasks = selectors.with_list_joins(
            selectors.tasks_visible_to(self.request.user).filter(task__status__in=selectors.OPEN)
        ).order_by("due_on", "pk")
        if holder.isdigit():
            tasks = tasks.filter(task__owner_id=int(holder))
        elif holder == "queue":
            tasks = tasks.filter(task__owner__isnull=True)
        if township is not None:
            tasks = tasks.filter(township=township)
        return tasks

    def context(self, filters) -> dict:
        user = self.request.user
        holder, township = filters["holder"], filters["township"]
        targets = targets_for(
            user, township=township, exclude=int(holder) if holder.isdigit() else None
        )
        return {
            "holders": access.staff_visible_to(user).filter(groups__name__in=access.WORKERS),
            "townships": access.regions_visible_to(user)
            .filter(level=Region.Level.TOWNSHIP)
            .order_by("code"),
            "targets": [(person.pk, target_label(person)) for person in targets],
            "holder": holder,
            "township": township,
            "query": self.context_query(filters),
        }

    @staticmethod
    def context_query(filters) -> str:
        township = filters["township"]
        return urlencode({"holder": filters["holder"], "township": township.pk if township else ""})

    def get(self, request):
        filters = self.filters(request.GET)
        page = Paginator(self.get_tasks(**filters), PER_PAGE).get_page(request.GET.get("page"))
        context = self.context(filters) | {"page": page, "total": page.paginator.count}
        return render(request, self.template_name, context)

    def post(self, request):
        filters = self.filters(request.POST)
        back = f"{reverse('workflows:reassign')}?{self.context_query(filters)}"
        eligible = {person.pk: person for person in targets_for(request.user)}
        to_user = eligible.get(posted_id(request.POST, "to_user"))
        if to_user is None:
            messages.error(request, _("Choose the caseworker who takes the tasks over."))
            return redirect(back)
        tasks = self.get_tasks(**filters)
        if request.POST.get("scope") != "all":
            chosen = set(posted_ids(request.POST, "task"))
            # a task outside the supervisor's regions is not found, and nothing moves
            visible = selectors.tasks_visible_to(request.user).filter(pk__in=chosen)
            if visible.count() != len(chosen):
                raise Http404
            tasks = tasks.filter(pk__in=chosen)
        tasks = list(tasks)
        if not tasks:
            messages.error(request, _("No task was chosen."))
            return redirect(back)
        emptied = self.caseloads_emptied(tasks)
        if (request.POST.get("scope") == "all" or emptied) and not request.POST.get("confirmed"):
            # told before, not after: the tasks the chosen caseworker may not take stay put
            unmovable = sum(1 for task in tasks if services.target_refusal(task, to_user))
            return render(request, "workflows/reassign_confirm.html", self.context(filters) | {
                "tasks": tasks, "to_user": to_user, "emptied": emptied, "back": back,
                "unmovable": unmovable,
            })  # fmt: skip
        receipt = services.tasks_reassign(case_tasks=tasks, actor=request.user, to_user=to_user)
        key = outcome_keep(request, receipt, to_user=to_user)
        return redirect("workflows:reassign_result", key=key)

    def caseloads_emptied(self, tasks) -> list[tuple[User, int]]:
        """The caseworkers whose every open task is among these (two or more): moving them
        all moves a whole caseload, which is confirmed first."""
        chosen: dict[int, int] = {}
        holders = {}
        for case_task in tasks:
            owner = case_task.task.owner
            if owner is not None:
                chosen[owner.pk] = chosen.get(owner.pk, 0) + 1
                holders[owner.pk] = owner
        if not chosen:
            return []
        held = (
            selectors.tasks_visible_to(self.request.user)
            .filter(task__status__in=selectors.OPEN, task__owner__in=list(chosen))
            .values_list("task__owner")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return [(holders[owner], n) for owner, n in held if n >= 2 and chosen.get(owner) == n]


def outcome_keep(request, receipt, *, to_user) -> str:
    """Keep a reassignment's outcome in the session; returns its key."""
    key = uuid.uuid4().hex
    outcomes = dict(request.session.get(SESSION_KEY, {}))
    outcomes[key] = {
        "actor": request.user.pk,
        "at": timezone.now().isoformat(),
        "to": to_user.pk,
        "rows": [
            [row["case_task"].pk, row["from"].pk if row["from"] else None, row["reason"]]
            for row in receipt
        ],
    }
    while len(outcomes) > KEPT_OUTCOMES:
        oldest = min(outcomes, key=lambda k: outcomes[k]["at"])
        del outcomes[oldest]
    request.session[SESSION_KEY] = outcomes
    return key


def outcome_of(request, key) -> dict:
    """A kept outcome of this user's reassignments, its tasks read again; 404 otherwise."""
    access.require(access.may_reassign_tasks(request.user))
    outcome = request.session.get(SESSION_KEY, {}).get(key)
    if outcome is None or outcome["actor"] != request.user.pk:
        raise Http404("Nothing matches the given query.")
    ids = [task_pk for task_pk, _holder, _reason in outcome["rows"]]
    tasks = selectors.with_list_joins(
        selectors.tasks_visible_to(request.user).filter(pk__in=ids)
    ).in_bulk()
    people = User.objects.filter(
        pk__in=[outcome["to"], *(holder for _t, holder, _r in outcome["rows"] if holder)]
    ).in_bulk()
    to_user = people.get(outcome["to"])
    rows = [
        {
            "case_task": tasks[task_pk],
            "from": people.get(holder),
            "to": to_user,
            "reason": reason,
            "error": services.refusal_text(reason, to_user) if reason else "",
        }
        for task_pk, holder, reason in outcome["rows"]
        if task_pk in tasks
    ]
    return {
        "key": key,
        "at": timezone.localtime(datetime.datetime.fromisoformat(outcome["at"])),
        "to_user": to_user,
        "moved": [row for row in rows if not row["reason"]],
        "refused": [row for row in rows if row["reason"]],
        "rows": rows,
    }


def reassign_result(request, key):
    """What a reassignment did: the tasks moved, those refused with the reason, the receipt."""
    outcome = outcome_of(request, key)
    return render(request, "workflows/reassign_result.html", outcome | {
        "moved_shown": outcome["moved"][:RESULT_MOVED_SHOWN],
        "moved_more": max(len(outcome["moved"]) - RESULT_MOVED_SHOWN, 0),
    })  # fmt: skip


def reassign_receipt(request, key):
    """The xlsx receipt of a reassignment (masked ID numbers), recorded as an export."""
    outcome = outcome_of(request, key)
    header = [_("task"), _("laborer"), _("ID number"), _("township"), _("due on"),
              _("from caseworker"), _("to caseworker"), _("result")]  # fmt: skip
    rows = []
    for row in outcome["rows"]:
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
    stamp = outcome["at"].strftime("%Y%m%d-%H%M")
    return exports.xlsx_response(
        [exports.Sheet(_("Reassigned"), header, rows)], filename=f"reassigned-{stamp}.xlsx",
        actor=request.user, kind="receipt", description=f"{len(rows)} tasks reassigned",
    )  # fmt: skip
