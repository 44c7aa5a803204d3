"""What an attacker tried after the change: guessing a number through the find form, a
transferred case left in another county's export and left list, a redirect off the site."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from casework.models import (
    Confirmation,
    ExportLog,
    LeftListCandidate,
    Reconciliation,
    Role,
    RosterImport,
)
from tests.factories import CaseFactory, region, staff
from workflows import services as workflow
from workflows.models import CaseTask

FIND = reverse("casework:case_find")


def test_finds_by_whole_number_are_recorded_and_limited(login, city, zijin_case):
    client = login(city)
    wrong = "441621197001010011"
    for _ in range(20):
        client.post(FIND, {"id_number": wrong})
    assert ExportLog.objects.filter(kind="find", actor=city).count() == 20
    # the 21st search in the hour is refused, even for the right number
    response = client.post(FIND, {"id_number": zijin_case.person.id_number}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("casework:case_list")
    assert [str(m) for m in response.context["messages"]][-1] == (
        "按完整身份证号码查找的次数过多，请一小时后再试。"
    )
    assert ExportLog.objects.filter(kind="find").count() == 20  # the refused one found nothing
    log = ExportLog.objects.filter(kind="find").first()
    assert log.description == "441621********0011 → —"


def _transfer_to_longchuan(login, case, supervisor):
    receiver = staff("sup_longchuan", Role.COUNTY_SUPERVISOR, "龙川县")
    workflow.transfer_request(case=case, actor=supervisor, to_county=region("龙川县"))
    acceptance = CaseTask.objects.get(case=case, kind="transfer_acceptance")
    workflow.transfer_decide(case_task=acceptance, actor=receiver, accept=True,
                             region=region("龙川县/老隆镇/水口村"))  # fmt: skip
    return receiver


def test_a_transferred_case_leaves_the_sending_countys_reconciliation_export(
    login, supervisor, zicheng
):
    moved = CaseFactory(region=zicheng, name="迁走的人")
    stays = CaseFactory(region=zicheng, name="留下的人")
    round_ = Reconciliation.objects.create(
        county=zicheng.county, held_on="2026-11-01", recorded_by=supervisor
    )
    for case in (moved, stays):
        Confirmation.objects.create(reconciliation=round_, case=case, confirmed_by=supervisor,
                                    confirmed_on="2026-11-01")  # fmt: skip
    _transfer_to_longchuan(login, moved, supervisor)
    export = login(supervisor).get(reverse("programmes:reconciliation_export", args=[round_.pk]))
    names = [row[1] for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(
        min_row=2, values_only=True)]  # fmt: skip
    assert names == ["留下的人"]


def test_a_transferred_case_leaves_the_left_list_of_both_counties(login, supervisor, zicheng):
    case = CaseFactory(region=zicheng, name="迁走的人")
    record = RosterImport.objects.create(actor=supervisor, file_name="紫金.xlsx", sha256="0" * 64,
                                         county=zicheng.county, complete=True)  # fmt: skip
    candidate = LeftListCandidate.objects.create(roster_import=record, case=case)
    receiver = _transfer_to_longchuan(login, case, supervisor)
    client = login(receiver)
    assert "迁走的人" not in client.get(reverse("casework:left_list")).content.decode()
    decide = reverse("casework:left_list_decision", args=[candidate.pk, "confirm"])
    assert client.post(decide).status_code == 404
    assert LeftListCandidate.objects.get(pk=candidate.pk).status == "pending"


def test_a_task_action_never_redirects_off_the_site(login, caseworker, zicheng):
    case = CaseFactory(region=zicheng)
    workflow.case_process_start(case=case)
    survey = CaseTask.objects.get(case=case, kind="survey")
    response = login(caseworker).post(
        reverse("workflows:task_claim", args=[survey.pk]), {"next": "https://evil.example/x"}
    )
    assert response["Location"] == reverse("workflows:task_detail", args=[survey.pk])
    inside = login(caseworker).post(
        reverse("workflows:task_release", args=[survey.pk]), {"next": "/tasks/inbox/"}
    )
    assert inside["Location"] == "/tasks/inbox/"
