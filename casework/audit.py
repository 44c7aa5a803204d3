"""The record of processing: every reveal, export, print, download and sign-in (ExportLog) and
every write (case events, stage changes, programme and contact changes, change records) as one
list, newest first, worded in the viewer's language with every number masked.

`audit_records` unions the sources in SQL (one row of common columns per record, filtered in
each source before the union), so a page or an export reads only its own rows;
`audit_rows` words a page of them.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import CharField, F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import history
from .idnumber import mask_numbers_in_text
from .models import (
    CaseEvent,
    ChangeRecord,
    ContactChange,
    ContactRole,
    CountyContact,
    ExportLog,
    Person,
    ProgrammeChange,
    Region,
    Stage,
    StageChange,
    User,
)

# what each kind of export record is (kinds are codes in the table)
EXPORT_KINDS = {
    "reveal_phone": gettext_lazy("phone number shown"),
    "reveal_id": gettext_lazy("ID number shown"),
    "find": gettext_lazy("search by whole ID number"),
    "ledger": gettext_lazy("case ledger"),
    "needs": gettext_lazy("needs list"),
    "reconciliation": gettext_lazy("reconciliation list (full ID numbers)"),
    "import_report": gettext_lazy("roster import report"),
    "receipt": gettext_lazy("reassignment receipt"),
    "contacts": gettext_lazy("contact table (附件3)"),
    "survey_form": gettext_lazy("pre-filled survey forms (附件2, full numbers)"),
    "monthly_report": gettext_lazy("monthly report (附件1)"),
    "supervision_circular": gettext_lazy("circular (通报) PDF"),
    "supervision_report": gettext_lazy("supervision report (督导报告)"),
    "login": gettext_lazy("signed in"),
    "login_failed": gettext_lazy("failed sign-in"),
    "audit": gettext_lazy("record of processing"),
}

# what each kind of change record is (casework.history.change_record's kinds)
CHANGE_KINDS = {
    "outreach": gettext_lazy("Recorded outreach"),
    "assistance": gettext_lazy("Recorded help"),
    "benefit": gettext_lazy("Recorded a benefit"),
    "survey": gettext_lazy("Submitted a survey"),
    "survey_draft": gettext_lazy("Saved a survey draft"),
    "employment": gettext_lazy("Recorded employment"),
    "follow_up": gettext_lazy("Recorded a follow-up"),
    "placement": gettext_lazy("Recorded a placement"),
    "enrolment": gettext_lazy("Recorded an enrolment"),
    "enrolment_complete": gettext_lazy("Recorded a course completed"),
    "invitation": gettext_lazy("Recorded an invitation"),
    "programme_created": gettext_lazy("Set up a programme"),
    "reconciliation_created": gettext_lazy("Opened a reconciliation round"),
    "reconciliation_confirmed": gettext_lazy("Confirmed laborers in a reconciliation"),
    "roster_upload": gettext_lazy("Uploaded a roster"),
    "roster_confirmed": gettext_lazy("Confirmed a roster import"),
    "roster_import": gettext_lazy("Imported a roster"),
    "roster_cancel": gettext_lazy("Cancelled a roster import"),
    "left_list_decision": gettext_lazy("Decided a left-list candidate"),
    "report_remarks": gettext_lazy("Wrote a monthly report's remarks"),
    "report_submitted": gettext_lazy("Submitted a monthly report"),
    "report_decided": gettext_lazy("Decided a monthly report"),
    "inspection_recorded": gettext_lazy("Recorded an inspection"),
    "inspection_corrected": gettext_lazy("Corrected an inspection"),
    "interview_recorded": gettext_lazy("Recorded an interview"),
    "supervision_report_asked": gettext_lazy("Asked for a supervision report"),
    "county_channel": gettext_lazy("Set a county's WeCom robot"),
    "password_set": gettext_lazy("Set a password"),
}


class Source(models.TextChoices):
    EXPORT = "export", gettext_lazy("reveal, export, print or sign-in")
    EVENT = "event", gettext_lazy("case history")
    STAGE = "stage", gettext_lazy("stage change")
    PROGRAMME = "programme", gettext_lazy("programme change")
    CONTACT = "contact", gettext_lazy("contact change")
    CHANGE = "change", gettext_lazy("other write")


def kind_choices() -> list[tuple[str, str]]:
    """Every kind a record may have, as "<source>:<code>" with its label."""
    choices = [(f"export:{code}", label) for code, label in EXPORT_KINDS.items()]
    choices += [(f"event:{code}", label) for code, label in CaseEvent.Kind.choices]
    choices += [(f"stage:{code}", label) for code, label in Stage.choices]
    choices += [(f"programme:{code}", label) for code, label in ProgrammeChange.Kind.choices]
    choices += [("contact:", _("Changed the contact table"))]
    choices += [(f"change:{code}", label) for code, label in CHANGE_KINDS.items()]
    return choices


@dataclass(frozen=True)
class Criteria:
    """What the list is narrowed to (each None for all)."""

    actor: int | None = None
    kind: str | None = None  # "<source>:<code>", or "<source>:" for a whole source
    since: datetime.date | None = None
    until: datetime.date | None = None
    county: int | None = None
    text: str | None = None


NO_INT = Value(None, output_field=IntegerField())


def _common(queryset: QuerySet, source: str, *, kind, county, case, rows) -> QuerySet:
    return (
        queryset.order_by()
        .annotate(
            a_source=Value(source, output_field=CharField()),
            a_kind=Cast(kind, CharField()),
            a_county=county,
            a_case=case,
            a_rows=rows,
        )
        .values_list("a_source", "pk", "at", "actor_id", "a_kind", "a_county", "a_case", "a_rows")
    )


# source: (model, kind expression, county expression, case expression, rows, text fields)
SOURCES = {
    Source.EXPORT: (ExportLog, F("kind"), NO_INT, NO_INT, F("rows"), ("description",)),
    Source.EVENT: (
        CaseEvent, F("kind"), F("case__county_id"), F("case_id"), NO_INT,
        ("case__person__name",),
    ),
    Source.STAGE: (
        StageChange, F("to_stage"), F("county_id"), F("case_id"), NO_INT,
        ("case__person__name", "reason"),
    ),
    Source.PROGRAMME: (ProgrammeChange, F("kind"), NO_INT, NO_INT, NO_INT, ()),
    Source.CONTACT: (
        ContactChange, Value("", output_field=CharField()), F("county_id"), NO_INT, NO_INT, (),
    ),
    Source.CHANGE: (
        ChangeRecord, F("kind"), F("county_id"), F("case_id"), NO_INT,
        ("case__person__name", "target"),
    ),
}  # fmt: skip


def _kind_field(source: str) -> str | None:
    return {"export": "kind", "event": "kind", "stage": "to_stage", "programme": "kind",
            "change": "kind"}.get(source)  # fmt: skip


def _source_part(source: str, criteria: Criteria) -> QuerySet | None:
    model, kind, county, case, rows, text_fields = SOURCES[source]
    queryset = model.objects.all()
    if criteria.kind:
        wanted_source, _sep, code = criteria.kind.partition(":")
        if wanted_source != source:
            return None
        if code:
            field = _kind_field(source)
            if field is None:
                return None
            queryset = queryset.filter(**{field: code})
    if criteria.actor is not None:
        queryset = queryset.filter(actor_id=criteria.actor)
    if criteria.since is not None:
        queryset = queryset.filter(at__date__gte=criteria.since)
    if criteria.until is not None:
        queryset = queryset.filter(at__date__lte=criteria.until)
    if criteria.county is not None:
        if county is NO_INT:
            return None
        queryset = queryset.annotate(a_filter_county=county).filter(a_filter_county=criteria.county)
    if criteria.text:
        if not text_fields:
            return None
        matches = Q()
        for field in text_fields:
            matches |= Q(**{f"{field}__icontains": criteria.text})
        if source in (Source.EVENT, Source.STAGE, Source.CHANGE) and criteria.text.isdigit():
            matches |= Q(case_id=int(criteria.text))
        queryset = queryset.filter(matches)
    return _common(queryset, source, kind=kind, county=county, case=case, rows=rows)


def audit_records(criteria: Criteria | None = None) -> QuerySet:
    """Every record of processing matching the criteria, newest first, as tuples of (source,
    pk, at, actor id, kind, county id, case id, rows): one SQL union, sliced by its reader."""
    criteria = criteria or Criteria()
    parts = [part for source in SOURCES if (part := _source_part(source, criteria)) is not None]
    if not parts:
        return ExportLog.objects.none().values_list("pk")
    first, *rest = parts
    union = first.union(*rest, all=True) if rest else first
    return union.order_by("-at", "a_source", "-pk")


@dataclass
class AuditRow:
    """One record as the page shows it."""

    source: str
    pk: int
    at: datetime.datetime
    actor: User | None
    kind: str
    what: str
    county: str
    case_id: int | None
    details: str
    rows: int | None


def _field(model, name: str):
    try:
        return model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return None


def _label(model, name: str) -> str:
    """A field's name in the active language (a code of no field as stored)."""
    field = _field(model, name)
    label = getattr(field, "verbose_name", None)
    return str(label) if label else str(FIELD_LABELS.get(name, name))


def _value(model, name: str, value) -> str:
    """A stored value as shown: a choice's label, else as stored; empty as a dash."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    choices = dict(getattr(_field(model, name), "choices", None) or ())
    if isinstance(value, list):
        return "、".join(str(choices.get(item, item)) for item in value)
    return str(choices.get(value, value))


def _one_change(model, field, old, new) -> str:
    return f"{_label(model, field)}: {_value(model, field, old)} → {_value(model, field, new)}"


def _changes_text(changes, model=None) -> str:
    if isinstance(changes, dict):
        return "; ".join(
            _one_change(model, field, old, new) for field, (old, new) in changes.items()
        )
    if isinstance(changes, list):  # [{field, from, to}]: a roster update's, a programme's
        return "; ".join(
            _one_change(model, item.get("field"), item.get("from"), item.get("to"))
            for item in changes
            if isinstance(item, dict)
        )
    return ""


def _fields_text(fields, model=None) -> str:
    if not isinstance(fields, dict):
        return ""
    return "; ".join(
        f"{_label(model, field)}: {_value(model, field, value)}"
        for field, value in fields.items()
        if value not in (None, "", [], {})
    )


# names in change records that are not a field of the record's model
FIELD_LABELS = {
    "answers": gettext_lazy("answers"),
    "new_cases": gettext_lazy("new cases"),
    "updated_cases": gettext_lazy("updated cases"),
    "left_list_candidates": gettext_lazy("left-list candidates"),
    "target": gettext_lazy("record"),
    "invited_on": gettext_lazy("invited on"),
    "return_reason": gettext_lazy("reason returned"),
    "period": gettext_lazy("period"),
    "language": gettext_lazy("language"),
    "file_name": gettext_lazy("file"),
    "month": gettext_lazy("month"),
    "reconciliation": gettext_lazy("reconciliation round"),
    "resurvey": gettext_lazy("re-survey"),
}

# change records whose changes are fields of another model than their target's
CHANGED_MODELS = {"survey": Person}


def _model_of(target: str):
    """The model of a change record's target ("app.model:pk"), if it still exists."""
    label = target.partition(":")[0]
    try:
        return apps.get_model(label) if label else None
    except (LookupError, ValueError):
        return None


def _target_text(target: str) -> str:
    model = _model_of(target)
    if model is None:
        return target
    return f"{model._meta.verbose_name} #{target.partition(':')[2]}"


def _describe(source: str, record, kind: str) -> tuple[str, str]:
    if source == Source.EXPORT:
        return str(EXPORT_KINDS.get(kind, kind)), record.description
    if source == Source.EVENT:
        text = history.event_text(record)
        return history.event_title(record), text
    if source == Source.STAGE:
        title = _("Stage: %(from)s → %(to)s") % {
            "from": record.get_from_stage_display() or "—",
            "to": record.get_to_stage_display(),
        }
        return title, history.change_text(record)
    if source == Source.PROGRAMME:
        model = record.programme_type.model_class()
        target = f"{model._meta.verbose_name if model else ''} #{record.programme_id}"
        changes = _changes_text((record.data or {}).get("changes"), model)
        return record.get_kind_display(), " · ".join(p for p in (target, changes) if p)
    if source == Source.CONTACT:
        role = ContactRole(record.role).label if record.role in ContactRole.values else ""
        changes = _changes_text((record.data or {}).get("changes"), CountyContact)
        return _("Changed the contact table"), " · ".join(p for p in (str(role), changes) if p)
    data = record.data or {}
    model = _model_of(record.target)
    rest = {key: value for key, value in data.items() if key not in ("changes", "fields")}
    parts = [
        _target_text(record.target),
        _changes_text(data.get("changes"), CHANGED_MODELS.get(kind, model)),
        _fields_text(data.get("fields"), model), _fields_text(rest, model),
    ]  # fmt: skip
    return str(CHANGE_KINDS.get(kind, kind)), " · ".join(p for p in parts if p)


def audit_rows(records: Iterable[Sequence]) -> list[AuditRow]:
    """A slice of audit_records worded in the active language, numbers masked."""
    records = list(records)
    by_source: dict[str, list[int]] = {}
    for source, pk, *_rest in records:
        by_source.setdefault(source, []).append(pk)
    related = {
        Source.EVENT: ("case__person",), Source.STAGE: ("case",),
        Source.PROGRAMME: ("programme_type",), Source.CHANGE: ("case",),
    }  # fmt: skip
    objects = {}
    for source, pks in by_source.items():
        model = SOURCES[source][0]
        queryset = model.objects.filter(pk__in=pks).select_related(*related.get(source, ()))
        objects.update({(source, obj.pk): obj for obj in queryset})
    actor_ids = {record[3] for record in records if record[3] is not None}
    county_ids = {record[5] for record in records if record[5] is not None}
    actors = User.objects.in_bulk(actor_ids)
    counties = dict(Region.objects.filter(pk__in=county_ids).values_list("pk", "name"))
    rows = []
    for source, pk, at, actor_id, kind, county_id, case_id, count in records:
        record = objects.get((source, pk))
        if record is None:
            continue
        what, details = _describe(source, record, kind)
        rows.append(AuditRow(
            source=source, pk=pk, at=at, actor=actors.get(actor_id), kind=kind,
            what=str(what), county=counties.get(county_id, ""), case_id=case_id,
            details=mask_numbers_in_text(str(details)), rows=count,
        ))  # fmt: skip
    return rows


class AuditPage(Sequence):
    """audit_records as a sequence a table paginates: its length is one COUNT, a slice reads
    and words only that slice."""

    def __init__(self, records: QuerySet):
        self.records = records
        self._count = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self.records.count()
        return self._count

    def __getitem__(self, index):
        if isinstance(index, slice):
            return audit_rows(self.records[index])
        return audit_rows(self.records[index : index + 1])[0]


def description_of(criteria: Criteria) -> str:
    """The criteria as an export record's description (codes and dates, no wording)."""
    parts = [
        f"{name}={value}"
        for name, value in (
            ("actor", criteria.actor), ("kind", criteria.kind), ("since", criteria.since),
            ("until", criteria.until), ("county", criteria.county), ("q", criteria.text),
        )
        if value not in (None, "")
    ]  # fmt: skip
    return "/audit/ " + " ".join(parts)
