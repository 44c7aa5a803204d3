"""Correcting a programme: an edit that keeps its placements and enrolments inside it, closing
it (no deletion of what has placements), and the log of both; a programme's own facts."""

import datetime
import decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max, Min, Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access
from casework.errors import ServiceError
from casework.models import (
    Course,
    Placement,
    ProgrammeChange,
    PublicPost,
    RecruitmentEvent,
    User,
    Vacancy,
    Workshop,
)
from casework.survey import Industry, Trade

# fields kept as codes whose words are not the model field's own choices
CODED = {"industry": Industry, "trade": Trade}


def _placements(programme) -> QuerySet[Placement]:
    if isinstance(programme, Vacancy):
        return Placement.objects.filter(vacancy=programme)
    field = {RecruitmentEvent: "event", Workshop: "workshop", PublicPost: "public_post"}
    return Placement.objects.filter(**{field[type(programme)]: programme})


def programme_posts_taken(programme) -> int:
    """Laborers holding one of its posts now (placed, their employment not ended)."""
    return (
        _placements(programme)
        .filter(employment__isnull=False, employment__ended_on__isnull=True)
        .count()
    )


def programme_edit_problems(programme, values: dict) -> dict[str, str]:
    """What an edit to `values` would break, by field: fewer posts than laborers hold, or
    dates that leave placements (completions, for a course) outside the programme's period."""
    problems: dict[str, str] = {}
    start = values.get("starts_on", getattr(programme, "starts_on", None))
    end = values.get("ends_on", getattr(programme, "ends_on", None))
    if start and end and end < start:
        problems["ends_on"] = _("The end date cannot be before the start date.")
    if "positions" in values and values["positions"] is not None:
        taken = programme_posts_taken(programme)
        if values["positions"] < taken:
            problems["positions"] = _(
                "%(count)s laborers hold these posts now: there cannot be fewer posts."
            ) % {"count": taken}
    if isinstance(programme, Course):
        first = programme.enrolments.aggregate(first=Min("completed_on"))["first"]
        if start and first and start > first:
            problems["starts_on"] = _(
                "A laborer completed the course on %(day)s: it cannot start later."
            ) % {"day": first.isoformat()}
        return problems
    if isinstance(programme, Vacancy):
        return problems
    span = _placements(programme).aggregate(first=Min("placed_on"), last=Max("placed_on"))
    first, last = span["first"], span["last"]
    begins = {"held_on": values.get("held_on"), "founded_on": values.get("founded_on"),
              "starts_on": values.get("starts_on")}  # fmt: skip
    for name, day in begins.items():
        if day and first and day > first:
            problems[name] = _(
                "A laborer was placed through it on %(day)s: it cannot begin later."
            ) % {"day": first.isoformat()}
    if isinstance(programme, PublicPost) and end and last and end < last:
        problems["ends_on"] = _(
            "A laborer was placed in these posts on %(day)s: they cannot end earlier."
        ) % {"day": last.isoformat()}
    return problems


def _stored(value) -> object:
    """A field's value as the change log keeps it (JSON)."""
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, (datetime.date, decimal.Decimal)):
        return str(value)
    return value


def _change_record(programme, *, actor: User, kind: str, data: dict) -> ProgrammeChange:
    return ProgrammeChange.objects.create(
        programme_type=ContentType.objects.get_for_model(programme),
        programme_id=programme.pk, kind=kind, data=data, actor=actor,
    )  # fmt: skip


@transaction.atomic
def programme_edit(*, programme, actor: User, values: dict):
    """Change a programme's fields (its county stays); refused when placements or enrolments
    would fall outside it; the fields changed are logged with their values before and after."""
    access.require(access.may_manage_programmes(actor, programme.county_id))
    model = type(programme)
    programme = model.objects.select_for_update().get(pk=programme.pk)
    values = {name: value for name, value in values.items() if name != "county"}
    problems = programme_edit_problems(programme, values)
    if problems:
        raise ServiceError(" ".join(problems.values()))
    changes = []
    for name, value in values.items():
        before = getattr(programme, name)
        if before == value or (before in ("", None) and value in ("", None)):
            continue
        changes.append({"field": name, "from": _stored(before), "to": _stored(value)})
        setattr(programme, name, value)
    if changes:
        programme.save()
        _change_record(programme, actor=actor, kind=ProgrammeChange.Kind.EDITED,
                       data={"changes": changes})  # fmt: skip
    return programme


@transaction.atomic
def programme_close(*, programme, actor: User):
    """Close a programme: it offers no new placements, enrolments or invitations; every record
    it has stays."""
    access.require(access.may_manage_programmes(actor, programme.county_id))
    programme = type(programme).objects.select_for_update().get(pk=programme.pk)
    if programme.closed_on is not None:
        raise ServiceError(_("This programme is already closed."))
    programme.closed_on = timezone.localdate()
    programme.save(update_fields=["closed_on"])
    _change_record(programme, actor=actor, kind=ProgrammeChange.Kind.CLOSED,
                   data={"on": programme.closed_on.isoformat()})  # fmt: skip
    return programme


def _worded(model, name: str, value) -> str:
    if value in ("", None):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    field = model._meta.get_field(name)
    choices = dict(CODED[name].choices) if name in CODED else dict(field.choices or ())
    return str(choices.get(value, value))


def programme_facts(programme, fields) -> list[tuple[str, str]]:
    """The programme's own fields, labelled and worded (its name and county are the heading)."""
    model = type(programme)
    return [
        (str(model._meta.get_field(name).verbose_name),
         _worded(model, name, _stored(getattr(programme, name))))
        for name in fields
        if name not in ("county", "name")
    ]  # fmt: skip


def programme_changes(programme) -> list[dict]:
    """The programme's edits and closing, newest first, worded in the viewer's language."""
    model = type(programme)
    rows = ProgrammeChange.objects.filter(
        programme_type=ContentType.objects.get_for_model(programme), programme_id=programme.pk
    ).select_related("actor")
    return [
        {
            "change": change,
            "details": [
                (
                    str(model._meta.get_field(item["field"]).verbose_name),
                    _worded(model, item["field"], item["from"]),
                    _worded(model, item["field"], item["to"]),
                )
                for item in change.data.get("changes", [])
            ],
        }  # fmt: skip
        for change in rows
    ]
