"""Assistance programmes: recruitment events, workshops, public-welfare posts, training
courses; placements and enrolments recorded one by one or in batch; outreach and benefits."""

import datetime
import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import access, history, records
from casework.errors import ServiceError
from casework.models import (
    Benefit,
    Case,
    Confirmation,
    Course,
    Employment,
    EmploymentForm,
    Enrolment,
    Invitation,
    LocationClass,
    Outreach,
    Placement,
    PublicPost,
    Reconciliation,
    RecruitmentEvent,
    Stage,
    User,
    Vacancy,
    Workshop,
)
from casework.recording import case_assisted
from casework.survey import WORKING, WishedForm, WishedLocation
from workflows.services import place_in_work


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type
    title: object
    fields: tuple
    columns: tuple
    action: str  # "place" or "enrol"


KINDS = {
    kind.slug: kind
    for kind in [
        Kind("vacancies", Vacancy, gettext_lazy("Vacancies of local employers"),
             ("county", "name", "employer", "post", "positions", "wage", "place",
              "requirements", "industry", "suits_poor_laborers"),
             ("name", "employer", "positions", "wage", "suits_poor_laborers"), "invite"),
        Kind("events", RecruitmentEvent, gettext_lazy("Recruitment events"),
             ("county", "name", "campaign", "held_on", "place", "employers"),
             ("name", "campaign", "held_on", "place"), "place"),
        Kind("workshops", Workshop, gettext_lazy("Poverty-alleviation workshops"),
             ("county", "name", "township", "village", "enterprise", "founded_on",
              "rent_subsidy", "utility_subsidy"),
             ("name", "township", "enterprise", "founded_on"), "place"),
        Kind("posts", PublicPost, gettext_lazy("Public-welfare posts"),
             ("county", "name", "post_type", "positions", "employer", "monthly_subsidy",
              "starts_on", "ends_on"),
             ("name", "post_type", "positions", "employer", "starts_on"), "place"),
        Kind("courses", Course, gettext_lazy("Training courses"),
             ("county", "name", "kind", "trade", "provider", "starts_on", "ends_on"),
             ("name", "kind", "trade", "provider", "starts_on"), "enrol"),
    ]
}  # fmt: skip
PLACEMENT_KIND = {RecruitmentEvent: "event", Workshop: "workshop", PublicPost: "public_post"}


def programmes_visible_to(user: User, model) -> QuerySet:
    """Programmes of the counties the user works in."""
    return access.county_records_visible_to(user, model)


def placement_programmes(county_id: int) -> list[tuple[str, object]]:
    """The events, workshops and posts of a county a laborer can be placed through."""
    return [
        (kind, item)
        for model, kind in PLACEMENT_KIND.items()
        for item in model.objects.filter(county_id=county_id, closed_on__isnull=True).order_by(
            "-created_at"
        )[:30]
    ]


def programme_open_check(programme) -> None:
    """Refuse new placements, enrolments and invitations for a closed programme."""
    if programme.closed_on is not None:
        raise ServiceError(
            _("%(programme)s was closed on %(day)s: it takes nobody new.")
            % {"programme": programme.name, "day": programme.closed_on.isoformat()}
        )


def candidates_for(programme, user: User) -> QuerySet[Case]:
    """Laborers the programme may help: surveyed, not in work, of its county (a workshop's
    township), in the user's regions; for a course, those wishing that training first."""
    cases = access.cases_visible_to(user).filter(county_id=programme.county_id)
    if isinstance(programme, Workshop):
        cases = cases.filter(township_id=programme.township_id)
    cases = cases.filter(stage__in=[Stage.SURVEYED, Stage.ASSISTED]).exclude(
        latest_survey__employment_status__in=WORKING
    )
    if isinstance(programme, Course):
        cases = cases.exclude(enrolments__course=programme)
    return cases.select_related("person", "township", "region", "latest_survey").order_by(
        "township__code", "person__name"
    )


LOCAL_WISHES = [WishedLocation.IN_COUNTY, WishedLocation.IN_TOWNSHIP]
WAGE_ORDER = ["1000-2000", "2000-3000", "3000-4000", "4000-5000", "5000+"]


def matches_for(programme, user: User) -> QuerySet[Case]:
    """Laborers whose wishes fit the programme (双向推介), to invite them.

    A course: those wishing that kind of training (and, for skills, that trade). A local job
    (vacancy, event, workshop, public post): those wishing to work for a unit or flexibly near
    home; a vacancy also needs its wage to meet their expectation.
    """
    cases = candidates_for(programme, user)
    if isinstance(programme, Course):
        cases = cases.filter(latest_survey__training_wish=True,
                             latest_survey__training_kind=programme.kind)  # fmt: skip
        if programme.kind == Course.Kind.SKILL:
            cases = cases.filter(latest_survey__training_trade=programme.trade)
        return cases
    cases = cases.filter(
        latest_survey__wished_form__in=[WishedForm.EMPLOYEE, WishedForm.FLEXIBLE],
        latest_survey__wished_location__in=LOCAL_WISHES,
    )
    if isinstance(programme, Vacancy) and not programme.suits_poor_laborers:
        return cases.none()  # the notice asks to offer only the posts that suit them
    if isinstance(programme, Vacancy) and programme.wage in WAGE_ORDER:
        affordable = WAGE_ORDER[: WAGE_ORDER.index(programme.wage) + 1]
        cases = cases.filter(latest_survey__wage_expectation__in=[*affordable, ""])
    return cases


def invitations_record(*, programme, actor: User, cases, on: datetime.date) -> int:
    """Record that these laborers were invited to the programme."""
    programme_open_check(programme)
    for case in cases:
        access.require(access.may_work_case(actor, case))
    programme_type = ContentType.objects.get_for_model(programme)
    Invitation.objects.bulk_create([
        Invitation(case=case, programme_type=programme_type, programme_id=programme.pk,
                   invited_on=on, invited_by=actor)  # fmt: skip
        for case in cases
    ])  # fmt: skip
    history.change_records(actor=actor, kind="invitation", cases=cases, data={
        "target": f"{programme._meta.label_lower}:{programme.pk}", "invited_on": on})  # fmt: skip
    return len(cases)


def invitations_of(programme) -> QuerySet:
    return Invitation.objects.filter(
        programme_type=ContentType.objects.get_for_model(programme), programme_id=programme.pk
    ).select_related("case__person")


def event_hirers(event: RecruitmentEvent) -> list[tuple[str, str]]:
    """Who may have hired a laborer at an event: the employers it lists, then the vacancies of
    its county, as (choice value, label) pairs."""
    listed = [name.strip() for name in re.split(r"[、,，;；\n]+", event.employers) if name.strip()]
    vacancies = Vacancy.objects.filter(county_id=event.county_id).order_by("employer", "post")
    return [(f"employer:{name}", name) for name in dict.fromkeys(listed)] + [
        (f"vacancy:{vacancy.pk}", f"{vacancy.employer} · {vacancy.post}") for vacancy in vacancies
    ]


def _employment(programme, on: datetime.date, employer: str, post: str) -> dict:
    if isinstance(programme, PublicPost):
        employer, form = programme.employer, EmploymentForm.PUBLIC_POST
    elif isinstance(programme, Workshop):
        employer, form = f"{programme.name}（{programme.enterprise}）", EmploymentForm.EMPLOYEE
    else:
        form = EmploymentForm.EMPLOYEE
    return {"started_on": on, "employer": employer[:100], "post": post[:100],
            "location_class": LocationClass.IN_COUNTY, "form": form}  # fmt: skip


def _public_post_check(post: PublicPost, case: Case, on: datetime.date) -> None:
    """A public-welfare post takes laborers within its period and up to its number of posts
    (those placed there whose employment has not ended)."""
    names = {"name": case.person.name, "post": post.name, "day": on.isoformat()}
    if on < post.starts_on or (post.ends_on is not None and on > post.ends_on):
        raise ServiceError(
            _("%(name)s cannot be placed in %(post)s on %(day)s: its posts run from %(start)s "
              "to %(end)s.")
            % {**names, "start": post.starts_on.isoformat(),
               "end": post.ends_on.isoformat() if post.ends_on else _("open end")}
        )  # fmt: skip
    taken = Placement.objects.filter(
        public_post=post, employment__isnull=False, employment__ended_on__isnull=True
    ).count()
    if taken >= post.positions:
        raise ServiceError(
            _("%(name)s cannot be placed in %(post)s: all its %(positions)s posts are taken.")
            % {**names, "positions": post.positions}
        )


@transaction.atomic
def placement_record(
    *, case: Case, actor: User, programme, on: datetime.date, employer: str = "",
    post: str = "", vacancy: Vacancy | None = None,
) -> Placement:  # fmt: skip
    """Place a laborer: the assistance task completes through the flow, the employment is
    recorded, and the case becomes employed. A case not yet surveyed cannot be placed; a
    placement through an event names the employer (and post) that hired; a public-welfare
    post refuses laborers beyond its number of posts or outside its period."""
    access.require(access.may_work_case(actor, case))
    programme_open_check(programme)
    case = Case.objects.select_related("person").get(pk=case.pk)  # its stage as it is now
    records.record_date_check(case, on)
    if isinstance(programme, RecruitmentEvent):
        if vacancy is not None and vacancy.county_id != programme.county_id:
            raise ServiceError(_("Choose a vacancy of the event's county."))
        employer = (employer or (vacancy.employer if vacancy else "")).strip()
        post = (post or (vacancy.post if vacancy else "")).strip()
        if not employer:
            raise ServiceError(_("Choose or type the employer that hired %(name)s.")
                               % {"name": case.person.name})  # fmt: skip
    else:
        vacancy = None
    if isinstance(programme, PublicPost):
        # one placement at a time per post, so two batches cannot both take its last post
        programme = PublicPost.objects.select_for_update().get(pk=programme.pk)
        _public_post_check(programme, case, on)
    details = _employment(programme, on, employer, post)
    employment = place_in_work(case=case, actor=actor, employment=details)
    kind = PLACEMENT_KIND[type(programme)]
    placement = Placement.objects.create(
        case=case, kind=kind, placed_on=on, employment=employment, recorded_by=actor,
        employer=employment.employer, post=employment.post, vacancy=vacancy,
        **{kind: programme},
    )  # fmt: skip
    history.change_record(actor=actor, kind="placement", case=case, target=placement,
                          fields=history.fields_of(placement))  # fmt: skip
    return placement


@transaction.atomic
def enrolment_record(*, case: Case, actor: User, course: Course, on: datetime.date) -> Enrolment:
    """Enrol a laborer in a course (help given: a surveyed case becomes assisted)."""
    access.require(access.may_work_case(actor, case))
    programme_open_check(course)
    case = Case.objects.select_related("person").get(pk=case.pk)  # its stage as it is now
    if case.stage == Stage.IDENTIFIED:
        raise ServiceError(_("%(name)s has not been surveyed yet: survey first.")
                           % {"name": case.person.name})  # fmt: skip
    records.record_date_check(case, on)
    enrolment, created = Enrolment.objects.get_or_create(
        case=case, course=course,
        defaults={"enrolled_on": on, "recorded_by": actor},
    )  # fmt: skip
    if not created:
        raise ServiceError(_("%(name)s is already enrolled.") % {"name": case.person.name})
    history.change_record(actor=actor, kind="enrolment", case=case, target=enrolment,
                          fields=history.fields_of(enrolment))  # fmt: skip
    if case.stage in (Stage.SURVEYED, Stage.ASSISTED):
        case_assisted(case=case, actor=actor, on=on)
    return enrolment


@transaction.atomic
def enrolment_complete(*, enrolment: Enrolment, actor: User, on: datetime.date) -> Enrolment:
    """Record the day the laborer completed the course: not in the future, nor before the
    course started or the laborer enrolled."""
    access.require(access.may_work_case(actor, enrolment.case))
    name = enrolment.case.person.name
    course = enrolment.course
    if course.starts_on > timezone.localdate():
        raise ServiceError(
            _("%(course)s has not started yet (it starts on %(start)s): nobody can have "
              "completed it.") % {"course": course.name, "start": course.starts_on.isoformat()}
        )  # fmt: skip
    # not in the future; the course's start and the enrolment are checked below
    records.record_date_check(enrolment.case, on, before_identified=True)
    start = max(enrolment.course.starts_on, enrolment.enrolled_on)
    if on < start:
        raise ServiceError(
            _("%(name)s cannot have completed the course on %(day)s: the course started on "
              "%(start)s and %(name)s enrolled on %(enrolled)s.")
            % {"name": name, "day": on.isoformat(), "start": enrolment.course.starts_on.isoformat(),
               "enrolled": enrolment.enrolled_on.isoformat()}
        )  # fmt: skip
    before = enrolment.completed_on
    enrolment.completed_on = on
    enrolment.save(update_fields=["completed_on"])
    history.change_record(actor=actor, kind="enrolment_complete", case=enrolment.case,
                          target=enrolment, changes={"completed_on": [before, on]})  # fmt: skip
    return enrolment


def batch_record(
    *, programme, actor: User, cases, on: datetime.date, **hired
) -> tuple[int, list[str]]:  # fmt: skip
    """Place (or enrol) each ticked laborer in its own transaction; returns done and refusals.
    `hired`: the employer, post and vacancy of a placement through an event."""
    done, refused = 0, []
    for case in cases:
        try:
            if isinstance(programme, Course):
                enrolment_record(case=case, actor=actor, course=programme, on=on)
            else:
                placement_record(case=case, actor=actor, programme=programme, on=on, **hired)
            done += 1
        except ServiceError as error:
            refused.append(str(error.message))
    return done, refused


def _once(model, submission, create):
    """The record a form sent: made once, however many times the same form is sent."""
    if submission is not None:
        sent = model.objects.filter(submission=submission).first()
        if sent is not None:
            return sent
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        if submission is None:
            raise
        return model.objects.get(submission=submission)  # a second request won the race


def outreach_record(*, case: Case, actor: User, on, note="", submission=None) -> Outreach:
    """Record policy outreach (政策宣传) to a laborer."""
    access.require(access.may_work_case(actor, case))
    records.record_date_check(case, on)

    def create():
        outreach = Outreach.objects.create(
            case=case, on=on, note=note, recorded_by=actor, submission=submission
        )
        history.change_record(actor=actor, kind="outreach", case=case, target=outreach,
                              fields=history.fields_of(outreach))  # fmt: skip
        return outreach

    return _once(Outreach, submission, create)


def benefit_record(*, case: Case, actor: User, kind, on, amount, submission=None) -> Benefit:
    """Record a support policy the laborer enjoyed."""
    access.require(access.may_work_case(actor, case))
    records.record_date_check(case, on)

    def create():
        benefit = Benefit.objects.create(
            case=case, kind=kind, on=on, amount=amount, recorded_by=actor, submission=submission
        )
        history.change_record(actor=actor, kind="benefit", case=case, target=benefit,
                              fields=history.fields_of(benefit))  # fmt: skip
        return benefit

    return _once(Benefit, submission, create)


@transaction.atomic
def programme_create(*, programme, actor: User):
    """Set up a programme (its form's unsaved instance) in the actor's county."""
    access.require(access.may_manage_programmes(actor, programme.county_id))
    programme.created_by = actor
    programme.save()
    history.change_record(actor=actor, kind="programme_created", county=programme.county_id,
                          target=programme, fields=history.fields_of(programme))  # fmt: skip
    return programme


@transaction.atomic
def reconciliation_create(*, reconciliation, actor: User):
    """Open a reconciliation round with the poverty office (its form's unsaved instance)."""
    access.require(access.may_reconcile(actor, reconciliation.county_id))
    reconciliation.recorded_by = actor
    reconciliation.save()
    history.change_record(actor=actor, kind="reconciliation_created",
                          county=reconciliation.county_id, target=reconciliation,
                          fields=history.fields_of(reconciliation))  # fmt: skip
    return reconciliation


def programme_counts(user: User) -> list[tuple[Kind, int]]:
    return [(kind, programmes_visible_to(user, kind.model).count()) for kind in KINDS.values()]


# --- reconciliation with the poverty office ---------------------------------------------


def reconciliations_visible_to(user: User) -> QuerySet:
    return access.county_records_visible_to(user, Reconciliation)


def reconciliation_candidates(reconciliation, user: User) -> QuerySet[Case]:
    """Laborers in work of the round's county, in the user's regions, not yet confirmed."""
    return (
        access.cases_visible_to(user)
        .filter(county_id=reconciliation.county_id, stage__in=[Stage.EMPLOYED, Stage.FOLLOWED_UP])
        .exclude(reconciliations=reconciliation)
        .select_related("person", "township")
        .order_by("township__code", "person__name")
    )


def confirmations_of(reconciliation, user: User) -> QuerySet[Confirmation]:
    """The round's confirmations of laborers in the user's regions: who confirmed, and when."""
    return (
        access.of_visible_cases(user, reconciliation.confirmations)
        .select_related("case__person", "case__township", "township", "confirmed_by")
        .order_by("case__township__code", "case__person__name")
    )


def reconciliation_confirm(
    *, reconciliation, actor: User, cases, on: datetime.date
) -> tuple[int, list[str]]:
    """Record, per laborer, that the poverty office confirmed their employment on that day, by
    whom; a laborer not in work on that day (by the dated stage changes) is refused. Returns
    the number confirmed and the refusals."""
    access.require(access.may_reconcile(actor, reconciliation.county_id))
    if on is None:
        raise ServiceError(_("Give the date."))
    if on > timezone.localdate():
        raise ServiceError(_("The date %(day)s is in the future.") % {"day": on.isoformat()})
    done, refused = 0, []
    for case in cases:
        if case.county_id != reconciliation.county_id:
            continue
        if not records.employed_on(case, on):
            refused.append(
                _("%(name)s was not in work on %(day)s and is not confirmed.")
                % {"name": case.person.name, "day": on.isoformat()}
            )
            continue
        with transaction.atomic():
            _confirmation, created = Confirmation.objects.get_or_create(
                reconciliation=reconciliation, case=case,
                defaults={"confirmed_on": on, "confirmed_by": actor,
                          **records.located(case, on)},
            )  # fmt: skip
            if created:
                history.change_record(
                    actor=actor, kind="reconciliation_confirmed", case=case,
                    target=reconciliation, fields={"confirmed_on": on},
                )  # fmt: skip
        done += created
    return done, refused


def reconciliation_cases(reconciliation, user: User) -> QuerySet[Case]:
    """The round's confirmed laborers the user may see (a case transferred away has left it)."""
    return access.cases_visible_to(user).filter(reconciliations=reconciliation)


def reconciliation_rows(reconciliation, user: User) -> list[list]:
    """The round's list for the poverty office: full ID numbers (the caller logs the export),
    of the confirmed laborers the user may see, each with their latest job (read with them)."""
    latest_first = Prefetch("employments", queryset=Employment.objects.order_by("-started_on"),
                            to_attr="jobs_latest_first")  # fmt: skip
    cases = (
        reconciliation_cases(reconciliation, user)
        .select_related("person", "township", "region")
        .prefetch_related(latest_first)
    )
    rows = []
    # by ID number, sorted here: the numbers are encrypted in the database
    for case in sorted(cases, key=lambda case: case.person.id_number):
        employment = case.jobs_latest_first[0] if case.jobs_latest_first else None
        rows.append([
            case.person.id_number, case.person.name, case.township.name, case.region.name,
            case.get_stage_display(),
            employment.employer if employment else "", employment.started_on if employment else "",
        ])  # fmt: skip
    return rows
