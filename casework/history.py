"""The case history: the one writer of CaseEvent rows (a code and data) and their text.

A row stores what happened as an event code and plain data (ids, codes, names and notes as
typed, dates as ISO text), never wording; `event_text` words it in the viewer's language when
it is shown. Once the writing transaction commits, `case_event_recorded` is sent for each row:
the point later notifications fan out from.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from casework.idnumber import mask_numbers_in_text
from casework.models import (
    Case,
    CaseEvent,
    ChangeRecord,
    CloseReason,
    Person,
    Region,
    StageChange,
    User,
)

# Sent once per recorded event after its transaction commits (never if it rolls back), with
# sender=CaseEvent and event=<the CaseEvent>.
case_event_recorded = Signal()

# Labels of codes owned by apps above the registry (the workflows' task kinds), registered by
# those apps when they start so that the history can word them without importing upwards.
CHOICES: dict[str, type[models.Choices]] = {}


def choices_register(name: str, choices: type[models.Choices]) -> None:
    """Let the history show the labels of `choices` for data stored under `name`."""
    CHOICES[name] = choices


def person_name(user: User | None) -> str | None:
    """A staff member's name as data: the full name, else the username; None for nobody."""
    if user is None:
        return None
    return user.get_full_name() or user.username


# --- writing ---------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Data as JSON keeps it: dates as ISO text; translated wording is refused."""
    if isinstance(value, Promise):
        raise TypeError("history data holds codes and typed text, not translated wording")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _build(*, case: Case, kind: str, actor=None, task=None, data=None, at=None) -> CaseEvent:
    if kind not in CaseEvent.Kind.values:
        raise ValueError(f"unknown case event kind {kind!r}")
    return CaseEvent(
        case=case, kind=kind, actor=actor, task=task, data=_plain(data or {}),
        at=at or timezone.now(),
    )  # fmt: skip


def _announce(events: list[CaseEvent]) -> None:
    def send():
        for event in events:
            case_event_recorded.send(sender=CaseEvent, event=event)

    transaction.on_commit(send, robust=True)


def case_event_record(
    *,
    case: Case,
    kind: str,
    actor: User | None = None,
    task=None,
    data: dict | None = None,
    at: datetime.datetime | None = None,
) -> CaseEvent:
    """Record one event of a case's history; announced once the transaction commits."""
    event = _build(case=case, kind=kind, actor=actor, task=task, data=data, at=at)
    event.save()
    _announce([event])
    return event


def case_events_record(events: Iterable[dict]) -> list[CaseEvent]:
    """Record many events at once (imports): each dict holds case_event_record's arguments."""
    built = [_build(**event) for event in events]
    if built:
        CaseEvent.objects.bulk_create(built, batch_size=2000)
        _announce(built)
    return built


def case_events_announce(events: Iterable[CaseEvent]) -> None:
    """Announce events a set-based insert wrote (the quarterly re-surveys), as the writers above
    do: once the transaction commits."""
    _announce(list(events))


def _masked(value: Any) -> Any:
    """A value as a change record keeps it: ID and mobile numbers in text masked."""
    if isinstance(value, str):
        return mask_numbers_in_text(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value


def fields_of(instance: models.Model, exclude: Iterable[str] = ()) -> dict:
    """A new record's stored values as change-record data: {field: value} of its concrete
    fields, relations, the primary key and empty values left out."""
    values = {}
    for field in instance._meta.concrete_fields:
        # relations (the case, its place, who recorded it) are the change record's own columns;
        # fields nobody types (a creation time) say nothing the record's own time does not
        if field.primary_key or field.is_relation or not field.editable or field.name in exclude:
            continue
        value = getattr(instance, field.attname)
        if value in (None, "", [], {}):
            continue
        values[field.name] = (
            value
            if isinstance(value, bool | int | float | str | list | dict)
            else (value.isoformat() if isinstance(value, datetime.date) else str(value))
        )
    return values


def changes_between(before: dict, after: dict) -> dict:
    """The fields whose value differs, as {field: [old, new]} (what an edit changed)."""
    return {
        field: [before.get(field), value]
        for field, value in after.items()
        if _plain(before.get(field)) != _plain(value)
    }


def change_record(
    *,
    actor: User | None,
    kind: str,
    case: Case | None = None,
    county: Region | int | None = None,
    target: models.Model | None = None,
    changes: dict | None = None,
    fields: dict | None = None,
    data: dict | None = None,
) -> ChangeRecord:
    """Record a write that no history row of its own records: who, what, where, and the
    fields it set (`fields`, a creation's values) or changed (`changes`, {field: [old, new]});
    numbers in them are kept masked."""
    county_id = county.pk if isinstance(county, Region) else county
    if county_id is None and case is not None:
        county_id = case.county_id
    details = dict(data or {})
    if changes is not None:
        details["changes"] = changes
    if fields is not None:
        details["fields"] = fields
    return ChangeRecord.objects.create(
        actor=actor, kind=kind, case=case, county_id=county_id,
        target=f"{target._meta.label_lower}:{target.pk}" if target is not None else "",
        data=_masked(_plain(details)),
    )  # fmt: skip


def change_records(*, actor: User | None, kind: str, cases: Iterable[Case], data: dict) -> int:
    """One change record per case of a batch action (the same data on each)."""
    details = _masked(_plain(data))
    records = [
        ChangeRecord(actor=actor, kind=kind, case=case, county_id=case.county_id, data=details)
        for case in cases
    ]
    ChangeRecord.objects.bulk_create(records, batch_size=2000)
    return len(records)


# --- showing ---------------------------------------------------------------------------------


def _label(choices: type[models.Choices] | None, code) -> str:
    if choices is None or code is None:
        return code or ""
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code)


def close_reason_label(code) -> str:
    """A closing reason in the active language (an unknown code as stored)."""
    return _label(CloseReason, code)


def _join(*parts) -> str:
    return " ".join(str(part) for part in parts if part)


def _name(value) -> str:
    return value if value else _("nobody")


def _roster(data: dict, text: str) -> str:
    """Text prefixed with the roster import that caused it, when one did."""
    if data.get("roster_import") is None:
        return text
    label = _("roster import #%(id)s") % {"id": data["roster_import"]}
    return _("%(label)s: %(text)s") % {"label": label, "text": text} if text else label


def _quarter(data: dict) -> str:
    """A generated re-survey's quarter and due date ("" for one started by hand)."""
    if not data.get("quarter"):
        return ""
    quarter = datetime.date.fromisoformat(data["quarter"])
    return _("Quarterly re-survey of %(year)s Q%(number)s, due on %(due_on)s") % {
        "year": quarter.year,
        "number": (quarter.month + 2) // 3,
        "due_on": data.get("due_on"),
    }


def _change(change: dict) -> str:
    field = change.get("field")
    if field == "region":
        label, choices = _("region"), None
    else:
        try:
            model_field = Person._meta.get_field(field)
        except Exception:  # a field since removed: its name as stored
            label, choices = field, None
        else:
            label = model_field.verbose_name
            choices = getattr(model_field, "choices", None)
    old, new = change.get("from"), change.get("to")
    if choices:
        labels = dict(choices)
        old, new = labels.get(old, old), labels.get(new, new)
    return f"{label}: {old or '—'} → {new or '—'}"


def _task_kind(data: dict) -> str:
    return _label(CHOICES.get("task_kind"), data.get("task_kind"))


def _release(data):
    if data.get("roster_import") is None:
        return ""
    return _("%(label)s: the laborer moved out of the regions of %(user)s") % {
        "label": _("roster import #%(id)s") % {"id": data["roster_import"]},
        "user": _name(data.get("user")),
    }


def _handed(data):
    return f"{_name(data.get('from_user'))} → {_name(data.get('to_user'))}"


def _complete(data):
    if data.get("settled"):
        return _("%(task)s · settled by what was recorded") % {"task": _task_kind(data)}
    return _task_kind(data)


def _merged(data):
    return _("Case #%(from)s (%(old)s) merged into case #%(to)s") % {
        "from": data.get("from_case"), "old": data.get("from_id_number") or "—",
        "to": data.get("into_case"),
    }  # fmt: skip


def _left_list(data):
    if data.get("file_name") is None:
        return _roster(data, "")
    return f"{data['file_name']} ({data.get('imported_on') or '—'})"


def _escalated(data):
    """A ladder step: the task, how late, who was told (the ids in "notify" are for delivery)."""
    step, holder = data.get("step"), data.get("holder")
    if step == "owner" and holder:
        text = _("%(task)s due on %(due)s: reminder to %(holder)s")
    elif step == "owner":
        text = _("%(task)s due on %(due)s and claimed by nobody: reminder to the county supervisor")
    elif step == "city_staff":
        text = _("%(task)s %(days)s working days overdue (due on %(due)s): reported to city staff")
    else:
        text = _(
            "%(task)s %(days)s working days overdue (due on %(due)s): reported to the county "
            "supervisor"
        )
    return text % {
        "task": _task_kind(data), "due": data.get("due_on") or "—",
        "days": data.get("days_overdue", 0), "holder": holder,
    }  # fmt: skip


K = CaseEvent.Kind
TEXT = {
    K.CLAIM: lambda data: "",
    K.RELEASE: _release,
    K.HAND_OVER: _handed,
    K.REASSIGN: _handed,
    K.COMPLETE: _complete,
    K.CANCEL: _task_kind,
    K.ASSISTANCE: lambda data: data.get("note", ""),
    K.CLOSE_REQUEST: lambda data: _join(_label(CloseReason, data.get("reason")), data.get("note")),
    K.CLOSE_APPROVE: lambda data: data.get("comment", ""),
    K.CLOSE_REFUSE: lambda data: data.get("comment", ""),
    K.TRANSFER_REQUEST: lambda data: _join(f"→ {data.get('to_county') or '—'}", data.get("note")),
    K.TRANSFER_ACCEPT: lambda data: _join(
        f"{data.get('from_county') or '—'} → {data.get('to_region') or '—'}", data.get("comment")
    ),
    K.TRANSFER_REFUSE: lambda data: data.get("comment", ""),
    K.RESURVEY_START: _quarter,
    K.UNDO: lambda data: data.get("reason", ""),
    K.OWNER: lambda data: _roster(
        data, _("Responsible caseworker: %(user)s") % {"user": _name(data.get("user"))}
    ),
    K.ROSTER_UPDATE: lambda data: _roster(
        data, "; ".join(_change(change) for change in data.get("changes", []))
    ),
    K.LEFT_LIST: _left_list,
    K.ID_CORRECTED: lambda data: f"{data.get('old') or '—'} → {data.get('new') or '—'}",
    K.MERGED: _merged,
    K.TASK_ESCALATED: _escalated,
    K.LEGACY_TEXT: lambda data: data.get("text", ""),
    K.NUMBERS_ERASED: lambda data: (
        _("Closed for more than %(years)s years: ID number, phone and birth date erased")
        % {"years": data.get("years", "—")}
    ),
}


def event_title(event: CaseEvent) -> str:
    """What happened, in the active language (an earlier entry keeps its own kind's name)."""
    if event.kind == CaseEvent.Kind.LEGACY_TEXT:
        return _label(CaseEvent.Kind, event.data.get("kind")) or event.get_kind_display()
    return event.get_kind_display()


def event_text(event: CaseEvent) -> str:
    """The event's details worded in the active language, its data as typed."""
    render = TEXT.get(event.kind)
    return render(event.data or {}) if render is not None else ""


def change_text(change: StageChange) -> str:
    """A stage change's details in the active language: its closing reason or the merge that
    closed it, then the reason as typed."""
    data = change.data or {}
    merged = data.get("merged_into")
    return _join(
        _label(CloseReason, data.get("reason")),
        _("merged into case #%(to)s") % {"to": merged} if merged else "",
        change.reason,
    )


def change_source(change: StageChange) -> str:
    """Who or what made a stage change that no user made: the roster import, or as stored."""
    data = change.data or {}
    if data.get("roster_import") is not None:
        return _("roster import #%(id)s") % {"id": data["roster_import"]}
    return change.source or _("system")
