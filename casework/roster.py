"""Import the poverty office's roster of registered poor laborers (xlsx or csv).

The file is read and checked row by row first (`roster_plan`); `roster_import` then writes every
accepted row in one transaction and starts the new cases' workflows. A file that cannot be read
raises UnreadableFile and writes nothing.
"""

import datetime
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows.models import CaseTask
from workflows.services import case_close_with_tasks, cases_start_bulk

from . import access, services
from .history import case_event_record, case_events_record, person_name
from .idnumber import IdNumberError, mask_phone, parse_id_number
from .models import (
    Case,
    CaseEvent,
    Confirmation,
    Education,
    Enrolment,
    Health,
    LeftListCandidate,
    Person,
    Region,
    RegistrationConflict,
    RosterImport,
    Stage,
    StageChange,
    SurveyDraft,
    User,
)
from .tabular import UnreadableFile, find_header, header_key, read_rows

COLUMNS = {
    "serial": {"序号", "编号"},
    "name": {"姓名", "name"},
    "id_number": {"身份证号", "身份证号码", "证件号码", "公民身份号码", "id number"},
    "county": {"县区", "县(区)", "县(市、区)", "县市区", "county"},
    "township": {"乡镇", "乡镇(街道)", "镇街", "township"},
    "village": {"村", "村(社区)", "村居", "行政村", "village"},
    "phone": {"联系电话", "手机号码", "手机号", "电话", "phone"},
    "household_no": {"户编号", "户号", "household number"},
    "sex": {"性别", "sex"},
    "ethnicity": {"民族", "ethnicity"},
    "education": {"文化程度", "education"},
    "health": {"健康状况", "health"},
    "work_status": {"务工状况", "work status"},
}
REQUIRED = {"name", "id_number", "county", "township"}
# person fields a roster row may update, in the order they are reported
PERSON_FIELDS = ["name", "ethnicity", "phone", "education", "health", "household_no", "work_status"]
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
SEXES = {
    "男": "M",
    "男性": "M",
    "m": "M",
    "male": "M",
    "女": "F",
    "女性": "F",
    "f": "F",
    "female": "F",
}


def _choice_lookup(choices) -> dict[str, str]:
    """Chinese and English labels (and codes) of a choice list → code."""
    lookup = {}
    for code, label in choices:
        lookup[code] = code
        with translation.override("zh-hans"):
            lookup[str(label)] = code
        with translation.override("en"):
            lookup[str(label).lower()] = code
    return lookup


@dataclass
class Rejected:
    row: int
    codes: list[str]
    reasons: list[str]


@dataclass
class Warning:
    row: int
    message: str


REGISTERED_ELSEWHERE = "registered_elsewhere"
REGISTERED_ELSEWHERE_REASON = gettext_lazy(
    "This number is registered in another region; ask the city to transfer the case."
)


@dataclass
class Accepted:
    row: int
    id_number: str
    sex: str
    birth_date: datetime.date
    county: Region
    township_name: str
    village_name: str
    person: dict  # name and the optional person fields present in the file


@dataclass
class Plan:
    """What a roster file would do: checked rows, and what exists already."""

    rows: int = 0
    accepted: list[Accepted] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    ids_in_file: set[str] = field(default_factory=set)
    new: list[Accepted] = field(default_factory=list)
    changes: list[tuple[Accepted, Case, dict]] = field(default_factory=list)
    unchanged: int = 0
    left_list: list[int] = field(default_factory=list)
    new_regions: list[str] = field(default_factory=list)
    # (row, case id) of numbers registered outside the importer's county
    conflicts: list[tuple[int, int]] = field(default_factory=list)

    def summary(self) -> dict:
        return {
            "created": len(self.new),
            "updated": len(self.changes),
            "unchanged": self.unchanged,
            "rejected": [r.__dict__ for r in self.rejected],
            "warnings": [w.__dict__ for w in self.warnings],
            "left_list": len(self.left_list),
        }

    def write_counts(self, record: RosterImport) -> None:
        """Put the counts and the row report on an import record (not saved)."""
        summary = self.summary()
        record.rows = self.rows
        record.created, record.updated = summary["created"], summary["updated"]
        record.unchanged, record.rejected = self.unchanged, len(self.rejected)
        record.left_list = len(self.left_list)
        record.report = {"rejected": summary["rejected"], "warnings": summary["warnings"]}


class Progress:
    """Reports a fraction done (0–1) at most every few hundred rows."""

    def __init__(self, callback: Callable[[float], None] | None):
        self.callback = callback

    def __call__(self, fraction: float):
        if self.callback:
            self.callback(min(max(fraction, 0.0), 1.0))


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_roster(path: str | Path) -> tuple[list[tuple[int, dict]], list[str]]:
    """The data rows as {field: text}, and the unknown column names; or UnreadableFile."""
    rows = read_rows(path)
    if not rows:
        raise UnreadableFile(_("The file is empty."))
    header = find_header(rows, COLUMNS, REQUIRED)
    if header is None:
        raise UnreadableFile(
            _("No header row naming the columns 姓名, 身份证号, 县区 and 乡镇 was found.")
        )
    start, columns = header
    known = set(columns.values())
    header_cells = rows[start][1]
    unknown = [cell for i, cell in enumerate(header_cells) if cell and i not in known]
    records = []
    for number, cells in rows[start + 1 :]:
        values = {
            name: cells[index].strip() if index < len(cells) else ""
            for name, index in columns.items()
        }
        if any(values.values()):
            records.append((number, values))
    return records, unknown


def roster_plan(
    path: str | Path, *, county: Region | None = None, complete: bool = False, progress=None
) -> Plan:
    """Read and check a roster file; nothing is written."""
    progress = Progress(progress)
    records, unknown = read_roster(path)
    progress(0.2)
    plan = Plan(rows=len(records))
    if unknown:
        plan.warnings.append(
            Warning(0, _("Columns ignored: %(columns)s") % {"columns": "、".join(unknown)})
        )
    counties = {}
    for region in Region.objects.filter(level=Region.Level.COUNTY):
        counties[region.code] = counties[header_key(region.name)] = region
    educations, healths = _choice_lookup(Education.choices), _choice_lookup(Health.choices)
    seen: set[str] = set()
    for index, (number, values) in enumerate(records):
        if index % 2000 == 0:
            progress(0.2 + 0.3 * index / max(len(records), 1))
        accepted = _check_row(number, values, plan, counties, county, seen, educations, healths)
        if accepted is not None:
            seen.add(accepted.id_number)
            plan.accepted.append(accepted)
    _compare_with_registry(plan, progress, county)
    plan.rejected.sort(key=lambda rejected: rejected.row)
    _note_new_regions(plan)
    if complete and county is not None:
        # not again while pending, nor when this very file's candidate was dismissed
        decided = LeftListCandidate.objects.filter(
            Q(status=LeftListCandidate.Status.PENDING)
            | Q(status=LeftListCandidate.Status.DISMISSED, roster_import__sha256=file_sha256(path))
        ).values("case_id")
        plan.left_list = list(
            Case.objects.filter(county=county, merged_into__isnull=True)
            .exclude(stage=Stage.CLOSED)
            .exclude(person__id_number__in=plan.ids_in_file)
            .exclude(pk__in=decided)
            .values_list("pk", flat=True)
        )
    progress(0.6)
    return plan


def _check_row(number, values, plan, counties, scope_county, seen, educations, healths):
    codes, reasons = [], []

    def reject(code, reason):
        codes.append(code)
        reasons.append(str(reason))

    if not values.get("name"):
        reject("name_missing", _("The name is missing."))
    identity = None
    try:
        identity = parse_id_number(values.get("id_number"))
    except IdNumberError as error:
        reject(error.code, error.message)
    else:
        plan.ids_in_file.add(identity.number)
        sex = SEXES.get(values.get("sex", "").lower())
        if values.get("sex") and sex and sex != identity.sex:
            reject("sex_mismatch", _("The sex column disagrees with the ID number."))
        if identity.number in seen:
            reject("duplicate_in_file", _("This ID number is already on an earlier row."))
    county = counties.get(values.get("county")) or counties.get(header_key(values.get("county")))
    if county is None:
        reject(
            "unknown_county",
            _("Unknown county: %(county)s") % {"county": values.get("county") or "—"},
        )
    elif scope_county is not None and county.pk != scope_county.pk:
        reject(
            "out_of_scope",
            _("The row belongs to %(county)s, not to %(scope)s.")
            % {"county": county.name, "scope": scope_county.name},
        )
    if not values.get("township"):
        reject("township_missing", _("The township is missing."))
    if codes:
        plan.rejected.append(Rejected(number, codes, reasons))
        return None
    person = {"name": values["name"]}
    for name in ("ethnicity", "household_no", "work_status"):
        if values.get(name):
            person[name] = values[name]
    if values.get("phone"):
        phone = values["phone"].replace(" ", "")
        if PHONE.match(phone):
            person["phone"] = phone
        else:
            plan.warnings.append(
                Warning(number, _("Malformed phone number ignored: %(phone)s") % {"phone": phone})
            )
    for name, lookup in (("education", educations), ("health", healths)):
        text = values.get(name)
        if text:
            code = lookup.get(text) or lookup.get(text.lower())
            if code:
                person[name] = code
            else:
                plan.warnings.append(Warning(number, _("Unknown %(column)s ignored: %(value)s")
                                             % {"column": name, "value": text}))  # fmt: skip
    return Accepted(
        row=number,
        id_number=identity.number,
        sex=identity.sex,
        birth_date=identity.birth_date,
        county=county,
        township_name=values["township"],
        village_name=values.get("village", ""),
        person=person,
    )


def _compare_with_registry(plan: Plan, progress: Progress, scope_county: Region | None) -> None:
    """Split accepted rows into new cases, changed cases and unchanged ones.

    A county's import is compared with that county's cases only: a number registered in
    another county is refused with one neutral reason that names no county and links no case.
    """
    accepted = plan.accepted
    in_scope = []
    for start in range(0, len(accepted), 2000):
        chunk = accepted[start : start + 2000]
        existing = {
            person.id_number: person
            for person in Person.objects.filter(
                id_number__in=[a.id_number for a in chunk]
            ).select_related("case__region__parent", "case__township", "case__county")
        }
        for row in chunk:
            person = existing.get(row.id_number)
            if person is None:
                in_scope.append(row)
                plan.new.append(row)
                continue
            case = person.case
            if scope_county is not None and case.county_id != scope_county.pk:
                plan.rejected.append(
                    Rejected(row.row, [REGISTERED_ELSEWHERE], [str(REGISTERED_ELSEWHERE_REASON)])
                )
                plan.conflicts.append((row.row, case.pk))
                continue
            in_scope.append(row)
            changes = {
                name: (getattr(person, name), value)
                for name, value in row.person.items()
                if getattr(person, name) != value
            }
            where = _region_names(case)
            wanted = (row.township_name, row.village_name or None)
            if case.county_id == row.county.pk and where != wanted:
                changes["region"] = ("/".join(filter(None, where)), "/".join(filter(None, wanted)))
            elif case.county_id != row.county.pk:
                plan.warnings.append(Warning(row.row, _(
                    "The laborer's case is in %(county)s; transfer it to move it."
                ) % {"county": case.county.name}))  # fmt: skip
            if changes:
                plan.changes.append((row, case, changes))
            else:
                plan.unchanged += 1
        progress(0.5 + 0.1 * (start + len(chunk)) / max(len(accepted), 1))
    plan.accepted = in_scope


def conflicts_record(*, record: RosterImport, plan: Plan) -> None:
    """Keep the rows naming laborers of other counties, for the city to arrange transfers."""
    if record.county_id is None:
        return
    RegistrationConflict.objects.bulk_create(
        [
            RegistrationConflict(
                roster_import=record, row=row, case_id=case_id, county_id=record.county_id
            )  # fmt: skip
            for row, case_id in plan.conflicts
        ],
        ignore_conflicts=True,
    )


def _region_names(case: Case) -> tuple[str, str | None]:
    if case.region.level == Region.Level.VILLAGE:
        return case.region.parent.name, case.region.name
    return case.region.name, None


def _note_new_regions(plan: Plan) -> None:
    """Warn of townships and villages the file names that the registry does not have yet."""
    wanted = {(row.county, row.township_name, row.village_name)
              for row in plan.new + [change[0] for change in plan.changes]}  # fmt: skip
    townships = {
        (region.county_id, region.name): region
        for region in Region.objects.filter(level=Region.Level.TOWNSHIP)
    }
    villages = set(
        Region.objects.filter(level=Region.Level.VILLAGE).values_list("parent_id", "name")
    )
    rows_by_place = {}
    for row in plan.new + [change[0] for change in plan.changes]:
        rows_by_place.setdefault((row.county.pk, row.township_name, row.village_name), row.row)
    reported = set()
    for county, township_name, village_name in sorted(
        wanted, key=lambda w: (w[0].code, w[1], w[2])
    ):
        township = townships.get((county.pk, township_name))
        row = rows_by_place[(county.pk, township_name, village_name)]
        if township is None and (county.pk, township_name) not in reported:
            reported.add((county.pk, township_name))
            plan.new_regions.append(f"{county.name}/{township_name}")
            plan.warnings.append(Warning(row, _("New township created: %(path)s")
                                         % {"path": f"{county.name}/{township_name}"}))  # fmt: skip
        if village_name and (township is None or (township.pk, village_name) not in villages):
            path = f"{county.name}/{township_name}/{village_name}"
            if path not in reported:
                reported.add(path)
                plan.new_regions.append(path)
                plan.warnings.append(
                    Warning(row, _("New village created: %(path)s") % {"path": path})
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
        label = _("roster import #%(id)s") % {"id": record.pk}
        places: dict = {}
        new_cases = _create_cases(plan.new, places, actor, label, today)
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
    report(1.0)
    return record, plan


def _create_cases(rows: list[Accepted], places, actor, label, today) -> list[Case]:
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
        cases.append(Case(person=person, region=region, township=township,
                          county_id=township.county_id, identified_on=today))  # fmt: skip
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
                source=label,
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
        if "region" in diff:
            region = _place(row, places)
            case.region = region
            case.township = region if region.level == Region.Level.TOWNSHIP else region.parent
            cases.append(case)
        events.append({
            "case": case, "kind": CaseEvent.Kind.ROSTER_UPDATE, "actor": actor,
            "data": {"roster_import": import_id, "changes": list(_describe(diff))},
        })  # fmt: skip
    Person.objects.bulk_update(people, PERSON_FIELDS, batch_size=2000)
    events += _move_with_cases(cases, actor, import_id)
    Case.objects.bulk_update(cases, ["region", "township", "owner"], batch_size=2000)
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


# --- after the import: leaving the list, correcting ID numbers ---------------------------


@transaction.atomic
def left_list_decide(*, candidate: LeftListCandidate, actor: User, confirm: bool) -> None:
    """Confirm that a laborer left the list (the case closes) or dismiss the candidate."""
    candidate = LeftListCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != LeftListCandidate.Status.PENDING:
        raise services.ServiceError(_("This has already been decided."))
    today = timezone.localdate()
    candidate.status = (
        LeftListCandidate.Status.CONFIRMED if confirm else LeftListCandidate.Status.DISMISSED
    )
    candidate.decided_by, candidate.decided_on = actor, today
    candidate.save()
    case = Case.objects.get(pk=candidate.case_id)
    if not confirm:
        return
    Case.objects.filter(pk=case.pk).update(left_list_on=today)
    roster_import = candidate.roster_import
    case_event_record(case=case, kind=CaseEvent.Kind.LEFT_LIST, actor=actor, data={
        "roster_import": roster_import.pk, "file_name": roster_import.file_name,
        "imported_on": timezone.localdate(roster_import.created_at),
    })  # fmt: skip
    if case.stage != Stage.CLOSED:
        case_close_with_tasks(case=Case.objects.get(pk=case.pk), actor=actor, reason="left_list")


@transaction.atomic
def case_correct_id(*, case: Case, actor: User, id_number: str) -> Case:
    """Correct a case's ID number; if another case has that number, merge the two into it.

    The merge keeps every record of both: everything that hangs off the corrected case moves
    to the case that has the number (case_merge_records); the corrected case keeps its stage
    history and transfers, closes with its tasks, and points to the case it was merged into.
    """
    try:
        identity = parse_id_number(id_number)
    except IdNumberError as error:
        raise services.ServiceError(error.message) from None
    person = case.person
    old = person.masked_id_number
    if identity.number == person.id_number:
        raise services.ServiceError(_("That is already the case's ID number."))
    other = Case.objects.filter(person__id_number=identity.number).select_related("person").first()
    if other is not None and not access.may_supervise_case(actor, other):
        # the same answer whether the number is in another county or merely out of reach
        raise services.ServiceError(REGISTERED_ELSEWHERE_REASON)
    if other is None:
        person.id_number, person.sex, person.birth_date = (
            identity.number, identity.sex, identity.birth_date,
        )  # fmt: skip
        person.save(update_fields=["id_number", "sex", "birth_date", "updated_at"])
        case_event_record(case=case, kind=CaseEvent.Kind.ID_CORRECTED, actor=actor,
                          data={"old": old, "new": person.masked_id_number})  # fmt: skip
        return case
    if other.merged_into_id or case.merged_into_id:
        raise services.ServiceError(_("One of these cases was already merged."))
    case_merge_records(case=case, into=other, actor=actor)
    merged = {"from_case": case.pk, "from_id_number": old, "into_case": other.pk}
    case_event_record(case=other, kind=CaseEvent.Kind.MERGED, actor=actor, data=merged)
    case_event_record(case=case, kind=CaseEvent.Kind.MERGED, actor=actor, data=merged)
    Case.objects.filter(pk=case.pk).update(merged_into=other)
    if case.stage != Stage.CLOSED:
        # the closing stage change's reason is still stored as text (StageChange has no data)
        note = _("Case #%(from)s (%(old)s) merged into case #%(to)s") % {
            "from": case.pk, "old": old, "to": other.pk,
        }  # fmt: skip
        case_close_with_tasks(
            case=Case.objects.get(pk=case.pk), actor=actor, reason="other", note=note
        )
    return other


# --- what a merge does with each kind of record hanging off a case ---------------------------

# Moved to the surviving case as they are: each keeps its own date, county and township (it
# happened where it happened).
MERGE_MOVES = {
    "casework.CaseEvent", "casework.Survey", "casework.Employment", "casework.FollowUp",
    "casework.Placement", "casework.Outreach", "casework.Benefit", "casework.Assistance",
    "casework.Invitation",
}  # fmt: skip
# Moved with a rule of their own (a unique constraint, or a decision the merge settles).
MERGE_MERGES = {
    "casework.Enrolment", "casework.Confirmation", "casework.SurveyDraft",
    "casework.LeftListCandidate", "casework.RegistrationConflict",
    "casework.Case",  # cases merged earlier into the corrected case now point to the survivor
    "casework.Reconciliation",  # the rounds' many-to-many goes through Confirmation
}  # fmt: skip
# Left with the corrected case: its stage history and its transfers tell what happened to that
# case; its tasks are cancelled when it closes.
MERGE_LEAVES = {"casework.StageChange", "casework.Transfer", "workflows.CaseTask"}


def case_relations() -> set[str]:
    """Every model with rows hanging off a case (hidden relations included)."""
    return {
        relation.related_model._meta.label
        for relation in Case._meta.get_fields(include_hidden=True)
        if relation.auto_created and not relation.concrete
    }


def case_merge_records(*, case: Case, into: Case, actor: User) -> None:
    """Move every record of `case` to `into` and recompute both cases' latest survey."""
    unhandled = case_relations() - MERGE_MOVES - MERGE_MERGES - MERGE_LEAVES
    if unhandled:  # a new kind of record: decide what a merge does with it first
        raise RuntimeError(f"case_merge_records does not handle {sorted(unhandled)}")
    for label in MERGE_MOVES:
        model = apps.get_model(label)
        model.objects.filter(case=case).update(case=into)
    _merge_enrolments(case, into)
    _merge_confirmations(case, into)
    # a draft of the corrected case survives unless its author already drafts the other one
    SurveyDraft.objects.filter(case=case, author__in=SurveyDraft.objects.filter(
        case=into).values("author")).delete()  # fmt: skip
    SurveyDraft.objects.filter(case=case).update(case=into)
    # the corrected number is gone, so a pending "missing from the roster" about it is settled
    LeftListCandidate.objects.filter(
        case=case, status=LeftListCandidate.Status.PENDING
    ).update(
        status=LeftListCandidate.Status.DISMISSED, decided_by=actor,
        decided_on=timezone.localdate(),
    )  # fmt: skip
    LeftListCandidate.objects.filter(case=case).update(case=into)
    RegistrationConflict.objects.filter(
        case=case, roster_import__in=RegistrationConflict.objects.filter(case=into).values(
            "roster_import"
        ),
    ).delete()  # fmt: skip
    RegistrationConflict.objects.filter(case=case).update(case=into)
    Case.objects.filter(merged_into=case).update(merged_into=into)
    latest = into.surveys.order_by("-surveyed_on", "-pk").values_list("pk", flat=True).first()
    Case.objects.filter(pk=into.pk).update(latest_survey=latest)
    Case.objects.filter(pk=case.pk).update(latest_survey=None)
    into.latest_survey_id, case.latest_survey_id = latest, None


def _merge_enrolments(case: Case, into: Case) -> None:
    """One enrolment per course: the earlier one stays, with a completion either one had."""
    theirs = {enrolment.course_id: enrolment for enrolment in into.enrolments.all()}
    for enrolment in Enrolment.objects.filter(case=case).order_by("pk"):
        other = theirs.get(enrolment.course_id)
        if other is None:
            continue
        keep, drop = sorted([enrolment, other], key=lambda e: (e.enrolled_on, e.pk))
        completions = [e.completed_on for e in (keep, drop) if e.completed_on]
        drop.delete()
        keep.case = into
        keep.completed_on = min(completions) if completions else None
        keep.save(update_fields=["case", "completed_on"])
    Enrolment.objects.filter(case=case).update(case=into)


def _merge_confirmations(case: Case, into: Case) -> None:
    """One confirmation per round: the earlier one stays."""
    theirs = {item.reconciliation_id: item for item in into.confirmations.all()}
    for confirmation in Confirmation.objects.filter(case=case).order_by("pk"):
        other = theirs.get(confirmation.reconciliation_id)
        if other is None:
            continue
        keep, drop = sorted([confirmation, other], key=lambda c: (c.confirmed_on, c.pk))
        drop.delete()
        keep.case = into
        keep.save(update_fields=["case"])
    Confirmation.objects.filter(case=case).update(case=into)
