"""The case task's copies of viewflow's owner and status, that the lists filter and sort on,
follow every way a task changes hands: claim, release, hand-over, reassignment, finishing,
closing, a bulk start and a roster move."""

from django.db import connection
from django.urls import reverse

from tests.factories import CaseFactory
from tests.workflows.conftest import open_task, survey_form, task_url
from workflows import services
from workflows.models import CaseTask


def mismatches() -> list:
    """Case tasks whose copies differ from viewflow's own task row, read with plain SQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.task_id, c.owner_id, c.status, t.owner_id, t.status "
            "FROM workflows_casetask c JOIN viewflow_task t ON t.id = c.task_id "
            "WHERE c.status <> t.status OR COALESCE(c.owner_id, 0) <> COALESCE(t.owner_id, 0)"
        )
        return cursor.fetchall()


def test_the_copies_follow_claim_release_hand_over_reassign_and_finish(
    login, caseworker, colleague, supervisor, started_case
):
    survey = open_task(started_case, "survey")
    assert (survey.owner_id, survey.status) == (None, "NEW")
    client = login(caseworker)

    client.post(task_url(survey, "claim"))
    assert CaseTask.objects.get(pk=survey.pk).owner_id == caseworker.pk
    assert CaseTask.objects.get(pk=survey.pk).status == "ASSIGNED"
    assert mismatches() == []

    client.post(task_url(survey, "release"))
    assert CaseTask.objects.get(pk=survey.pk).status == "NEW"
    assert mismatches() == []

    client.post(task_url(survey, "claim"))
    services.task_hand_over(case_task=survey, actor=caseworker, to_user=colleague)
    assert CaseTask.objects.get(pk=survey.pk).owner_id == colleague.pk
    services.tasks_reassign(case_tasks=[survey], actor=supervisor, to_user=caseworker)
    assert CaseTask.objects.get(pk=survey.pk).owner_id == caseworker.pk
    assert mismatches() == []

    response = client.post(task_url(survey), survey_form(started_case))
    assert response.status_code == 302
    assert CaseTask.objects.get(pk=survey.pk).status == "DONE"
    assistance = open_task(started_case, "assistance")
    # the case went to the colleague with the hand-over: so does its next task
    assert (assistance.owner_id, assistance.status) == (colleague.pk, "ASSIGNED")
    assert mismatches() == []

    # the inbox lists by the copies: the open assistance task, not the finished survey
    inbox = login(colleague).get(reverse("workflows:inbox")).context["table"].data
    assert [row.pk for row in inbox] == [assistance.pk]
    assert list(login(caseworker).get(reverse("workflows:inbox")).context["table"].data) == []


def test_the_copies_follow_a_bulk_start_and_a_case_closed(caseworker, supervisor, zicheng):
    cases = [CaseFactory(region=zicheng, owner=caseworker) for _ in range(3)]
    services.cases_start_bulk(cases=cases)
    assert sorted(CaseTask.objects.values_list("status", flat=True)) == ["ASSIGNED"] * 3
    assert set(CaseTask.objects.values_list("owner_id", flat=True)) == {caseworker.pk}
    assert mismatches() == []

    services.case_close_with_tasks(case=cases[0], actor=supervisor, reason="deceased")
    assert CaseTask.objects.get(case=cases[0]).status == "CANCELED"
    assert mismatches() == []
