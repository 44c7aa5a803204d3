"""Writes to the registry. Each takes the acting user and leaves a history row."""

import datetime

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.fsm import TransitionNotAllowed

from . import history, selectors
from .errors import ServiceError
from .exports import export_logged
from .idnumber import mask_id_number, parse_id_number
from .models import (
    Case,
    CloseReason,
    Person,
    Region,
    Role,
    Stage,
    StageChange,
    Survey,
    User,
)
from .survey.choices import WORKING

# --- regions -------------------------------------------------------------------------


def _next_child_code(parent: Region, width: int) -> str:
    prefix = parent.code
    codes = parent.children.filter(code__startswith=prefix).values_list("code", flat=True)
    used = [int(code[len(prefix) :]) for code in codes if code[len(prefix) :].isdigit()]
    return f"{prefix}{(max(used, default=0) + 1):0{width}d}"


@transaction.atomic
def region_ensure(*, parent: Region, name: str) -> tuple[Region, bool]:
    """The township or village of that name under parent, created with the next code if new.

    Codes follow the statistical division pattern: county 6 digits, township +3, village +3.
    """
    name = name.strip()
    existing = parent.children.filter(name=name).first()
    if existing is not None:
        return existing, False
    level = {
        Region.Level.COUNTY: Region.Level.TOWNSHIP,
        Region.Level.TOWNSHIP: Region.Level.VILLAGE,
    }.get(parent.level)
    if level is None:
        raise ServiceError(_("Only townships and villages can be added under a region."))
    region = Region.objects.create(
        parent=parent, name=name, level=level, code=_next_child_code(parent, 3)
    )
    return region, True


# --- staff ---------------------------------------------------------------------------

ROLE_REGION_LEVELS = {
    Role.CASEWORKER: {Region.Level.TOWNSHIP, Region.Level.VILLAGE},
    Role.COUNTY_SUPERVISOR: {Region.Level.COUNTY},
    Role.CITY_STAFF: {Region.Level.CITY},
    Role.ADMIN: {Region.Level.CITY, Region.Level.COUNTY},
}


def staff_validate_regions(*, role: str, regions: list[Region]) -> None:
    """A caseworker works townships or villages, a supervisor a county, city staff the city."""
    allowed = ROLE_REGION_LEVELS[Role(role)]
    if not regions and role != Role.ADMIN:
        raise ServiceError(_("Give at least one region."))
    wrong = [region for region in regions if region.level not in allowed]
    if wrong:
        levels = "、".join(str(Region.Level(level).label) for level in sorted(allowed))
        raise ServiceError(
            _("A %(role)s is scoped to: %(levels)s; %(region)s is not one.")
            % {"role": Role(role).label, "levels": levels, "region": wrong[0].path or wrong[0]}
        )


@transaction.atomic
def staff_assign(
    *, user: User, role: str, regions: list[Region], actor: User | None = None
) -> User:
    """Give a staff member one role (its group) and replace their regions."""
    staff_validate_regions(role=role, regions=regions)
    role_groups = Group.objects.filter(name__in=Role.values)
    user.groups.remove(*role_groups)
    user.groups.add(Group.objects.get(name=role))
    user.regions.set(regions)
    user.is_staff = role == Role.ADMIN
    user.save(update_fields=["is_staff"])
    user.__dict__.pop("role", None)
    user.__dict__.pop("_casework_scope", None)
    return user


@transaction.atomic
def staff_password_set(
    *, user: User, password: str, temporary: bool = False, actor: User | None = None
) -> User:
    """Set a password (checked by the caller against the validators); a temporary one, given
    by an administrator, must be changed at the next login. A saved account's change is
    recorded (never the password); a new account's is its creation in the admin's log."""
    user.set_password(password)
    user.must_change_password = temporary
    if user.pk:
        user.save(update_fields=["password", "must_change_password"])
        history.change_record(actor=actor, kind="password_set", target=user,
                              data={"user": user.username, "temporary": temporary})  # fmt: skip
    return user


def staff_sessions_end(*, user: User) -> int:
    """End every session of a staff member (a deactivated account); returns how many."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()
            ended += 1
    return ended


# --- cases ---------------------------------------------------------------------------


@transaction.atomic
def case_register(
    *,
    id_number: str,
    name: str,
    region: Region,
    actor: User | None,
    identified_on: datetime.date | None = None,
    owner: User | None = None,
    source: str = "",
    **person_fields,
) -> Case:
    """Register a laborer from the poverty office's list as a new case (stage: identified)."""
    if region.level not in (Region.Level.TOWNSHIP, Region.Level.VILLAGE):
        raise ServiceError(_("A case belongs to a township or a village."))
    identity = parse_id_number(id_number)
    if Person.objects.filter(id_number=identity.number).exists():
        raise ServiceError(_("A case with this ID number already exists."))
    person = Person.objects.create(
        id_number=identity.number,
        name=name.strip(),
        sex=identity.sex,
        birth_date=identity.birth_date,
        **person_fields,
    )
    township = region if region.level == Region.Level.TOWNSHIP else region.parent
    identified_on = identified_on or timezone.localdate()
    case = Case.objects.create(
        person=person,
        region=region,
        township=township,
        county_id=township.county_id,
        owner=owner,
        identified_on=identified_on,
    )
    StageChange.objects.create(
        case=case,
        from_stage="",
        to_stage=Stage.IDENTIFIED,
        transition="identify",
        actor=actor,
        at=moment_of(identified_on),
        on=identified_on,
        county_id=case.county_id,
        township_id=case.township_id,
        source=source,
    )
    return case


def moment_of(day: datetime.date) -> datetime.datetime:
    """Now for today, else the start of that (local) day: a dated record with no clock time."""
    if day >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def transition_error_message(case: Case, transition: str):
    target = {
        "survey": Stage.SURVEYED,
        "assist": Stage.ASSISTED,
        "place": Stage.EMPLOYED,
        "follow_up": Stage.FOLLOWED_UP,
        "lose_job": Stage.ASSISTED,
        "close": Stage.CLOSED,
    }.get(transition)
    if target is None:
        return _("This change is not allowed at the stage “%(stage)s”.") % {
            "stage": Stage(case.stage).label
        }
    return _("A case at the stage “%(source)s” cannot move to “%(target)s”.") % {
        "source": Stage(case.stage).label,
        "target": Stage(target).label,
    }


@transaction.atomic
def case_transition(
    *,
    case: Case,
    transition: str,
    actor: User | None,
    reason: str = "",
    at: datetime.datetime | None = None,
    on: datetime.date | None = None,
    source: str = "",
    data: dict | None = None,
    **arguments,
) -> StageChange:
    """Move a case's stage through its guarded transition and record who, when and why.

    `on` is the day it happened (the record that moved it: a survey's date, a placement's),
    today by default; it is not before the case's previous stage change. A refused transition
    raises ServiceError and leaves the case as it was.
    """
    method = getattr(case, transition, None)
    if method is None or not hasattr(method, "can_proceed"):
        raise ServiceError(_("Unknown stage change."))
    on = on or (timezone.localdate(at) if at else timezone.localdate())
    previous = case.stage_changes.standing().order_by("-on", "-at", "-pk").first()
    if previous is not None and on < previous.on:
        raise ServiceError(
            _("This change cannot be dated %(day)s, before the case's previous stage change "
              "(%(previous)s).") % {"day": on.isoformat(), "previous": previous.on.isoformat()}
        )  # fmt: skip
    from_stage = case.stage
    try:
        method(**arguments)
    except TransitionNotAllowed:
        raise ServiceError(transition_error_message(case, transition)) from None
    # only what a transition changes: other fields may have moved on since the case was read
    case.save(update_fields=["stage", "closed_on", "closed_reason", "updated_at"])
    return StageChange.objects.create(
        case=case,
        from_stage=from_stage,
        to_stage=case.stage,
        transition=transition,
        actor=actor,
        at=at or moment_of(on),
        on=on,
        reason=reason,
        source=source,
        data=data or {},
    )


def case_close(
    *,
    case: Case,
    reason: str,
    actor: User | None,
    note: str = "",
    at=None,
    data: dict | None = None,
) -> StageChange:
    """Close a case for one of the stated reasons (kept as its code, the note as typed)."""
    if reason not in CloseReason.values:
        raise ServiceError(_("Choose a reason for closing."))
    at = at or timezone.now()
    return case_transition(
        case=case,
        transition="close",
        actor=actor,
        reason=note,
        data={"reason": reason, **(data or {})},
        at=at,
        on=timezone.localdate(at),
        reason_code=reason,
        closed_on=timezone.localdate(at),
    )


@transaction.atomic
def case_undo_last_change(*, case: Case, actor: User, reason: str) -> StageChange:
    """Undo the case's last stage change, with a reason (a supervisor's correction)."""
    if not reason.strip():
        raise ServiceError(_("Give a reason for undoing the change."))
    last = case.stage_changes.standing().exclude(transition="identify").order_by("-at", "-pk")
    last = last.first()
    if last is None or last.to_stage != case.stage or not last.from_stage:
        raise ServiceError(_("This case has no stage change to undo."))
    undo = case_transition(
        case=case, transition="undo", actor=actor, reason=reason, to=last.from_stage
    )
    undo.undoes = last
    undo.save(update_fields=["undoes"])
    return undo


# --- personal numbers ------------------------------------------------------------------

REVEAL_KINDS = {"id_number": "reveal_id", "phone": "reveal_phone"}


@transaction.atomic
def case_number_reveal(*, case: Case, actor: User, what: str) -> str:
    """A case's full ID or phone number, asked for by name; every reveal is recorded."""
    if what not in REVEAL_KINDS:
        raise ServiceError(_("Choose the ID number or the phone number."))
    number = getattr(case.person, what)
    if not number:
        raise ServiceError(_("There is no such number to show."))
    export_logged(
        actor=actor,
        kind=REVEAL_KINDS[what],
        description=f"case #{case.pk} {case.person.name}",
        rows=1,
        full_id_numbers=what == "id_number",
    )
    return number


FINDS_PER_HOUR = 20


def case_find_by_id_number(*, actor: User, cases, id_number: str) -> Case | None:
    """The case among `cases` (the actor's) with this whole ID number, if any. Each search is
    recorded and a user makes at most FINDS_PER_HOUR an hour: with the masked number and the
    age a page shows, a few dozen guesses would otherwise rebuild a number quietly."""
    key = f"casework-finds:{actor.pk}:{timezone.now():%Y%m%d%H}"
    cache.add(key, 0, timeout=3600)
    if cache.incr(key) > FINDS_PER_HOUR:
        raise ServiceError(_("Too many searches by whole ID number: try again in an hour."))
    case = selectors.case_with_id_number(cases, id_number)
    export_logged(
        actor=actor, kind="find", rows=1 if case else 0,
        description=f"{mask_id_number(id_number)} → {f'case #{case.pk}' if case else '—'}",
    )  # fmt: skip
    return case


def trade_wish_of(survey: Survey | None) -> str | None:
    """What the needs list's trade totals count for a case whose latest survey this is: the
    trade of a skill-training wish while not in work ("" without a trade), else None."""
    if survey is None or survey.employment_status in WORKING:
        return None
    if not (survey.training_wish and survey.training_kind == "skill"):
        return None
    return survey.training_trade or ""


def latest_survey_set(case: Case) -> None:
    """Point the case at its latest survey and copy that survey's trade wish (Case.trade_wish)."""
    latest = case.surveys.order_by("-surveyed_on", "-pk").first()
    case.latest_survey_id = latest.pk if latest else None
    case.trade_wish = trade_wish_of(latest)
    Case.objects.filter(pk=case.pk).update(
        latest_survey=case.latest_survey_id, trade_wish=case.trade_wish
    )


def case_trade_wish_refresh() -> int:
    """Copy every case's trade wish from its latest survey where it differs (after writes that
    bypass latest_survey_set, such as a bulk load); how many changed. The same rule as
    trade_wish_of, in SQL."""
    working = ", ".join(f"'{status}'" for status in WORKING)
    wish = (
        "(SELECT COALESCE(s.training_trade, '') FROM casework_survey s "
        "WHERE s.id = casework_case.latest_survey_id AND s.training_wish = %s "
        f"AND s.training_kind = 'skill' AND s.employment_status NOT IN ({working}))"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE casework_case SET trade_wish = {wish} "
            f"WHERE trade_wish IS DISTINCT FROM {wish}",
            [True, True],
        )
        return cursor.rowcount


def case_sort_keys_refresh() -> int:
    """Copy every case's place code and laborer's name to its list sort keys, where they
    differ (after writes that bypass the models, such as a bulk load); how many changed."""
    place = Region.objects.filter(pk=OuterRef("region_id")).values("code")[:1]
    name = Person.objects.filter(pk=OuterRef("person_id")).values("name")[:1]
    stale = Case.objects.exclude(place_code=Subquery(place), person_name=Subquery(name))
    return stale.update(place_code=Subquery(place), person_name=Subquery(name))
