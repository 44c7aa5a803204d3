"""The open tasks' summary kept by the writes (`TaskTally`, see casework.tallies), the periodic
fold of every summary (`tallies_folded`) and their rebuild (`tallies_rebuild`)."""

import datetime

from casework import access, jobs
from casework import tallies as case_tallies
from casework.models import Region, User
from casework.tallies import Tally, scope_where, tally_fold, tally_rebuild, tally_sum

from .models import OPEN_STATUSES

TASKS = Tally(
    summary="workflows_tasktally",
    deltas="workflows_tasktallydelta",
    source="workflows_casetask",
    key=(
        ("county_id", "{r}.county_id"),
        ("township_id", "COALESCE({r}.township_id, 0)"),
        ("owner_id", "COALESCE({r}.owner_id, 0)"),
        ("due_on", "{r}.due_on"),
    ),
    watched=("county_id", "township_id", "owner_id", "due_on", "status"),
    where="{r}.status IN (" + ", ".join(f"'{status}'" for status in OPEN_STATUSES) + ")",
)
# An open task lies where its case lies (transfers and roster moves carry the open tasks along),
# except an open transfer acceptance, which has no township and belongs to its county: so the
# task's own county and township answer `workflows.selectors.tasks_visible_to` for open tasks.
# The key has no village: a scope holding villages is counted live (workflows.selectors).
TASK_PLACES = {"county": "county_id", "township": "township_id"}


def tasks_where(user: User) -> tuple[str, list] | None:
    """The user's open tasks as SQL over the summary; None for a scope holding villages."""
    return scope_where(access.scope_of(user), TASK_PLACES)


def task_sums(user: User, today: datetime.date, *, by: str, extra: str = "",
              extra_params: tuple = ()) -> list[tuple]:  # fmt: skip
    """(by-column, open, overdue) rows of the user's open tasks, `extra` a further condition."""
    where, params = tasks_where(user)
    return tally_sum(
        TASKS, where + extra, params + list(extra_params),
        f"t.{by}, SUM(t.n), SUM(CASE WHEN t.due_on < %s THEN t.n ELSE 0 END)",
        group=f"t.{by}", select_params=(today,),
    )  # fmt: skip


def owner_counts(user: User, today: datetime.date, week: tuple) -> tuple[int, int, int]:
    """The user's own open tasks: how many, how many overdue, how many due within `week`."""
    where, params = tasks_where(user)
    rows = tally_sum(
        TASKS, where + " AND owner_id = %s", params + [user.pk],
        "SUM(t.n), SUM(CASE WHEN t.due_on < %s THEN t.n ELSE 0 END), "
        "SUM(CASE WHEN t.due_on >= %s AND t.due_on <= %s THEN t.n ELSE 0 END)",
        select_params=(today, *week),
    )  # fmt: skip
    return tuple(value or 0 for value in rows[0])


def overdue_named(user: User, today: datetime.date, by: str) -> list[tuple]:
    """(id, n, names…) rows of the user's overdue open tasks per township or owner or county,
    with the names `workflows.selectors.overdue_counts` shows."""
    column, table, names = {
        "township": ("township_id", Region._meta.db_table, ("name", "code")),
        "county": ("county_id", Region._meta.db_table, ("name", "code")),
        "owner": ("owner_id", User._meta.db_table, ("username", "first_name", "last_name")),
    }[by]
    where, params = tasks_where(user)
    named = ", ".join(f"x.{name}" for name in names)
    return tally_sum(
        TASKS, where + " AND due_on < %s", params + [today],
        f"t.{column}, SUM(t.n), {named}",
        group=f"t.{column}, {named}", join=f"LEFT JOIN {table} x ON x.id = t.{column}",
    )  # fmt: skip


@jobs.periodic("tallies_folded")
def tallies_fold(now: datetime.datetime) -> int:
    """Fold the pending deltas of both summaries into them (`now` is ignored); how many."""
    return sum(tally_fold(tally) for tally in (case_tallies.CASES, case_tallies.NEEDS, TASKS))


def tallies_rebuild() -> dict[str, int]:
    """Recount both summaries from the rows (after a bulk load that bypassed the triggers, or
    to repair them); the number of summary rows of each."""
    return {
        "cases": tally_rebuild(case_tallies.CASES),
        "needs": tally_rebuild(case_tallies.NEEDS),
        "tasks": tally_rebuild(TASKS),
    }
