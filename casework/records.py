"""Countable records: where a case was on a given day, its stage that day, and the date rules
every record obeys. The monthly report counts records by these dates and places."""

import datetime

from django.db.models import BigIntegerField, Exists, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import ServiceError
from .models import Case, Stage, StageChange, Transfer

EMPLOYED_STAGES = (Stage.EMPLOYED, Stage.FOLLOWED_UP)


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
    change = case.stage_changes.standing().filter(on__lte=day).order_by("-on", "-at", "-pk")
    change = change.first()
    return change.to_stage if change is not None else None


def employed_on(case: Case, day: datetime.date) -> bool:
    return case_stage_on(case, day) in EMPLOYED_STAGES


# The same two rules as SQL expressions over a queryset of cases, for counting (the monthly
# report): `day` is a date or an expression of the outer row (OuterRef("identified_on")).


def county_on_expression(day, case="pk"):
    """The county the case belonged to on that day (Case.place_on): the sending county of the
    first transfer dated after it, else the case's county now."""
    later = Transfer.objects.filter(case=OuterRef(case), on__gt=day).order_by("on", "pk")
    return Coalesce(
        Subquery(later.values("from_county")[:1]), F("county"), output_field=BigIntegerField()
    )


def stage_on_expression(day, case="pk"):
    """The case's stage at the end of that day (case_stage_on), from its standing changes."""
    changes = StageChange.objects.standing().filter(case=OuterRef(case), on__lte=day)
    return Subquery(changes.order_by("-on", "-at", "-pk").values("to_stage")[:1])


def split_by_county_on(cases: QuerySet[Case], day, name: str) -> tuple[QuerySet, QuerySet]:
    """The cases annotated (`name`) with the county they belonged to on `day`, as two disjoint
    querysets: the many with no transfer after the day (their county now, a plain column) and
    the few with one (county_on_expression) — so that counting by it stays a grouped scan."""
    later = Transfer.objects.filter(case=OuterRef("pk"), on__gt=day)
    return (
        cases.filter(~Exists(later)).annotate(**{name: F("county")}),
        cases.filter(Exists(later)).annotate(**{name: county_on_expression(day)}),
    )


def cases_in_stages_on(cases: QuerySet[Case], day, stages) -> tuple[QuerySet, QuerySet]:
    """The cases whose stage at the end of `day` is one of `stages` (case_stage_on), as two
    disjoint querysets: those with no standing change after the day, whose stage then is their
    stage now (a plain column), and the few changed since, read from their dated changes."""
    later = StageChange.objects.standing().filter(case=OuterRef("pk"), on__gt=day)
    changed_since = cases.filter(Exists(later)).annotate(stage_then=stage_on_expression(day))
    return (
        cases.filter(~Exists(later), stage__in=stages),
        changed_since.filter(stage_then__in=stages),
    )
