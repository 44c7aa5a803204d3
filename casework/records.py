"""Countable records: where a case was on a given day, its stage that day, and the date rules
every record obeys. The monthly report counts records by these dates and places."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import ServiceError
from .models import Case, Stage


def located(case: Case, day: datetime.date) -> dict:
    """The county and township fields of a record of this case dated that day (Case.place_on:
    a later transfer changes no past record)."""
    county_id, township_id = case.place_on(day)
    return {"county_id": county_id, "township_id": township_id}


def record_date_check(case: Case, day: datetime.date, *, before_identified: bool = False) -> None:
    """A record's date is not in the future, nor (unless allowed) before the case was
    identified; a refused date raises ServiceError with the reason."""
    if day is None:
        raise ServiceError(_("Give the date."))
    if day > timezone.localdate():
        raise ServiceError(_("The date %(day)s is in the future.") % {"day": day.isoformat()})
    if not before_identified and day < case.identified_on:
        raise ServiceError(
            _("The date %(day)s is before the case was identified (%(identified)s).")
            % {"day": day.isoformat(), "identified": case.identified_on.isoformat()}
        )


def case_stage_on(case: Case, day: datetime.date) -> str | None:
    """The case's stage at the end of that day, from its dated stage changes."""
    change = case.stage_changes.filter(on__lte=day).order_by("-on", "-at", "-pk").first()
    return change.to_stage if change is not None else None


def employed_on(case: Case, day: datetime.date) -> bool:
    return case_stage_on(case, day) in (Stage.EMPLOYED, Stage.FOLLOWED_UP)
