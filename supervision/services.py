"""The supervision's writes by people: city staff record inspections and arrange interviews.
(The ladder writes its own months, circulars and interviews: ladder.py.)"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import history
from casework.models import Region, User

from .models import Inspection, Interview

# the notice's work starts in September 2018; a follow-up is set at most two years ahead
FIRST_DAY = datetime.date(2018, 9, 1)
AHEAD = datetime.timedelta(days=2 * 366)


def _not_future(day: datetime.date | None, field: str) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _within_reason(day: datetime.date | None, field: str, after: datetime.date) -> None:
    """Not before the work began (2018-09), nor more than two years after `after`."""
    if day and day < FIRST_DAY:
        raise ValidationError({field: _("The date cannot be before September 2018.")})
    if day and day > after + AHEAD:
        raise ValidationError({field: _("The date cannot be more than two years ahead.")})


@transaction.atomic
def inspection_record(
    *, county: Region, actor: User, held_on: datetime.date, inspectors: str, findings: str,
    follow_up: str = "", follow_up_due: datetime.date | None = None,
    inspection: Inspection | None = None,
) -> Inspection:  # fmt: skip
    """Record a special inspection (专项督导检查) of a county, or correct one already recorded."""
    _not_future(held_on, "held_on")
    _within_reason(held_on, "held_on", held_on)
    _within_reason(follow_up_due, "follow_up_due", held_on)
    if follow_up_due and follow_up_due < held_on:
        raise ValidationError(
            {"follow_up_due": _("The follow-up cannot be due before the inspection.")}
        )
    if follow_up_due and not follow_up.strip():
        raise ValidationError({"follow_up": _("Say what must be followed up by that date.")})
    corrected = inspection is not None
    inspection = inspection or Inspection(county=county)
    before = {name: getattr(inspection, name) for name in INSPECTION_FIELDS}
    inspection.held_on, inspection.inspectors = held_on, inspectors.strip()
    inspection.findings, inspection.follow_up = findings.strip(), follow_up.strip()
    inspection.follow_up_due = follow_up_due
    inspection.recorded_by, inspection.recorded_at = actor, timezone.now()
    inspection.save()
    after = {name: getattr(inspection, name) for name in INSPECTION_FIELDS}
    if corrected:
        changes = history.changes_between(before, after)
        history.change_record(actor=actor, kind="inspection_corrected", county=county,
                              target=inspection, changes=changes)  # fmt: skip
    else:
        history.change_record(actor=actor, kind="inspection_recorded", county=county,
                              target=inspection, fields=after)  # fmt: skip
    return inspection


INSPECTION_FIELDS = ("held_on", "inspectors", "findings", "follow_up", "follow_up_due")
INTERVIEW_FIELDS = ("held_on", "attendees", "outcome", "follow_up_on")


@transaction.atomic
def interview_update(
    *, interview: Interview, actor: User, held_on: datetime.date | None, attendees: str,
    outcome: str, follow_up_on: datetime.date | None,
) -> Interview:  # fmt: skip
    """Arrange an interview (约谈) and record how it went: its date, who attended, the outcome
    and when it is followed up."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    if held_on and held_on < timezone.localdate(interview.created_at):
        raise ValidationError({"held_on": _("The interview cannot be before it was called.")})
    if outcome.strip() and not held_on:
        raise ValidationError({"held_on": _("An outcome needs the interview's date.")})
    if follow_up_on and not held_on:
        raise ValidationError({"held_on": _("A follow-up date needs the interview's date.")})
    today = timezone.localdate()
    _within_reason(held_on, "held_on", today)
    _within_reason(follow_up_on, "follow_up_on", held_on or today)
    if outcome.strip():
        _not_future(held_on, "held_on")
    if follow_up_on and held_on and follow_up_on < held_on:
        raise ValidationError({"follow_up_on": _("The follow-up cannot be before the interview.")})
    before = {name: getattr(interview, name) for name in INTERVIEW_FIELDS}
    interview.held_on, interview.attendees = held_on, attendees.strip()
    interview.outcome, interview.follow_up_on = outcome.strip(), follow_up_on
    interview.updated_by, interview.updated_at = actor, timezone.now()
    interview.save()
    after = {name: getattr(interview, name) for name in INTERVIEW_FIELDS}
    changes = history.changes_between(before, after)
    history.change_record(actor=actor, kind="interview_recorded", county=interview.county_id,
                          target=interview, changes=changes)  # fmt: skip
    return interview
