"""A supervisor decides several left-list candidates at once: ticks them, reads the list of
who is chosen (masked numbers and a count), confirms, and each gets its own history row."""

import pytest
from django.urls import reverse

from casework.models import Case, CaseEvent, LeftListCandidate, Role, RosterImport, Stage
from tests.factories import CaseFactory, region, staff
from workflows import services as workflow

BATCH = reverse("casework:left_list_batch")


@pytest.fixture
def candidates(supervisor, zicheng):
    """Three 紫金县 laborers a complete roster left out, each with an open survey task."""
    record = RosterImport.objects.create(
        actor=supervisor, file_name="紫金县名单.xlsx", sha256="0" * 64, county=zicheng.county,
        complete=True, status="done",
    )  # fmt: skip
    people = []
    for name, number in (("钟秀英", "441621198507150029"), ("黄志明", "441621197912030018"),
                         ("刘春梅", "441621199001010023")):  # fmt: skip
        case = CaseFactory(region=zicheng, name=name, id_number=number)
        workflow.case_process_start(case=case)
        people.append(LeftListCandidate.objects.create(roster_import=record, case=case))
    return people


def statuses():
    return {c.case.person.name: c.status for c in LeftListCandidate.objects.select_related(
        "case__person")}  # fmt: skip


def test_two_ticked_are_listed_for_confirmation_then_both_leave_the_list(
    login, supervisor, candidates
):
    client = login(supervisor)
    chosen = [candidates[0].pk, candidates[1].pk]
    page = client.post(BATCH, {"candidate": chosen, "decision": "confirm"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "2 名劳动力将被记录为已退出建档立卡名单" in text
    assert "钟秀英" in text and "黄志明" in text and "刘春梅" not in text
    assert "441621********0029" in text and "441621198507150029" not in text
    assert statuses() == {"钟秀英": "pending", "黄志明": "pending", "刘春梅": "pending"}

    done = client.post(BATCH, {"candidate": chosen, "decision": "confirm", "confirmed": "yes"},
                       follow=True)  # fmt: skip
    assert "已确认 2 人退出名单，其个案已结案。" in [str(m) for m in done.context["messages"]]
    assert statuses() == {"钟秀英": "confirmed", "黄志明": "confirmed", "刘春梅": "pending"}
    for candidate in candidates[:2]:
        case = Case.objects.get(pk=candidate.case_id)
        assert (case.stage, case.closed_reason) == (Stage.CLOSED, "left_list")
        assert CaseEvent.objects.filter(case=case, kind="left_list").count() == 1
    assert not CaseEvent.objects.filter(case=candidates[2].case, kind="left_list").exists()


def test_a_batch_dismissal_keeps_the_cases_open(login, supervisor, candidates):
    client = login(supervisor)
    every = [c.pk for c in candidates]
    page = client.post(BATCH, {"candidate": every, "decision": "dismiss"})
    assert "3 名劳动力仍在名单上" in page.content.decode()
    done = client.post(
        BATCH, {"candidate": every, "decision": "dismiss", "confirmed": "yes"}, follow=True
    )
    assert "已驳回 3 人，仍保留在名单中。" in [str(m) for m in done.context["messages"]]
    assert set(statuses().values()) == {"dismissed"}
    assert {c.decided_by for c in LeftListCandidate.objects.all()} == {supervisor}
    for candidate in candidates:
        assert Case.objects.get(pk=candidate.case_id).stage == Stage.IDENTIFIED


def test_one_id_outside_the_county_refuses_the_whole_batch(login, supervisor, candidates):
    laolong = region("龙川县/老隆镇/水口村")
    importer = staff("sup_longchuan", Role.COUNTY_SUPERVISOR, "龙川县")
    record = RosterImport.objects.create(actor=importer, file_name="龙川.xlsx", sha256="1" * 64,
                                         county=laolong.county, complete=True)  # fmt: skip
    foreign = LeftListCandidate.objects.create(
        roster_import=record, case=CaseFactory(region=laolong, name="刘建国")
    )
    client = login(supervisor)
    for extra in ({}, {"confirmed": "yes"}):
        response = client.post(
            BATCH, {"candidate": [candidates[0].pk, foreign.pk], "decision": "confirm", **extra}
        )
        assert response.status_code == 404
    assert set(statuses().values()) == {"pending"}


def test_a_non_numeric_id_is_a_bad_request(login, supervisor, candidates):
    response = login(supervisor).post(
        BATCH, {"candidate": [candidates[0].pk, "1 OR 1=1"], "decision": "confirm",
                "confirmed": "yes"},
    )  # fmt: skip
    assert response.status_code == 400
    assert set(statuses().values()) == {"pending"}


def test_a_caseworker_of_the_township_may_not_decide(login, caseworker, candidates):
    response = login(caseworker).post(
        BATCH, {"candidate": [candidates[0].pk], "decision": "confirm", "confirmed": "yes"}
    )
    assert response.status_code == 403
    assert set(statuses().values()) == {"pending"}


def test_nothing_ticked_says_so(login, supervisor, candidates):
    response = login(supervisor).post(BATCH, {"decision": "confirm"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["请先勾选至少一名劳动力。"]


def test_the_left_list_offers_checkboxes_and_select_all(
    login, supervisor, candidates, django_assert_max_num_queries
):
    client = login(supervisor)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("casework:left_list")).content.decode()
    assert page.count('name="candidate"') == 3
    assert 'data-check-all="candidate"' in page
