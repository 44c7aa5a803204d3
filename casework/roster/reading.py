"""Reading and checking a roster file (xlsx or csv) row by row, and comparing it with the
registry; nothing is written but the rows naming laborers of other counties."""

import datetime
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop, pgettext

from ..idnumber import ID_NUMBER_REASONS, IdNumberError, mask_phone, parse_id_number
from ..models import (
    Case,
    Education,
    Health,
    LeftListCandidate,
    Person,
    Region,
    RegistrationConflict,
    RosterImport,
    Stage,
)
from ..tabular import UnreadableFile, find_header, header_key, read_rows

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


REGISTERED_ELSEWHERE = "registered_elsewhere"


REGISTERED_ELSEWHERE_REASON = gettext_lazy(
    "This number is registered in another region; ask the city to transfer the case."
)

# What a report keeps of a refused row or a warning is its code and data; these word it in the
# reader's language when it is shown (a background job has no reader's language).
REJECTIONS = {
    **ID_NUMBER_REASONS,
    "name_missing": gettext_lazy("The name is missing."),
    "sex_mismatch": gettext_lazy("The sex column disagrees with the ID number."),
    "duplicate_in_file": gettext_lazy("This ID number is already on an earlier row."),
    "unknown_county": gettext_lazy("Unknown county: %(county)s"),
    "out_of_scope": gettext_lazy("The row belongs to %(county)s, not to %(scope)s."),
    "township_missing": gettext_lazy("The township is missing."),
    REGISTERED_ELSEWHERE: REGISTERED_ELSEWHERE_REASON,
}
WARNINGS = {
    "columns_ignored": gettext_lazy("Columns ignored: %(columns)s"),
    "phone_malformed": gettext_lazy("Malformed phone number ignored: %(phone)s"),
    "unknown_value": gettext_lazy("Unknown %(column)s ignored: %(value)s"),
    "other_county": gettext_lazy("The laborer's case is in %(county)s; transfer it to move it."),
    "new_township": gettext_lazy("New township created: %(path)s"),
    "new_village": gettext_lazy("New village created: %(path)s"),
}


def _worded(template, params: dict) -> str:
    """A report message in the active language; columns by their label, lists joined."""
    params = dict(params)
    if "column" in params:
        params["column"] = Person._meta.get_field(params["column"]).verbose_name
    if isinstance(params.get("columns"), list):
        params["columns"] = pgettext("list separator", ", ").join(params["columns"])
    return str(template) % params if params else str(template)


@dataclass
class Rejected:
    row: int
    codes: list[str]
    params: dict = field(default_factory=dict)

    @property
    def reasons(self) -> list[str]:
        return [_worded(REJECTIONS[code], self.params) for code in self.codes]


@dataclass
class Warning:
    row: int
    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return _worded(WARNINGS[self.code], self.params)


def report_worded(report: dict | None) -> dict:
    """An import's stored report with its reasons and messages in the active language (a
    report stored as text before keeps its text)."""
    report = report or {}
    return {
        "rejected": [
            {"row": row["row"], "codes": row["codes"],
             "reasons": row.get("reasons") or Rejected(**row).reasons}
            for row in report.get("rejected", [])
        ],
        "warnings": [
            {"row": row["row"], "message": row.get("message") or Warning(**row).message}
            for row in report.get("warnings", [])
        ],
    }  # fmt: skip


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

    def report(self) -> dict:
        """The row report as stored: codes and data, no wording."""
        return {
            "rejected": [r.__dict__ for r in self.rejected],
            "warnings": [w.__dict__ for w in self.warnings],
        }

    def summary(self) -> dict:
        """The counts and the row report worded in the active language."""
        return {
            "created": len(self.new),
            "updated": len(self.changes),
            "unchanged": self.unchanged,
            **report_worded(self.report()),
            "left_list": len(self.left_list),
        }

    def write_counts(self, record: RosterImport) -> None:
        """Put the counts and the row report on an import record (not saved)."""
        record.rows = self.rows
        record.created, record.updated = len(self.new), len(self.changes)
        record.unchanged, record.rejected = self.unchanged, len(self.rejected)
        record.left_list = len(self.left_list)
        record.report = self.report()


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
        raise UnreadableFile(gettext_noop("The file is empty."))
    header = find_header(rows, COLUMNS, REQUIRED)
    if header is None:
        raise UnreadableFile(
            gettext_noop(
                "No header row naming the columns 姓名, 身份证号, 县区 and 乡镇 was found."
            )
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
            Warning(0, "columns_ignored", {"columns": [str(column) for column in unknown]})
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


@dataclass(frozen=True)
class LeftListShare:
    """How many of a county's open cases a complete roster would list as having left."""

    candidates: int
    open_cases: int

    @property
    def percent(self) -> int:
        return round(100 * self.candidates / self.open_cases) if self.open_cases else 100

    @property
    def threshold_percent(self) -> int:
        return round(100 * settings.CASEWORK_LEFT_LIST_CONFIRM_SHARE)


def county_open_cases(county: Region) -> int:
    """The county's cases a complete roster is compared with: not closed, not merged away."""
    return (
        Case.objects.filter(county=county, merged_into__isnull=True)
        .exclude(stage=Stage.CLOSED)
        .count()
    )


def left_list_share_to_confirm(record: RosterImport) -> LeftListShare | None:
    """The share of the county's open cases a complete roster would flag, when it is more
    than CASEWORK_LEFT_LIST_CONFIRM_SHARE (the importer confirms it first); else None."""
    if not record.complete or record.county_id is None or not record.left_list:
        return None
    share = LeftListShare(record.left_list, county_open_cases(record.county))
    if share.candidates > settings.CASEWORK_LEFT_LIST_CONFIRM_SHARE * share.open_cases:
        return share
    return None


def _check_row(number, values, plan, counties, scope_county, seen, educations, healths):
    codes, params = [], {}

    def reject(code, **data):
        codes.append(code)
        params.update(data)

    if not values.get("name"):
        reject("name_missing")
    identity = None
    try:
        identity = parse_id_number(values.get("id_number"))
    except IdNumberError as error:
        reject(error.code)
    else:
        plan.ids_in_file.add(identity.number)
        sex = SEXES.get(values.get("sex", "").lower())
        if values.get("sex") and sex and sex != identity.sex:
            reject("sex_mismatch")
        if identity.number in seen:
            reject("duplicate_in_file")
    county = counties.get(values.get("county")) or counties.get(header_key(values.get("county")))
    if county is None:
        reject("unknown_county", county=values.get("county") or "—")
    elif scope_county is not None and county.pk != scope_county.pk:
        reject("out_of_scope", county=county.name, scope=scope_county.name)
    if not values.get("township"):
        reject("township_missing")
    if codes:
        plan.rejected.append(Rejected(number, codes, params))
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
                # masked: the row report is a page and a download like any other
                Warning(number, "phone_malformed", {"phone": mask_phone(phone)})
            )
    for name, lookup in (("education", educations), ("health", healths)):
        text = values.get(name)
        if text:
            code = lookup.get(text) or lookup.get(text.lower())
            if code:
                person[name] = code
            else:
                plan.warnings.append(
                    Warning(number, "unknown_value", {"column": name, "value": text})
                )
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
                plan.rejected.append(Rejected(row.row, [REGISTERED_ELSEWHERE]))
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
                plan.warnings.append(Warning(row.row, "other_county", {"county": case.county.name}))
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
            plan.warnings.append(
                Warning(row, "new_township", {"path": f"{county.name}/{township_name}"})
            )
        if village_name and (township is None or (township.pk, village_name) not in villages):
            path = f"{county.name}/{township_name}/{village_name}"
            if path not in reported:
                reported.add(path)
                plan.new_regions.append(path)
                plan.warnings.append(Warning(row, "new_village", {"path": path}))
