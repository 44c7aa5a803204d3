"""The registry's own writes of what was done for a laborer: surveys, help, employment and
follow-ups, each dated and placed, moving the case's stage. The process layer
(workflows.services) calls them inside a task's activation."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from . import access, history, records
from . import services as registry
from .errors import ServiceError
from .idnumber import mask_numbers_in_text, mask_phone, phone_at_rest
from .models import (
    Assistance,
    AssistanceMeasure,
    Case,
    Employment,
    FollowUp,
    FollowUpStatus,
    Outreach,
    Stage,
    Survey,
    SurveyDraft,
    User,
)
from .survey.choices import wants_work


def _transition(case, transition, actor, reason="", **arguments):
    return registry.case_transition(
        case=case, transition=transition, actor=actor, reason=reason, **arguments
    )


def _last_change_on(case: Case):
    changes = case.stage_changes.standing().order_by("-on", "-at", "-pk")
    return changes.values_list("on", flat=True).first()


PERSON_SURVEY_FIELDS = [
    "name", "ethnicity", "household_type", "phone", "school_major", "graduated_on", "education",
    "health", "returned_home_on", "marital_status", "political_status",
]  # fmt: skip


def survey_submit(
    *,
    case: Case,
    actor: User,
    surveyed_on,
    employment_status,
    note="",
    resurvey: bool = False,
    answers: dict | None = None,
) -> Survey:
    """Record a door-to-door survey as a dated snapshot; the first one moves the case to surveyed.

    The laborer's personal fields are brought up to date from the answers.
    """
    records.record_date_check(case, surveyed_on)
    answers = dict(answers or {}, employment_status=employment_status)
    yes_no = {"yes": True, "no": False}
    survey = Survey.objects.create(
        case=case,
        surveyed_on=surveyed_on,
        surveyor=actor,
        employment_status=employment_status,
        note=note,
        is_resurvey=resurvey,
        answers=answers,
        wished_location=answers.get("wished_location", ""),
        wished_form=answers.get("wished_form", ""),
        wage_expectation=answers.get("wage_expectation", ""),
        training_wish=yes_no.get(answers.get("training_wish")),
        training_kind=answers.get("training_kind", ""),
        training_trade=answers.get("training_trade", ""),
        startup_wish=yes_no.get(answers.get("startup_wish")),
        wants_work=wants_work(answers),
    )
    person = case.person
    changed, changes = [], {}
    for name in PERSON_SURVEY_FIELDS:
        if name in answers:
            value = answers[name] or (None if name.endswith("_on") else "")
            if str(getattr(person, name) or "") != str(value or ""):
                changes[name] = [getattr(person, name), value]
                setattr(person, name, value)
                changed.append(name)
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
    if "phone" in changes:  # a number is kept masked in the record
        changes["phone"] = [mask_phone(str(number or "")) for number in changes["phone"]]
    history.change_record(actor=actor, kind="survey", case=case, target=survey, changes=changes,
                          data={"surveyed_on": surveyed_on, "resurvey": resurvey})  # fmt: skip
    SurveyDraft.objects.filter(case=case).delete()
    registry.latest_survey_set(case)
    if case.stage == Stage.IDENTIFIED:
        _transition(case, "survey", actor, on=surveyed_on)
    return survey


def _as_date(value) -> datetime.date | None:
    """A date from a survey's answers, kept as ISO text in its JSON snapshot."""
    if isinstance(value, str):
        return datetime.date.fromisoformat(value) if value else None
    return value


def employment_from_answers(answers: dict, surveyed_on) -> dict:
    """The employment details a survey that found the laborer working gives."""
    employer = (answers.get("employer_post") or answers.get("startup_project")
                or answers.get("flexible_post") or "")  # fmt: skip
    return {
        "on": surveyed_on,  # the day the work was found to be there
        "started_on": _as_date(answers.get("work_started_on")) or surveyed_on,
        "employer": employer[:100],
        "post": "",
        "location_class": answers.get("location_class", ""),
        "form": answers.get("employment_form") or "other",
    }


def _at_rest(name: str, value):
    """A draft's value as it may be kept: the phone masked, any number typed in text too."""
    if isinstance(value, list):
        return [_at_rest(name, item) for item in value]
    if not isinstance(value, str):
        return "" if name == "phone" else value
    return phone_at_rest(value) if name == "phone" else mask_numbers_in_text(value)


def survey_draft_save(*, case: Case, actor: User, data: dict) -> SurveyDraft:
    """Keep what the surveyor has typed so far, the phone and any number in the text masked.

    A draft never holds a full number. The stored number comes back from its mask; a new number
    typed but not yet submitted is kept masked, so the reopened form shows that it changed and
    asks for it to be typed again: that number is all a draft can lose.
    """
    access.require(access.may_work_case(actor, case))
    data = {name: _at_rest(name, value) for name, value in data.items()}
    draft, _created = SurveyDraft.objects.update_or_create(
        case=case, author=actor, defaults={"data": data}
    )
    # which answers the draft holds, not their values (those are the laborer's, kept in the draft)
    history.change_record(actor=actor, kind="survey_draft", case=case, target=draft,
                          data={"answers": sorted(data)})  # fmt: skip
    return draft


POLICY_OUTREACH = "policy"  # help measure recorded as an Outreach row of its own


def case_assisted(*, case: Case, actor: User, on) -> None:
    """Help was given on that day: a surveyed case not in work becomes assisted."""
    if case.stage not in (Stage.SURVEYED, Stage.ASSISTED):
        raise ServiceError(_("Help is recorded for surveyed cases that are not in work."))
    if case.stage == Stage.SURVEYED:
        _transition(case, "assist", actor, on=on)


@transaction.atomic
def assistance_record(*, case: Case, actor: User, measure: str, on, note=""):
    """Record help given by measure code (policy outreach as an Outreach row, the others as
    Assistance rows), dated and placed; the first help moves a surveyed case to assisted."""
    access.require(access.may_work_case(actor, case))
    records.record_date_check(case, on)
    case_assisted(case=case, actor=actor, on=on)
    if measure == POLICY_OUTREACH:
        record = Outreach.objects.create(case=case, on=on, note=note[:200], recorded_by=actor)
        history.change_record(actor=actor, kind="outreach", case=case, target=record,
                              fields=history.fields_of(record))  # fmt: skip
        return record
    if measure not in AssistanceMeasure.values:
        raise ServiceError(_("Choose the help given."))
    record = Assistance.objects.create(
        case=case, measure=measure, on=on, note=note[:200], recorded_by=actor
    )
    history.change_record(actor=actor, kind="assistance", case=case, target=record,
                          fields=history.fields_of(record))  # fmt: skip
    return record


def employment_record(*, case: Case, actor: User, on=None, **details) -> Employment:
    """Record where the laborer works; the case becomes employed.

    The work may have started before the case was identified (a laborer already working when
    surveyed); the case becomes employed on the day the work was recorded as found (`on`: a
    placement's or survey's date), at the earliest on its start date and never before the
    case's previous stage change.
    """
    started_on = details["started_on"]
    records.record_date_check(case, started_on, before_identified=True)
    employment = Employment.objects.create(case=case, recorded_by=actor, **details)
    history.change_record(actor=actor, kind="employment", case=case, target=employment,
                          fields=history.fields_of(employment))  # fmt: skip
    if case.stage != Stage.EMPLOYED:
        moved_on = max(filter(None, [on or started_on, started_on, _last_change_on(case)]))
        _transition(case, "place", actor, on=moved_on)
    return employment


def follow_up_record(*, case: Case, actor: User, status: str, followed_up_on, **details):
    """Record a follow-up; a lost job sends the case back to assistance and ends the job.

    The work address and wage band it gives are kept on the current employment too.
    """
    records.record_date_check(case, followed_up_on)
    follow_up = FollowUp.objects.create(
        case=case, recorded_by=actor, status=status, followed_up_on=followed_up_on, **details
    )
    history.change_record(actor=actor, kind="follow_up", case=case, target=follow_up,
                          fields=history.fields_of(follow_up))  # fmt: skip
    current = case.employments.filter(ended_on__isnull=True).order_by("-started_on", "-pk").first()
    if current is not None:
        if status == FollowUpStatus.LOST_JOB:
            current.ended_on = followed_up_on
        current.place = details.get("work_address") or current.place
        current.wage_band = details.get("wage_band") or current.wage_band
        current.save(update_fields=["ended_on", "place", "wage_band"])
    if status == FollowUpStatus.LOST_JOB:
        _transition(case, "lose_job", actor, on=followed_up_on)
    else:
        _transition(case, "follow_up", actor, on=followed_up_on)
    return follow_up
