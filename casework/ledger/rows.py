"""The named ledger (实名台账): one row per laborer with every dated record, for the province.

Rows are ordered by county code, then case id (ID numbers are encrypted at rest and ciphertext
does not sort); ID numbers are masked. The JSON export keeps
the agreed keys and codes; the xlsx ledger is for people: headers in the reader's language,
names and labels instead of codes, one line per record in a cell.
"""

from collections import defaultdict
from collections.abc import Callable, Iterator
from itertools import islice
from typing import NamedTuple

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from ..exports import Sheet
from ..models import (
    Assistance,
    AssistanceMeasure,
    Benefit,
    BenefitKind,
    Case,
    CloseReason,
    Confirmation,
    Course,
    Employment,
    Enrolment,
    FollowUp,
    FollowUpStatus,
    IncomeBand,
    Outreach,
    Person,
    Placement,
    Region,
    Stage,
    StageChange,
    Survey,
    Transfer,
)

CHUNK = 2000  # cases read at a time, each chunk with one query per kind of record


class Places(dict):
    """Every region's code and name by id, read once per export (a few thousand rows)."""

    def __init__(self):
        super().__init__(
            (pk, (code, name))
            for pk, code, name in Region.objects.values_list("pk", "code", "name")
        )

    def code(self, pk) -> str:
        return self[pk][0]

    def name(self, pk) -> str:
        return self[pk][1]


class LedgerCase(NamedTuple):
    """A case's own columns in the ledger, read as values (no model instances)."""

    pk: int
    county_id: int
    township_id: int
    region_id: int
    id_number: str  # decrypted as read, only to be masked
    erased_on: object
    name: str
    stage: str
    identified_on: object
    left_list_on: object
    closed_on: object
    closed_reason: str


CASE_FIELDS = (
    "pk", "county_id", "township_id", "region_id", "person__id_number", "person__erased_on",
    "person__name", "stage", "identified_on", "left_list_on", "closed_on", "closed_reason",
)  # fmt: skip


def ledger_cases(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The ledger's cases in order (merged cases left out); the person's phone, birth date and
    the survey's answers are never read, nor decrypted."""
    return cases.filter(merged_into__isnull=True).order_by("county__code", "pk")


def ledger_counted(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The ledger's rows to count (one per laborer: merged cases are left out), unordered."""
    return cases.filter(merged_into__isnull=True).order_by()


def _iso(day):
    return day.isoformat() if day else None


# Each kind of dated record: the row's key, its records (read for a chunk's case ids as
# values: the case id, county, township, then these columns; in this order where dates tie)
# and its entry in the row, made from those values and the regions' codes and names.
class Kind(NamedTuple):
    key: str
    records: Callable[[], QuerySet]
    fields: tuple[str, ...]
    entry: Callable[[tuple, Places], dict]
    by_date: bool = True  # entries sorted by their "date" (stable: ties keep the read order)


def _where(county_id, township_id, places: Places) -> dict:
    """The county (its code) and township where the case was on the record's date (Located)."""
    return {"county": places[county_id][0], "township": places[township_id][1]}


def _stage_change(values, places):
    _case, county, township, to_stage, on = values
    return {"stage": to_stage, "date": _iso(on), **_where(county, township, places)}


def _transfer(values, places):
    _case, on, from_county, to_county = values
    return {"date": _iso(on), "from": places[from_county][0], "to": places[to_county][0]}


def _survey(values, places):
    _case, county, township, surveyed_on, resurvey = values
    return {"date": _iso(surveyed_on), "resurvey": resurvey, **_where(county, township, places)}


def _outreach(values, places):
    _case, county, township, on = values
    return {"date": _iso(on), **_where(county, township, places)}


def _benefit(values, places):
    _case, county, township, kind, on = values
    return {"kind": kind, "date": _iso(on), **_where(county, township, places)}


def _placement(values, places):
    _case, county, township, kind, placed_on, *programmes = values
    # its event, workshop or public post (the first it has: Placement.programme)
    programme = next((name for name in programmes if name is not None), None)
    return {
        "kind": kind, "programme": str(programme), "date": _iso(placed_on),
        **_where(county, township, places),
    }  # fmt: skip


def _training(values, places):
    _case, county, township, kind, starts_on, enrolled_on, completed_on = values
    return {
        "kind": kind,
        "date": _iso(starts_on),  # the course's start counts it
        "enrolled_on": _iso(enrolled_on),
        "completed": completed_on is not None,
        **_where(county, township, places),
    }  # fmt: skip


def _employment(values, places):
    _case, county, township, started_on, ended_on, employer, post, place, wage_band = values
    return {
        "date": _iso(started_on), "end": _iso(ended_on), "employer": employer, "post": post,
        "place": place, "wage_band": wage_band or None, **_where(county, township, places),
    }  # fmt: skip


def _follow_up(values, places):
    _case, county, township, on, status, address, wage_band, problems, help_given = values
    return {
        "date": _iso(on), "status": status, "work_address": address,
        "wage_band": wage_band or None, "problems": problems, "help_given": help_given,
        **_where(county, township, places),
    }  # fmt: skip


def _help(values, places):
    _case, county, township, on, measure, note = values
    return {"date": _iso(on), "measure": measure, "note": note, **_where(county, township, places)}


def _confirmation(values, places):
    _case, county, township, confirmed_on = values
    return {"date": _iso(confirmed_on), **_where(county, township, places)}


PLACED = ("county_id", "township_id")
KINDS = (
    # the stage changes that stand, by date then the time they were recorded
    Kind("stage_changes", lambda: StageChange.objects.standing().order_by("on", "at", "pk"),
         (*PLACED, "to_stage", "on"), _stage_change, by_date=False),
    Kind("transfers", lambda: Transfer.objects.order_by("on", "pk"),
         ("on", "from_county_id", "to_county_id"), _transfer, by_date=False),
    Kind("surveys", lambda: Survey.objects.order_by("pk"),
         (*PLACED, "surveyed_on", "is_resurvey"), _survey),
    Kind("outreach", lambda: Outreach.objects.order_by("pk"), (*PLACED, "on"), _outreach),
    Kind("benefits", lambda: Benefit.objects.order_by("pk"), (*PLACED, "kind", "on"), _benefit),
    Kind("placements", lambda: Placement.objects.order_by("pk"),
         (*PLACED, "kind", "placed_on", "event__name", "workshop__name", "public_post__name"),
         _placement),
    Kind("trainings", lambda: Enrolment.objects.order_by("pk"),
         (*PLACED, "course__kind", "course__starts_on", "enrolled_on", "completed_on"),
         _training),
    Kind("employments", lambda: Employment.objects.order_by("pk"),
         (*PLACED, "started_on", "ended_on", "employer", "post", "place", "wage_band"),
         _employment),
    Kind("follow_ups", lambda: FollowUp.objects.order_by("pk"),
         (*PLACED, "followed_up_on", "status", "work_address", "wage_band", "problems",
          "help_given"), _follow_up),
    Kind("help", lambda: Assistance.objects.order_by("pk"), (*PLACED, "on", "measure", "note"),
         _help),
    Kind("confirmations", lambda: Confirmation.objects.order_by("pk"),
         (*PLACED, "confirmed_on"), _confirmation),
)  # fmt: skip


def _by_date(entries) -> list[dict]:
    return sorted(entries, key=lambda entry: entry["date"])


class Chunk(NamedTuple):
    """Up to CHUNK cases in order and the entries of each kind of record by case id."""

    cases: list[LedgerCase]
    entries: dict[str, dict[int, list[dict]]]


def _of_cases(records: QuerySet, ids: list[int]) -> QuerySet:
    """The records of these cases. On PostgreSQL the ids are one array parameter (`= ANY`):
    2,000 placeholders cost Django and the driver more than the query itself."""
    if connection.vendor != "postgresql":
        return records.filter(case_id__in=ids)
    column = f"{connection.ops.quote_name(records.model._meta.db_table)}.case_id"
    return records.filter(RawSQL(f"{column} = ANY(%s)", [ids], output_field=BooleanField()))


def _chunk_read(cases: list[LedgerCase], places: Places) -> Chunk:
    """The chunk's records: one query per kind of record, grouped by case id in Python."""
    ids = [case.pk for case in cases]
    entries = {}
    for kind in KINDS:
        by_case = defaultdict(list)
        for values in _of_cases(kind.records(), ids).values_list("case_id", *kind.fields):
            by_case[values[0]].append(kind.entry(values, places))
        if kind.by_date:
            for key, listed in by_case.items():
                by_case[key] = _by_date(listed)
        entries[kind.key] = by_case
    return Chunk(cases, entries)


def _ledger_in_order(cases: QuerySet[Case], places: Places) -> Iterator[tuple[LedgerCase, dict]]:
    """The cases in order with their records, read CHUNK cases at a time: one query for the
    cases (a server-side cursor) and one per kind of record per chunk, never per case, and
    no model instance, so that a province fits in memory and in time."""
    rows = ledger_cases(cases).values_list(*CASE_FIELDS).iterator(chunk_size=CHUNK)
    while read := list(islice(rows, CHUNK)):
        chunk = _chunk_read([LedgerCase(*values) for values in read], places)
        for case in chunk.cases:
            yield case, {key: by_case.get(case.pk, []) for key, by_case in chunk.entries.items()}


def ledger_row(case: LedgerCase, records: dict, places: Places) -> dict:
    """One laborer's ledger row, in the agreed keys. Every dated record carries the code of
    the county it counts for; the stage changes are those that stand (an undone change and its
    undo are left out), by date and then the time they were recorded; `transfers` gives the
    county codes a case moved between, so that every monthly figure can be recomputed by hand
    (docs/monthly-report.md)."""
    village = places[case.region_id][1] if case.region_id != case.township_id else None
    return {
        "county": places[case.county_id][0],
        "township": places[case.township_id][1],
        "village": village,
        "id_number": Person.id_number_masked(case.id_number, case.erased_on),
        "name": case.name,
        "stage": case.stage,
        "stage_changes": records["stage_changes"],
        "transfers": records["transfers"],
        "identified_on": _iso(case.identified_on),
        "left_list_on": _iso(case.left_list_on),
        "surveys": records["surveys"],
        "outreach": records["outreach"],
        "benefits": records["benefits"],
        "placements": records["placements"],
        "trainings": records["trainings"],
        "employments": records["employments"],
        "follow_ups": records["follow_ups"],
        "help": records["help"],
        "confirmations": records["confirmations"],
        "closed_on": _iso(case.closed_on),
        "closed_reason": case.closed_reason or None,
    }


def ledger_rows(cases: QuerySet[Case]) -> Iterator[dict]:
    """Rows in order, in the agreed keys (the JSON export)."""
    places = Places()
    for case, records in _ledger_in_order(cases, places):
        yield ledger_row(case, records, places)


# The xlsx ledger's columns: the row's key and its header, in the reader's language.
COLUMNS = [
    ("county", pgettext_lazy("ledger", "county")),
    ("township", pgettext_lazy("ledger", "township")),
    ("village", pgettext_lazy("ledger", "village")),
    ("id_number", pgettext_lazy("ledger", "ID number")),
    ("name", pgettext_lazy("ledger", "name")),
    ("stage", pgettext_lazy("ledger", "stage")),
    ("identified_on", pgettext_lazy("ledger", "identified on")),
    ("left_list_on", pgettext_lazy("ledger", "left the poor list on")),
    ("closed_on", pgettext_lazy("ledger", "closed on")),
    ("closed_reason", pgettext_lazy("ledger", "reason for closing")),
    ("stage_changes", pgettext_lazy("ledger", "stage changes")),
    ("surveys", pgettext_lazy("ledger", "surveys")),
    ("outreach", pgettext_lazy("ledger", "policy outreach")),
    ("benefits", pgettext_lazy("ledger", "policy benefits")),
    ("placements", pgettext_lazy("ledger", "placements")),
    ("trainings", pgettext_lazy("ledger", "trainings")),
    ("employments", pgettext_lazy("ledger", "employment")),
    ("follow_ups", pgettext_lazy("ledger", "follow-ups")),
    ("help", pgettext_lazy("ledger", "help")),
    ("confirmations", pgettext_lazy("ledger", "confirmed with the poverty office")),
]


# wide enough for a date and a label, or a job's line; the lists wrap in their cells
WIDTHS = [10, 12, 12, 20, 10, 10, 12, 12, 12, 14, 24, 12, 12, 24, 36, 30, 60, 40, 40, 14]


class Words:
    """The xlsx ledger's labels and phrases in the active language, worded once per export
    (not once per cell)."""

    def __init__(self, places: Places):
        def labels(choices) -> dict:
            return {value: str(label) for value, label in choices.choices}

        self.stage = labels(Stage)
        self.close_reason = labels(CloseReason)
        self.benefit = labels(BenefitKind)
        self.placement = labels(Placement.Kind)
        self.course = labels(Course.Kind)
        self.income = labels(IncomeBand)
        self.follow_up = labels(FollowUpStatus)
        self.measure = labels(AssistanceMeasure)
        self.period = _("%(start)s to %(end)s")
        self.now = pgettext("ledger", "now")
        self.completed = {
            done: _("completed: %(yes_no)s")
            % {"yes_no": pgettext("ledger", "yes") if done else pgettext("ledger", "no")}
            for done in (True, False)
        }  # fmt: skip
        self.county_names = dict(places.values())  # by code: a county's code is its own


def _label(labels: dict, code) -> str:
    """A code's label; a code no longer among the choices as it is ("" for none)."""
    return labels.get(code, code or "")


def _line(*parts) -> str:
    return " · ".join(str(part) for part in parts if part)


def _lines(entries) -> str:
    return "\n".join(entries)


def _job(job: dict, words: Words) -> str:
    period = words.period % {"start": job["date"], "end": job["end"] or words.now}
    return _line(period, job["employer"], job["post"], job["place"],
                 _label(words.income, job["wage_band"]),
                 f"{words.county_names.get(job['county'], '')}{job['township']}")  # fmt: skip


def ledger_cells(case: LedgerCase, records: dict, places: Places, words: Words) -> list:
    """One laborer's ledger row for people: names and labels, one line per record."""
    row = ledger_row(case, records, places)
    cells = {
        **row,
        "county": places[case.county_id][1],
        "stage": words.stage.get(case.stage, case.stage),
        "closed_reason": _label(words.close_reason, row["closed_reason"]),
        "stage_changes": _lines(
            _line(change["date"], _label(words.stage, change["stage"]))
            for change in row["stage_changes"]
        ),
        "surveys": _lines(item["date"] for item in row["surveys"]),
        "outreach": _lines(item["date"] for item in row["outreach"]),
        "benefits": _lines(
            _line(item["date"], _label(words.benefit, item["kind"])) for item in row["benefits"]
        ),
        "placements": _lines(
            _line(item["date"], _label(words.placement, item["kind"]), item["programme"])
            for item in row["placements"]
        ),
        "trainings": _lines(
            _line(
                item["date"], _label(words.course, item["kind"]), words.completed[item["completed"]]
            )
            for item in row["trainings"]
        ),  # fmt: skip
        "employments": _lines(_job(job, words) for job in row["employments"]),
        "follow_ups": _lines(
            _line(
                item["date"],
                _label(words.follow_up, item["status"]),
                item["work_address"],
                _label(words.income, item["wage_band"]),
                item["problems"],
                item["help_given"],
            )
            for item in row["follow_ups"]
        ),  # fmt: skip
        "help": _lines(
            _line(item["date"], _label(words.measure, item["measure"]), item["note"])
            for item in row["help"]
        ),
        "confirmations": _lines(item["date"] for item in row["confirmations"]),
    }
    return [cells[key] for key, _header in COLUMNS]


def ledger_sheet(cases: QuerySet[Case]) -> Sheet:
    """The ledger for people as one sheet, in the active language."""
    places = Places()
    words = Words(places)
    rows = (
        ledger_cells(case, records, places, words)
        for case, records in _ledger_in_order(cases, places)
    )
    headers = [header for _key, header in COLUMNS]
    return Sheet(pgettext_lazy("ledger", "named ledger"), headers, rows, widths=WIDTHS)
