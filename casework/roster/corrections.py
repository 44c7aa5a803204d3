"""After an import: laborers who left the list, corrected ID numbers, and the merge of two
cases into one (every record follows the number)."""

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workflows.services import case_close_with_tasks

from .. import access, history, services
from ..history import case_event_record
from ..idnumber import IdNumberError, parse_id_number
from ..models import (
    Case,
    CaseEvent,
    Confirmation,
    Enrolment,
    LeftListCandidate,
    RegistrationConflict,
    Stage,
    SurveyDraft,
    User,
)
from .reading import REGISTERED_ELSEWHERE_REASON


@transaction.atomic
def left_list_decide(*, candidate: LeftListCandidate, actor: User, confirm: bool) -> None:
    """Confirm that a laborer left the list (the case closes) or dismiss the candidate."""
    candidate = LeftListCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != LeftListCandidate.Status.PENDING:
        raise services.ServiceError(_("This has already been decided."))
    today = timezone.localdate()
    candidate.status = (
        LeftListCandidate.Status.CONFIRMED if confirm else LeftListCandidate.Status.DISMISSED
    )
    candidate.decided_by, candidate.decided_on = actor, today
    candidate.save()
    case = Case.objects.get(pk=candidate.case_id)
    history.change_record(
        actor=actor, kind="left_list_decision", case=case, target=candidate,
        changes={"status": [LeftListCandidate.Status.PENDING, candidate.status]},
    )  # fmt: skip
    if not confirm:
        return
    Case.objects.filter(pk=case.pk).update(left_list_on=today)
    roster_import = candidate.roster_import
    case_event_record(case=case, kind=CaseEvent.Kind.LEFT_LIST, actor=actor, data={
        "roster_import": roster_import.pk, "file_name": roster_import.file_name,
        "imported_on": timezone.localdate(roster_import.created_at),
    })  # fmt: skip
    if case.stage != Stage.CLOSED:
        case_close_with_tasks(case=Case.objects.get(pk=case.pk), actor=actor, reason="left_list")


def left_list_decide_many(
    *, candidates: list[LeftListCandidate], actor: User, confirm: bool
) -> tuple[int, list[str]]:
    """Confirm or dismiss several candidates, each as left_list_decide does (its own history
    row and transaction); returns how many were decided and the refusals."""
    done, refused = 0, []
    for candidate in candidates:
        access.require(access.may_decide_left_list(actor, candidate))
        try:
            left_list_decide(candidate=candidate, actor=actor, confirm=confirm)
        except services.ServiceError as error:
            refused.append(f"{candidate.case.person.name}: {error.message}")
        else:
            done += 1
    return done, refused


def case_merge_target(*, case: Case, actor: User, id_number: str) -> Case | None:
    """The case a correction to `id_number` would merge `case` into (None: no other case has
    that number); ServiceError for a number that cannot be used."""
    try:
        identity = parse_id_number(id_number)
    except IdNumberError as error:
        raise services.ServiceError(error.message) from None
    if identity.number == case.person.id_number:
        raise services.ServiceError(_("That is already the case's ID number."))
    other = Case.objects.filter(person__id_number=identity.number).select_related("person").first()
    if other is None:
        return None
    if not access.may_supervise_case(actor, other):
        # the same answer whether the number is in another county or merely out of reach
        raise services.ServiceError(REGISTERED_ELSEWHERE_REASON)
    if other.merged_into_id or case.merged_into_id:
        raise services.ServiceError(_("One of these cases was already merged."))
    return other


@transaction.atomic
def case_correct_id(*, case: Case, actor: User, id_number: str) -> Case:
    """Correct a case's ID number; if another case has that number, merge the two into it.

    The merge keeps every record of both: everything that hangs off the corrected case moves
    to the case that has the number (case_merge_records); the corrected case keeps its stage
    history and transfers, closes with its tasks, and points to the case it was merged into.
    The pages show case_merge_preview and ask for a confirmation before calling this.
    """
    other = case_merge_target(case=case, actor=actor, id_number=id_number)
    person = case.person
    old = person.masked_id_number
    if other is None:
        identity = parse_id_number(id_number)
        person.id_number, person.sex, person.birth_date = (
            identity.number, identity.sex, identity.birth_date,
        )  # fmt: skip
        person.save(update_fields=["id_number", "sex", "birth_date", "updated_at"])
        case_event_record(case=case, kind=CaseEvent.Kind.ID_CORRECTED, actor=actor,
                          data={"old": old, "new": person.masked_id_number})  # fmt: skip
        return case
    case_merge_records(case=case, into=other, actor=actor)
    merged = {"from_case": case.pk, "from_id_number": old, "into_case": other.pk}
    case_event_record(case=other, kind=CaseEvent.Kind.MERGED, actor=actor, data=merged)
    case_event_record(case=case, kind=CaseEvent.Kind.MERGED, actor=actor, data=merged)
    Case.objects.filter(pk=case.pk).update(merged_into=other)
    if case.stage != Stage.CLOSED:
        case_close_with_tasks(
            case=Case.objects.get(pk=case.pk), actor=actor, reason="other",
            data={"merged_into": other.pk},
        )  # fmt: skip
    return other


# What a merge preview counts on each case, by the related name of the records.
PREVIEW_RECORDS = (
    "surveys", "employments", "follow_ups", "placements", "enrolments", "outreach", "benefits",
    "assistance", "invitations", "confirmations", "events",
)  # fmt: skip


def case_record_counts(case: Case) -> list[tuple[str, int]]:
    """How many records of each kind hang off a case, labelled (for the merge preview)."""
    counts = []
    for name in PREVIEW_RECORDS:
        manager = getattr(case, name)
        counts.append((str(manager.model._meta.verbose_name_plural), manager.count()))
    return counts


def case_merge_preview(*, case: Case, into: Case) -> dict:
    """Both cases of a merge side by side: who survives, what each has and what moves."""
    moving, staying = case_record_counts(case), case_record_counts(into)
    return {
        "corrected": case, "survivor": into,
        "records": [
            (label, mine, theirs) for (label, mine), (_label, theirs) in zip(moving, staying,
                                                                             strict=True)
        ],
        "moving": sum(count for _label, count in moving),
    }  # fmt: skip


# Moved to the surviving case as they are: each keeps its own date, county and township (it
# happened where it happened).
MERGE_MOVES = {
    "casework.CaseEvent", "casework.Survey", "casework.Employment", "casework.FollowUp",
    "casework.Placement", "casework.Outreach", "casework.Benefit", "casework.Assistance",
    "casework.Invitation",
}  # fmt: skip


# Moved with a rule of their own (a unique constraint, or a decision the merge settles).
MERGE_MERGES = {
    "casework.Enrolment", "casework.Confirmation", "casework.SurveyDraft",
    "casework.LeftListCandidate", "casework.RegistrationConflict",
    "casework.Case",  # cases merged earlier into the corrected case now point to the survivor
    "casework.Reconciliation",  # the rounds' many-to-many goes through Confirmation
}  # fmt: skip


# Left with the corrected case: its stage history and its transfers tell what happened to that
# case; its tasks are cancelled when it closes, and its quarterly re-surveys' claims stay with
# those tasks (the survivor keeps its own). The record of processing names the case each write
# was made on.
MERGE_LEAVES = {
    "casework.StageChange", "casework.Transfer", "workflows.CaseTask", "workflows.QuarterlyCheck",
    "casework.ChangeRecord",
}  # fmt: skip


def case_relations() -> set[str]:
    """Every model with rows hanging off a case (hidden relations included)."""
    return {
        relation.related_model._meta.label
        for relation in Case._meta.get_fields(include_hidden=True)
        if relation.auto_created and not relation.concrete
    }


def case_merge_records(*, case: Case, into: Case, actor: User) -> None:
    """Move every record of `case` to `into` and recompute both cases' latest survey."""
    unhandled = case_relations() - MERGE_MOVES - MERGE_MERGES - MERGE_LEAVES
    if unhandled:  # a new kind of record: decide what a merge does with it first
        raise RuntimeError(f"case_merge_records does not handle {sorted(unhandled)}")
    for label in MERGE_MOVES:
        model = apps.get_model(label)
        model.objects.filter(case=case).update(case=into)
    _merge_enrolments(case, into)
    _merge_confirmations(case, into)
    # a draft of the corrected case survives unless its author already drafts the other one
    SurveyDraft.objects.filter(case=case, author__in=SurveyDraft.objects.filter(
        case=into).values("author")).delete()  # fmt: skip
    SurveyDraft.objects.filter(case=case).update(case=into)
    # the corrected number is gone, so a pending "missing from the roster" about it is settled
    LeftListCandidate.objects.filter(
        case=case, status=LeftListCandidate.Status.PENDING
    ).update(
        status=LeftListCandidate.Status.DISMISSED, decided_by=actor,
        decided_on=timezone.localdate(),
    )  # fmt: skip
    LeftListCandidate.objects.filter(case=case).update(case=into)
    RegistrationConflict.objects.filter(
        case=case, roster_import__in=RegistrationConflict.objects.filter(case=into).values(
            "roster_import"
        ),
    ).delete()  # fmt: skip
    RegistrationConflict.objects.filter(case=case).update(case=into)
    Case.objects.filter(merged_into=case).update(merged_into=into)
    services.latest_survey_set(into)
    services.latest_survey_set(case)  # it has none left


def _merge_enrolments(case: Case, into: Case) -> None:
    """One enrolment per course: the earlier one stays, with a completion either one had."""
    theirs = {enrolment.course_id: enrolment for enrolment in into.enrolments.all()}
    for enrolment in Enrolment.objects.filter(case=case).order_by("pk"):
        other = theirs.get(enrolment.course_id)
        if other is None:
            continue
        keep, drop = sorted([enrolment, other], key=lambda e: (e.enrolled_on, e.pk))
        completions = [e.completed_on for e in (keep, drop) if e.completed_on]
        drop.delete()
        keep.case = into
        keep.completed_on = min(completions) if completions else None
        keep.save(update_fields=["case", "completed_on"])
    Enrolment.objects.filter(case=case).update(case=into)


def _merge_confirmations(case: Case, into: Case) -> None:
    """One confirmation per round: the earlier one stays."""
    theirs = {item.reconciliation_id: item for item in into.confirmations.all()}
    for confirmation in Confirmation.objects.filter(case=case).order_by("pk"):
        other = theirs.get(confirmation.reconciliation_id)
        if other is None:
            continue
        keep, drop = sorted([confirmation, other], key=lambda c: (c.confirmed_on, c.pk))
        drop.delete()
        keep.case = into
        keep.save(update_fields=["case"])
    Confirmation.objects.filter(case=case).update(case=into)
