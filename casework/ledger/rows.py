"""The named ledger (实名台账): one row per laborer with every dated record, for the province.

Rows are ordered by county code, then ID number; ID numbers are masked. The same rows feed the
JSON and the xlsx export.
"""

import json
from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet

from ..exports import Sheet
from ..models import Assistance, Case, Employment, FollowUp, StageChange

CHUNK = 2000
PLACE = ("county", "township")


def ledger_cases(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.filter(merged_into__isnull=True).select_related(
        "person", "county", "township", "region"
    ).prefetch_related(
        Prefetch("stage_changes", queryset=StageChange.objects.order_by("at", "pk")),
        "surveys", "outreach", "benefits", "reconciliations",
        "placements__event", "placements__workshop", "placements__public_post",
        "enrolments__course",
        Prefetch("employments", queryset=Employment.objects.select_related(*PLACE)),
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related(*PLACE)),
        Prefetch("assistance", queryset=Assistance.objects.select_related(*PLACE)),
    ).order_by("county__code", "person__id_number")  # fmt: skip


def _iso(day):
    return day.isoformat() if day else None


def _where(record) -> dict:
    """The county and township where the case was on the record's date (Located)."""
    return {"county": record.county.name, "township": record.township.name}


def _by_date(entries) -> list[dict]:
    return sorted(entries, key=lambda entry: entry["date"])


def ledger_row(case: Case) -> dict:
    """One laborer's ledger row, in the agreed keys."""
    village = case.region if case.region_id != case.township_id else None
    return {
        "county": case.county.code,
        "township": case.township.name,
        "village": village.name if village else None,
        "id_number": case.person.masked_id_number,
        "name": case.person.name,
        "stage": case.stage,
        "stage_changes": [
            {"stage": change.to_stage, "date": _iso(change.on)}
            for change in case.stage_changes.all()
        ],
        "identified_on": _iso(case.identified_on),
        "left_list_on": _iso(case.left_list_on),
        "surveys": sorted(_iso(survey.surveyed_on) for survey in case.surveys.all()),
        "outreach": sorted(_iso(item.on) for item in case.outreach.all()),
        "benefits": sorted(
            ({"kind": benefit.kind, "date": _iso(benefit.on)} for benefit in case.benefits.all()),
            key=lambda item: item["date"],
        ),
        "placements": sorted(
            (
                {
                    "kind": placement.kind,
                    "programme": str(placement.programme),
                    "date": _iso(placement.placed_on),
                }  # fmt: skip
                for placement in case.placements.all()
            ),
            key=lambda item: item["date"],
        ),
        "trainings": sorted(
            (
                {
                    "kind": enrolment.course.kind,
                    "start": _iso(enrolment.course.starts_on),
                    "completed": enrolment.completed_on is not None,
                }  # fmt: skip
                for enrolment in case.enrolments.all()
            ),
            key=lambda item: item["start"],
        ),
        "employments": _by_date(
            {
                "date": _iso(job.started_on),
                "end": _iso(job.ended_on),
                "employer": job.employer,
                "post": job.post,
                "place": job.place,
                "wage_band": job.wage_band or None,
                **_where(job),
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
                **_where(item),
            }
            for item in case.follow_ups.all()
        ),
        "help": _by_date(
            {"date": _iso(item.on), "measure": item.measure, "note": item.note, **_where(item)}
            for item in case.assistance.all()
        ),
        "confirmations": sorted(_iso(round_.held_on) for round_ in case.reconciliations.all()),
        "closed_on": _iso(case.closed_on),
        "closed_reason": case.closed_reason or None,
    }


def ledger_rows(cases: QuerySet[Case]) -> Iterator[dict]:
    """Rows in order, read a chunk at a time so that a province fits in memory."""
    ordered = ledger_cases(cases)
    ids = list(ordered.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = {
            case.pk: case
            for case in ledger_cases(Case.objects.filter(pk__in=ids[start : start + CHUNK]))
        }
        for pk in ids[start : start + CHUNK]:
            yield ledger_row(chunk[pk])


COLUMNS = [
    "county", "township", "village", "id_number", "name", "stage", "identified_on",
    "left_list_on", "closed_on", "closed_reason", "stage_changes", "surveys", "outreach",
    "benefits", "placements", "trainings", "employments", "follow_ups", "help", "confirmations",
]  # fmt: skip


def ledger_sheet(cases: QuerySet[Case]) -> Sheet:
    """The ledger as one sheet; lists are written as JSON text in their cell."""
    rows = (
        [json.dumps(row[key], ensure_ascii=False) if isinstance(row[key], list) else row[key]
         for key in COLUMNS]
        for row in ledger_rows(cases)
    )  # fmt: skip
    return Sheet("实名台账", COLUMNS, rows)
