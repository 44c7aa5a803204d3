"""The named ledger (实名台账): one row per laborer with every dated record, for the province.

Rows are ordered by county code, then case id (ID numbers are encrypted at rest and ciphertext
does not sort); ID numbers are masked. The JSON export keeps
the agreed keys and codes; the xlsx ledger is for people: headers in the reader's language,
names and labels instead of codes, one line per record in a cell.
"""

from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet
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
    Placement,
    Region,
    Stage,
    StageChange,
    Survey,
    Transfer,
)

CHUNK = 2000  # cases read at a time, each chunk with one query per kind of record
# a record's columns the ledger reads: its case, date, place, and these (an encrypted survey's
# answers are never read, nor decrypted)
READ = {
    Survey: ("surveyed_on", "is_resurvey"),
    Outreach: ("on",),
    Benefit: ("kind", "on"),
    Confirmation: ("confirmed_on",),
    Placement: ("kind", "placed_on", "event", "workshop", "public_post"),
    Enrolment: ("course", "enrolled_on", "completed_on"),
    Employment: ("started_on", "ended_on", "employer", "post", "place", "wage_band"),
    FollowUp: ("followed_up_on", "status", "work_address", "wage_band", "problems", "help_given"),
    Assistance: ("on", "measure", "note"),
}


def _placed(model, *related):
    """A kind of record, its places (county, township) left as ids: Places names them."""
    return Prefetch(
        model._meta.get_field("case").remote_field.related_name,
        queryset=model.objects.select_related(*related).only(
            "case", "county", "township", *READ[model], *related
        ),
    )  # fmt: skip


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


def ledger_cases(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.filter(merged_into__isnull=True).select_related("person").defer(
        "person__phone", "person__birth_date",  # encrypted, not in the ledger: not decrypted
    ).prefetch_related(
        Prefetch("stage_changes",
                 queryset=StageChange.objects.standing().order_by("on", "at", "pk")),
        Prefetch("transfers", queryset=Transfer.objects.all()),
        _placed(Survey), _placed(Outreach), _placed(Benefit), _placed(Confirmation),
        _placed(Placement, "event", "workshop", "public_post"), _placed(Enrolment, "course"),
        _placed(Employment), _placed(FollowUp), _placed(Assistance),
    ).order_by("county__code", "pk")  # fmt: skip


def ledger_counted(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The ledger's rows to count (one per laborer: merged cases are left out), unordered."""
    return cases.filter(merged_into__isnull=True).order_by()


def _iso(day):
    return day.isoformat() if day else None


def _where(record, places: Places) -> dict:
    """The county (its code) and township where the case was on the record's date (Located)."""
    return {"county": places.code(record.county_id), "township": places.name(record.township_id)}


def _by_date(entries) -> list[dict]:
    return sorted(entries, key=lambda entry: entry["date"])


def ledger_row(case: Case, places: Places) -> dict:
    """One laborer's ledger row, in the agreed keys. Every dated record carries the code of
    the county it counts for; the stage changes are those that stand (an undone change and its
    undo are left out), by date and then the time they were recorded; `transfers` gives the
    county codes a case moved between, so that every monthly figure can be recomputed by hand
    (docs/monthly-report.md)."""
    village = places.name(case.region_id) if case.region_id != case.township_id else None
    return {
        "county": places.code(case.county_id),
        "township": places.name(case.township_id),
        "village": village,
        "id_number": case.person.masked_id_number,
        "name": case.person.name,
        "stage": case.stage,
        "stage_changes": [
            {"stage": change.to_stage, "date": _iso(change.on), **_where(change, places)}
            for change in case.stage_changes.all()
        ],
        "transfers": [
            {
                "date": _iso(move.on),
                "from": places.code(move.from_county_id),
                "to": places.code(move.to_county_id),
            }
            for move in sorted(case.transfers.all(), key=lambda move: (move.on, move.pk))
        ],
        "identified_on": _iso(case.identified_on),
        "left_list_on": _iso(case.left_list_on),
        "surveys": _by_date(
            {
                "date": _iso(survey.surveyed_on),
                "resurvey": survey.is_resurvey,
                **_where(survey, places),
            }
            for survey in case.surveys.all()
        ),
        "outreach": _by_date(
            {"date": _iso(item.on), **_where(item, places)} for item in case.outreach.all()
        ),
        "benefits": _by_date(
            {"kind": benefit.kind, "date": _iso(benefit.on), **_where(benefit, places)}
            for benefit in case.benefits.all()
        ),
        "placements": _by_date(
            {
                "kind": placement.kind,
                "programme": str(placement.programme),
                "date": _iso(placement.placed_on),
                **_where(placement, places),
            }  # fmt: skip
            for placement in case.placements.all()
        ),
        "trainings": _by_date(
            {
                "kind": enrolment.course.kind,
                "date": _iso(enrolment.course.starts_on),  # the course's start counts it
                "enrolled_on": _iso(enrolment.enrolled_on),
                "completed": enrolment.completed_on is not None,
                **_where(enrolment, places),
            }  # fmt: skip
            for enrolment in case.enrolments.all()
        ),
        "employments": _by_date(
            {
                "date": _iso(job.started_on),
                "end": _iso(job.ended_on),
                "employer": job.employer,
                "post": job.post,
                "place": job.place,
                "wage_band": job.wage_band or None,
                **_where(job, places),
            }
            for job in case.employments.all()
        ),
        "follow_ups": _by_date(
            {
                "date": _iso(item.followed_up_on),
                "status": item.status,
                "work_address": item.work_address,
                "wage_band": item.wage_band or None,
                "problems": item.problems,
                "help_given": item.help_given,
                **_where(item, places),
            }
            for item in case.follow_ups.all()
        ),
        "help": _by_date(
            {
                "date": _iso(item.on),
                "measure": item.measure,
                "note": item.note,
                **_where(item, places),
            }
            for item in case.assistance.all()
        ),
        "confirmations": _by_date(
            {"date": _iso(item.confirmed_on), **_where(item, places)}
            for item in case.confirmations.all()
        ),
        "closed_on": _iso(case.closed_on),
        "closed_reason": case.closed_reason or None,
    }


def _ledger_in_order(cases: QuerySet[Case]) -> Iterator[Case]:
    """The cases in order, read CHUNK at a time (each chunk's records with it), so that a
    province fits in memory and the queries grow by chunk, never by case."""
    return ledger_cases(cases).iterator(chunk_size=CHUNK)


def ledger_rows(cases: QuerySet[Case]) -> Iterator[dict]:
    """Rows in order, in the agreed keys (the JSON export)."""
    places = Places()
    for case in _ledger_in_order(cases):
        yield ledger_row(case, places)


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


def _label(choices, code) -> str:
    return str(choices(code).label) if code in choices.values else (code or "")


def _line(*parts) -> str:
    return " · ".join(str(part) for part in parts if part)


def _lines(entries) -> str:
    return "\n".join(entries)


def _yes_no(value: bool) -> str:
    return pgettext("ledger", "yes") if value else pgettext("ledger", "no")


def _job(job: dict, county_names: dict) -> str:
    period = _("%(start)s to %(end)s") % {
        "start": job["date"], "end": job["end"] or pgettext("ledger", "now"),
    }  # fmt: skip
    return _line(period, job["employer"], job["post"], job["place"],
                 _label(IncomeBand, job["wage_band"]),
                 f"{county_names.get(job['county'], '')}{job['township']}")  # fmt: skip


def ledger_cells(case: Case, places: Places, county_names: dict) -> list:
    """One laborer's ledger row for people: names and labels, one line per record."""
    row = ledger_row(case, places)
    cells = {
        **row,
        "county": places.name(case.county_id),
        "stage": case.get_stage_display(),
        "closed_reason": _label(CloseReason, row["closed_reason"]),
        "stage_changes": _lines(
            _line(change["date"], _label(Stage, change["stage"])) for change in row["stage_changes"]
        ),
        "surveys": _lines(item["date"] for item in row["surveys"]),
        "outreach": _lines(item["date"] for item in row["outreach"]),
        "benefits": _lines(
            _line(item["date"], _label(BenefitKind, item["kind"])) for item in row["benefits"]
        ),
        "placements": _lines(
            _line(item["date"], _label(Placement.Kind, item["kind"]), item["programme"])
            for item in row["placements"]
        ),
        "trainings": _lines(
            _line(
                item["date"],
                _label(Course.Kind, item["kind"]),
                _("completed: %(yes_no)s") % {"yes_no": _yes_no(item["completed"])},
            )
            for item in row["trainings"]
        ),  # fmt: skip
        "employments": _lines(_job(job, county_names) for job in row["employments"]),
        "follow_ups": _lines(
            _line(
                item["date"],
                _label(FollowUpStatus, item["status"]),
                item["work_address"],
                _label(IncomeBand, item["wage_band"]),
                item["problems"],
                item["help_given"],
            )
            for item in row["follow_ups"]
        ),  # fmt: skip
        "help": _lines(
            _line(item["date"], _label(AssistanceMeasure, item["measure"]), item["note"])
            for item in row["help"]
        ),
        "confirmations": _lines(item["date"] for item in row["confirmations"]),
    }
    return [cells[key] for key, _header in COLUMNS]


def ledger_sheet(cases: QuerySet[Case]) -> Sheet:
    """The ledger for people as one sheet, in the active language."""
    places = Places()
    county_names = dict(places.values())  # by code: a county's code is its own
    rows = (ledger_cells(case, places, county_names) for case in _ledger_in_order(cases))
    headers = [header for _key, header in COLUMNS]
    return Sheet(pgettext_lazy("ledger", "named ledger"), headers, rows, widths=WIDTHS)
