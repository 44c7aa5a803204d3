"""The case's stage moves only along the lifecycle, and every move is recorded."""

import pytest

from casework import services
from casework.models import Case, CloseReason, Stage, StageChange


def reload(case):
    return Case.objects.get(pk=case.pk)


def test_a_new_case_starts_identified_with_one_history_row(zijin_case):
    assert zijin_case.stage == Stage.IDENTIFIED
    (first,) = zijin_case.stage_changes.all()
    assert (first.from_stage, first.to_stage) == ("", Stage.IDENTIFIED)


def test_the_lifecycle_with_a_lost_job(zijin_case, caseworker):
    for transition, stage in [
        ("survey", Stage.SURVEYED),
        ("assist", Stage.ASSISTED),
        ("place", Stage.EMPLOYED),
        ("follow_up", Stage.FOLLOWED_UP),
        ("follow_up", Stage.FOLLOWED_UP),
        ("lose_job", Stage.ASSISTED),
    ]:
        services.case_transition(case=zijin_case, transition=transition, actor=caseworker)
        assert reload(zijin_case).stage == stage
    changes = list(reload(zijin_case).stage_changes.values_list("to_stage", "actor"))
    assert len(changes) == 7
    assert changes[-1] == (Stage.ASSISTED, caseworker.pk)


def test_already_working_when_surveyed_goes_straight_to_employed(zijin_case, caseworker):
    services.case_transition(case=zijin_case, transition="survey", actor=caseworker)
    services.case_transition(case=zijin_case, transition="place", actor=caseworker)
    assert reload(zijin_case).stage == Stage.EMPLOYED


def test_an_illegal_jump_is_refused_and_nothing_changes(zijin_case, caseworker):
    with pytest.raises(services.ServiceError) as refused:
        services.case_transition(case=zijin_case, transition="place", actor=caseworker)
    assert "identified" in str(refused.value).lower() or "已识别" in str(refused.value)
    assert zijin_case.stage == Stage.IDENTIFIED
    assert reload(zijin_case).stage == Stage.IDENTIFIED
    assert StageChange.objects.filter(case=zijin_case).count() == 1


def test_the_stage_field_cannot_be_written_directly(zijin_case):
    with pytest.raises(AttributeError):
        zijin_case.stage = Stage.EMPLOYED


def test_closing_needs_a_stated_reason(zijin_case, supervisor):
    with pytest.raises(services.ServiceError):
        services.case_close(case=zijin_case, reason="bored", actor=supervisor)
    services.case_close(case=zijin_case, reason=CloseReason.MOVED_AWAY, actor=supervisor)
    case = reload(zijin_case)
    assert (case.stage, case.closed_reason) == (Stage.CLOSED, CloseReason.MOVED_AWAY)
    assert case.closed_on is not None
    with pytest.raises(services.ServiceError):
        services.case_transition(case=case, transition="survey", actor=supervisor)


def test_undo_returns_to_the_previous_stage_with_a_reason(zijin_case, caseworker, supervisor):
    services.case_transition(case=zijin_case, transition="survey", actor=caseworker)
    services.case_close(case=zijin_case, reason=CloseReason.DECEASED, actor=supervisor)
    with pytest.raises(services.ServiceError):
        services.case_undo_last_change(case=zijin_case, actor=supervisor, reason=" ")
    services.case_undo_last_change(case=zijin_case, actor=supervisor, reason="登记错误")
    case = reload(zijin_case)
    assert (case.stage, case.closed_on, case.closed_reason) == (Stage.SURVEYED, None, "")
    last = case.stage_changes.last()
    assert (last.transition, last.reason, last.actor) == ("undo", "登记错误", supervisor)


def test_a_case_never_surveyed_has_nothing_to_undo(zijin_case, supervisor):
    with pytest.raises(services.ServiceError):
        services.case_undo_last_change(case=zijin_case, actor=supervisor, reason="测试")


def test_one_case_per_id_number(zijin_case, zicheng):
    with pytest.raises(services.ServiceError):
        services.case_register(
            id_number=zijin_case.person.id_number, name="重复", region=zicheng, actor=None
        )
