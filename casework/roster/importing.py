"""Importing a checked roster: every accepted row in one transaction, the new cases' processes
started, changed cases updated with their open tasks moved along."""

from pathlib import Path

from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows.models import CaseTask
from workflows.services import cases_start_bulk

from .. import access, history, services
from ..history import case_events_record, person_name
from ..idnumber import mask_phone
from ..models import (
    Case,
    CaseEvent,
    LeftListCandidate,
    Person,
    Region,
    RosterImport,
    Stage,
    StageChange,
    User,
)
from .reading import (
    PERSON_FIELDS,
    Accepted,
    Plan,
    Progress,
    conflicts_record,
    file_sha256,
    roster_plan,
)


def _place(row: Accepted, cache: dict) -> Region:
    """The row's village (or township), created if the registry does not have it."""
    key = (row.county.pk, row.township_name, row.village_name)
    if key not in cache:
        township, _created = services.region_ensure(parent=row.county, name=row.township_name)
        region = township
        if row.village_name:
            region, _created = services.region_ensure(parent=township, name=row.village_name)
        cache[key] = region
    return cache[key]


def roster_import(
    *,
    path: str | Path,
    actor: User | None,
    file_name: str | None = None,
    county: Region | None = None,
    complete: bool = False,
    source: str = "",
    record: RosterImport | None = None,
    progress=None,
) -> tuple[RosterImport, Plan]:
    """Import a roster file: every accepted row in one transaction, workflows started.

    A county supervisor's import (or one given a county) touches that county only.
    """
    report = Progress(progress)
    plan = roster_plan(path, county=county, complete=complete, progress=progress)
    sha = file_sha256(path)
    today = timezone.localdate()
    with transaction.atomic():
        if record is None:
            record = RosterImport.objects.create(
                actor=actor, source=source, file_name=file_name or Path(path).name, sha256=sha,
                county=county, complete=complete, status=RosterImport.Status.IMPORTING,
            )  # fmt: skip
        places: dict = {}
        new_cases = _create_cases(plan.new, places, actor, record.pk, today)
        report(0.75)
        _apply_changes(plan.changes, places, actor, record.pk)
        report(0.8)
        cases_start_bulk(cases=new_cases)
        report(0.95)
        LeftListCandidate.objects.bulk_create(
            [LeftListCandidate(roster_import=record, case_id=pk) for pk in plan.left_list]
        )
        plan.write_counts(record)
        conflicts_record(record=record, plan=plan)
        record.status = RosterImport.Status.DONE
        record.progress = 100
        record.finished_at = timezone.now()
        record.save()
        history.change_record(actor=actor, kind="roster_import", county=record.county_id,
                              target=record, data={
            "file_name": record.file_name, "new_cases": [case.pk for case in new_cases],
            "updated_cases": sorted({case.pk for _row, case, _diff in plan.changes}),
            "left_list_candidates": list(plan.left_list),
        })  # fmt: skip
    report(1.0)
    return record, plan


def _create_cases(rows: list[Accepted], places, actor, import_id: int, today) -> list[Case]:
    if not rows:
        return []
    people = Person.objects.bulk_create(
        [
            Person(id_number=row.id_number, sex=row.sex, birth_date=row.birth_date, **row.person)
            for row in rows
        ],
        batch_size=2000,
    )
    cases = []
    for row, person in zip(rows, people, strict=True):
        region = _place(row, places)
        township = region if region.level == Region.Level.TOWNSHIP else region.parent
        case = Case(person=person, region=region, township=township,
                    county_id=township.county_id, identified_on=today)  # fmt: skip
        case.sort_keys_fill()
        cases.append(case)
    cases = Case.objects.bulk_create(cases, batch_size=2000)
    now = timezone.now()
    StageChange.objects.bulk_create(
        [
            StageChange(
                case=case,
                to_stage=Stage.IDENTIFIED,
                transition="identify",
                actor=actor,
                at=now,
                on=today,
                county_id=case.county_id,
                township_id=case.township_id,
                data={"roster_import": import_id},
            )  # fmt: skip
            for case in cases
        ],
        batch_size=2000,
    )
    return cases


def _apply_changes(changes, places, actor, import_id: int) -> None:
    people, cases, events = [], [], []
    for row, case, diff in changes:
        person = case.person
        for name in PERSON_FIELDS:
            if name in diff:
                setattr(person, name, diff[name][1])
        people.append(person)
        if "region" in diff or "name" in diff:
            if "region" in diff:
                region = _place(row, places)
                case.region = region
                case.township = region if region.level == Region.Level.TOWNSHIP else region.parent
            case.sort_keys_fill()
            cases.append(case)
        events.append({
            "case": case, "kind": CaseEvent.Kind.ROSTER_UPDATE, "actor": actor,
            "data": {"roster_import": import_id, "changes": list(_describe(diff))},
        })  # fmt: skip
    Person.objects.bulk_update(people, PERSON_FIELDS, batch_size=2000)
    events += _move_with_cases([case for case in cases if case.region_id != case._loaded_region_id],
                               actor, import_id)  # fmt: skip
    Case.objects.bulk_update(
        cases, ["region", "township", "owner", "place_code", "person_name"], batch_size=2000
    )
    case_events_record(events)


def _move_with_cases(cases: list[Case], actor, import_id: int) -> list[dict]:
    """The open tasks of cases moved to another township or village follow them; a task (or a
    case) held by a caseworker who does not cover the new place goes back to the queue."""
    if not cases:
        return []
    by_place: dict[tuple[int, int], list[int]] = {}
    for case in cases:
        by_place.setdefault((case.township_id, case.region_id), []).append(case.pk)
    open_statuses = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED]
    for (township_id, region_id), pks in by_place.items():
        CaseTask.objects.filter(case_id__in=pks, task__status__in=open_statuses).exclude(
            township__isnull=True  # an open transfer acceptance belongs to the receiving county
        ).update(township_id=township_id, region_id=region_id)
    holders: dict[int, User] = {}
    released: dict[int, list[int]] = {}
    events = []
    held = CaseTask.objects.filter(
        case__in=cases, task__status=STATUS.ASSIGNED, township__isnull=False
    ).select_related("task__owner", "case")
    for case_task in held:
        owner = holders.setdefault(case_task.task.owner_id, case_task.task.owner)
        if not access.may_claim(owner, case_task):
            released.setdefault(owner.pk, []).append(case_task.task_id)
            events.append({
                "case": case_task.case, "kind": CaseEvent.Kind.RELEASE, "actor": actor,
                "task": case_task.task, "data": {
                    "roster_import": import_id, "user_id": owner.pk, "user": person_name(owner),
                },
            })  # fmt: skip
    for owner_id, task_ids in released.items():
        # as viewflow's unassign, for tasks nobody has changed meanwhile
        Task.objects.filter(pk__in=task_ids, owner_id=owner_id, status=STATUS.ASSIGNED).update(
            owner=None, status=STATUS.NEW
        )
        CaseTask.objects.filter(pk__in=task_ids, owner_id=owner_id, status=STATUS.ASSIGNED).update(
            owner=None, status=STATUS.NEW
        )  # their copies (an update sends no post_save)
    owners = User.objects.in_bulk({case.owner_id for case in cases} - {None} - set(holders))
    holders.update(owners)
    for case in cases:
        if case.owner_id is not None and not access.covers_case(holders[case.owner_id], case):
            case.owner = None
            events.append({
                "case": case, "kind": CaseEvent.Kind.OWNER, "actor": actor,
                "data": {"roster_import": import_id, "user_id": None, "user": None},
            })  # fmt: skip
    return events


def _describe(diff: dict):
    """The roster's changes to a laborer as history data (phones masked)."""
    for name, (old, new) in diff.items():
        if name == "phone":
            old, new = mask_phone(old), mask_phone(new)
        yield {"field": name, "from": old or "", "to": new or ""}
