"""Assistance programmes: recruitment events, workshops, public-welfare posts, training
courses; placements and enrolments recorded one by one or in batch; outreach and benefits."""

import datetime
from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import access, records
from .models import (
    Benefit,
    Case,
    Confirmation,
    Course,
    EmploymentForm,
    Enrolment,
    Invitation,
    LocationClass,
    Outreach,
    Placement,
    PublicPost,
    Reconciliation,
    RecruitmentEvent,
    Region,
    Stage,
    User,
    Vacancy,
    Workshop,
)
from .services import ServiceError
from .survey import WORKING, Industry, Trade, WishedForm, WishedLocation


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
        for item in model.objects.filter(county_id=county_id).order_by("-created_at")[:30]
    ]


def programme_form_class(kind: Kind, user: User):
    """A model form for the programme, its county and places limited to the user's scope."""

    class ProgrammeForm(forms.ModelForm):
        class Meta:
            model = kind.model
            fields = kind.fields
            widgets = {
                name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                for name in ("held_on", "founded_on", "starts_on", "ends_on")
            }

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["county"].queryset = access.counties_visible_to(user)
            for name in ("township", "village"):
                if name in self.fields:
                    level = Region.Level.TOWNSHIP if name == "township" else Region.Level.VILLAGE
                    self.fields[name].queryset = access.regions_visible_to(user).filter(level=level)
            if "industry" in self.fields:
                self.fields["industry"] = forms.ChoiceField(
                    label=self.fields["industry"].label, required=False,
                    choices=[("", "—"), *Industry.choices],
                )  # fmt: skip
            if "trade" in self.fields:
                self.fields["trade"] = forms.ChoiceField(
                    label=self.fields["trade"].label, required=False,
                    choices=[("", "—"), *Trade.choices],
                )  # fmt: skip

        def clean(self):
            cleaned = super().clean()
            township, county = cleaned.get("township"), cleaned.get("county")
            if township and county and township.county_id != county.pk:
                self.add_error("township", _("Choose a township of that county."))
            village = cleaned.get("village")
            if village and township and village.parent_id != township.pk:
                self.add_error("village", _("Choose a village of that township."))
            if cleaned.get("kind") == Course.Kind.SKILL and not cleaned.get("trade"):
                self.add_error("trade", _("A skill course teaches a trade: choose it."))
            return cleaned

    return ProgrammeForm


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
    from django.contrib.contenttypes.models import ContentType

    for case in cases:
        access.require(access.may_work_case(actor, case))
    programme_type = ContentType.objects.get_for_model(programme)
    Invitation.objects.bulk_create([
        Invitation(case=case, programme_type=programme_type, programme_id=programme.pk,
                   invited_on=on, invited_by=actor)  # fmt: skip
        for case in cases
    ])  # fmt: skip
    return len(cases)


def invitations_of(programme) -> QuerySet:
    from django.contrib.contenttypes.models import ContentType

    return Invitation.objects.filter(
        programme_type=ContentType.objects.get_for_model(programme), programme_id=programme.pk
    ).select_related("case__person")


def _employment(programme, on: datetime.date) -> dict:
    if isinstance(programme, PublicPost):
        employer, form = programme.employer, EmploymentForm.PUBLIC_POST
    elif isinstance(programme, Workshop):
        employer, form = f"{programme.name}（{programme.enterprise}）", EmploymentForm.EMPLOYEE
    else:
        employer, form = programme.name, EmploymentForm.EMPLOYEE
    return {"started_on": on, "employer": employer[:100], "post": "",
            "location_class": LocationClass.IN_COUNTY, "form": form}  # fmt: skip


@transaction.atomic
def placement_record(*, case: Case, actor: User, programme, on: datetime.date) -> Placement:
    """Place a laborer: the assistance task completes through the flow, the employment is
    recorded, and the case becomes employed. A case not yet surveyed cannot be placed."""
    from workflows.services import place_in_work

    access.require(access.may_work_case(actor, case))
    case = Case.objects.select_related("person").get(pk=case.pk)  # its stage as it is now
    records.record_date_check(case, on)
    employment = place_in_work(case=case, actor=actor, employment=_employment(programme, on))
    kind = PLACEMENT_KIND[type(programme)]
    return Placement.objects.create(
        case=case, kind=kind, placed_on=on, employment=employment, recorded_by=actor,
        employer=employment.employer, post=employment.post, **{kind: programme},
        **records.located(case, on),
    )  # fmt: skip


@transaction.atomic
def enrolment_record(*, case: Case, actor: User, course: Course, on: datetime.date) -> Enrolment:
    """Enrol a laborer in a course (help given: a surveyed case becomes assisted)."""
    from workflows.services import case_assisted

    access.require(access.may_work_case(actor, case))
    case = Case.objects.select_related("person").get(pk=case.pk)  # its stage as it is now
    if case.stage == Stage.IDENTIFIED:
        raise ServiceError(_("%(name)s has not been surveyed yet: survey first.")
                           % {"name": case.person.name})  # fmt: skip
    records.record_date_check(case, on)
    enrolment, created = Enrolment.objects.get_or_create(
        case=case, course=course,
        defaults={"enrolled_on": on, "recorded_by": actor, **records.located(case, on)},
    )  # fmt: skip
    if not created:
        raise ServiceError(_("%(name)s is already enrolled.") % {"name": case.person.name})
    if case.stage in (Stage.SURVEYED, Stage.ASSISTED):
        case_assisted(case=case, actor=actor, on=on)
    return enrolment


def enrolment_complete(*, enrolment: Enrolment, actor: User, on: datetime.date) -> Enrolment:
    """Record that the laborer completed the course."""
    access.require(access.may_work_case(actor, enrolment.case))
    enrolment.completed_on = on
    enrolment.save(update_fields=["completed_on"])
    return enrolment


def batch_record(*, programme, actor: User, cases, on: datetime.date) -> tuple[int, list[str]]:
    """Place (or enrol) each ticked laborer in its own transaction; returns done and refusals."""
    done, refused = 0, []
    for case in cases:
        try:
            if isinstance(programme, Course):
                enrolment_record(case=case, actor=actor, course=programme, on=on)
            else:
                placement_record(case=case, actor=actor, programme=programme, on=on)
            done += 1
        except ServiceError as error:
            refused.append(str(error.message))
    return done, refused


def outreach_record(*, case: Case, actor: User, on, note="") -> Outreach:
    """Record policy outreach (政策宣传) to a laborer."""
    access.require(access.may_work_case(actor, case))
    records.record_date_check(case, on)
    return Outreach.objects.create(
        case=case, on=on, note=note, recorded_by=actor, **records.located(case, on)
    )


def benefit_record(*, case: Case, actor: User, kind, on, amount) -> Benefit:
    """Record a support policy the laborer enjoyed."""
    access.require(access.may_work_case(actor, case))
    records.record_date_check(case, on)
    return Benefit.objects.create(
        case=case, kind=kind, on=on, amount=amount, recorded_by=actor,
        **records.located(case, on),
    )  # fmt: skip


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


@transaction.atomic
def reconciliation_confirm(*, reconciliation, actor: User, cases) -> int:
    """Record the cases whose employment information the poverty office confirmed."""
    access.require(access.may_reconcile(actor, reconciliation.county_id))
    cases = [case for case in cases if case.county_id == reconciliation.county_id]
    on = timezone.localdate()
    Confirmation.objects.bulk_create(
        [
            Confirmation(
                reconciliation=reconciliation,
                case=case,
                confirmed_on=on,
                confirmed_by=actor,
                **records.located(case, on),
            )  # fmt: skip
            for case in cases
        ],
        ignore_conflicts=True,
    )
    return len(cases)


def reconciliation_rows(reconciliation) -> list[list]:
    """The round's list for the poverty office: full ID numbers (the caller logs the export)."""
    rows = []
    for case in reconciliation.cases.select_related("person", "township", "region").order_by(
        "person__id_number"
    ):
        employment = case.employments.order_by("-started_on").first()
        rows.append([
            case.person.id_number, case.person.name, case.township.name, case.region.name,
            case.get_stage_display(),
            employment.employer if employment else "", employment.started_on if employment else "",
        ])  # fmt: skip
    return rows
