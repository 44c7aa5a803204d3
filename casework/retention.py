"""Retention (PIPL art. 19, 47): closed cases' personal numbers erased after the period the
RetentionRule sets, uploaded roster files deleted after theirs, background exports' files after
CASEWORK_EXPORT_KEEP_HOURS; periodic, and `manage.py retention_apply`. A case and its records
stay, so every count stays the same."""

import datetime
import logging
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import jobs
from .exports import export_files_delete
from .history import case_events_record
from .models import Case, CaseEvent, RetentionRule, RosterImport, Stage, Survey, SurveyDraft

logger = logging.getLogger(__name__)

UPLOADS = "imports"  # the folder of uploaded rosters under MEDIA_ROOT
BATCH = 500
# an event's data that holds a number (masked as it is): what erasure blanks
NUMBER_KEYS = {
    CaseEvent.Kind.ID_CORRECTED: ("old", "new"),
    CaseEvent.Kind.MERGED: ("from_id_number",),
}


def roster_file_path(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOADS / name


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def cases_due_for_erasure(today: datetime.date, years: int):
    """Closed on or before the day `years` years ago, their numbers not yet erased."""
    return Case.objects.filter(
        stage=Stage.CLOSED,
        closed_on__lte=years_before(today, years),
        person__erased_on__isnull=True,
    )


def _event_without_numbers(event: CaseEvent) -> bool:
    data = dict(event.data or {})
    changed = False
    for key in NUMBER_KEYS.get(event.kind, ()):
        if data.get(key):
            data[key], changed = "", True
    if event.kind == CaseEvent.Kind.ROSTER_UPDATE:
        changes = []
        for change in data.get("changes", []):
            if change.get("field") == "phone" and (change.get("from") or change.get("to")):
                change, changed = {**change, "from": "", "to": ""}, True
            changes.append(change)
        data["changes"] = changes
    event.data = data
    return changed


@transaction.atomic
def cases_numbers_erase(*, case_ids: list[int], years: int, today: datetime.date) -> int:
    """Erase the personal numbers of these closed cases: the laborer's ID number, phone and birth
    date (the sex and birth year stay, for the counts), the phone in every survey's answers, the
    drafts, the numbers in the history's data; one history event each. Returns the count."""
    cases = list(
        Case.objects.select_for_update()
        .filter(pk__in=case_ids, stage=Stage.CLOSED, person__erased_on__isnull=True)
        .select_related("person")
    )
    people = []
    for case in cases:
        person = case.person
        person.id_number, person.phone, person.birth_date, person.erased_on = "", "", None, today
        people.append(person)
    for person in people:
        person.save(update_fields=["id_number", "phone", "birth_date", "erased_on", "updated_at"])
    ids = [case.pk for case in cases]
    surveys = list(Survey.objects.filter(case_id__in=ids))
    for survey in surveys:
        survey.answers = {**(survey.answers or {}), "phone": ""}
    Survey.objects.bulk_update(surveys, ["answers"], batch_size=BATCH)
    SurveyDraft.objects.filter(case_id__in=ids).delete()
    events = [e for e in CaseEvent.objects.filter(case_id__in=ids) if _event_without_numbers(e)]
    CaseEvent.objects.bulk_update(events, ["data"], batch_size=BATCH)
    case_events_record(
        {"case": case, "kind": CaseEvent.Kind.NUMBERS_ERASED, "data": {"years": years}}
        for case in cases
    )
    return len(cases)


def roster_files_delete(*, today: datetime.date, days: int) -> int:
    """Delete the uploaded roster files older than `days` days (the import's record stays)."""
    before = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    old = RosterImport.objects.filter(created_at__lt=before - datetime.timedelta(days=days))
    deleted = 0
    for record in old.exclude(stored_file="").exclude(
        status__in=[RosterImport.Status.ANALYSING, RosterImport.Status.IMPORTING]
    ):
        roster_file_path(record.stored_file).unlink(missing_ok=True)
        RosterImport.objects.filter(pk=record.pk).update(stored_file="")
        deleted += 1
    return deleted


def retention_apply(*, today: datetime.date, rule: RetentionRule | None = None) -> dict:
    """Everything past its period, erased or deleted, in batches: counts by kind."""
    rule = rule or RetentionRule.current()
    erased = 0
    while ids := list(
        cases_due_for_erasure(today, rule.erase_after_years).values_list("pk", flat=True)[:BATCH]
    ):
        done = cases_numbers_erase(case_ids=ids, years=rule.erase_after_years, today=today)
        if not done:
            break
        erased += done
    files = roster_files_delete(today=today, days=rule.roster_file_days)
    exported = export_files_delete(now=timezone.now())
    if erased or files or exported:
        logger.info("retention: %s cases' numbers erased, %s roster files and %s export files "
                    "deleted", erased, files, exported)  # fmt: skip
    return {"cases_erased": erased, "roster_files_deleted": files, "export_files_deleted": exported}


@jobs.periodic("personal_numbers_erased")
def personal_numbers_erased(now: datetime.datetime) -> int:
    """The periodic run: cases erased, roster and export files deleted."""
    counts = retention_apply(today=timezone.localdate(now))
    return counts["cases_erased"] + counts["roster_files_deleted"] + counts["export_files_deleted"]
