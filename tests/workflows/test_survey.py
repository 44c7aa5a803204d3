"""The whole survey form through its page: every field survives, drafts survive a logout."""

from django.urls import reverse

from casework.models import Person, SurveyDraft
from tests.factories import CaseFactory
from tests.workflows.conftest import open_task, survey_form, task_url
from workflows import services

FULL_NOT_WORKING = {
    "ethnicity": "畲", "household_type": "agricultural", "phone": "13912345678",
    "school_major": "紫金县职业技术学校 电子", "graduated_on": "2001-07-01",
    "education": "vocational", "health": "healthy", "returned_home_on": "2025-02-10",
    "marital_status": "married", "political_status": "probationary",
    "training_received": ["skill", "startup"], "certificates": ["junior", "other"],
    "former_employer": "东莞市长安五金厂", "former_occupation": "冲压工",
    "former_industry": "other", "former_industry_other": "五金加工",
    "reasons": ["skills", "information", "age"], "wished_location": "in_county",
    "wished_form": "employee", "employer_type": "private", "wage_expectation": "3000-4000",
    "other_requirements": "离家近", "startup_wish": "yes", "startup_project_wish": "养鸡",
    "training_wish": "yes", "training_kind": "skill", "training_trade": "cook",
    "note": "全项测试",
}  # fmt: skip


def test_every_field_of_the_survey_survives_the_round_trip(login, caseworker, started_case):
    client = login(caseworker)
    survey_task = open_task(started_case, "survey")
    data = survey_form(started_case, **FULL_NOT_WORKING)
    response = client.post(task_url(survey_task), data)
    assert response.status_code == 302, response.context["form"].errors
    survey = started_case.surveys.get()
    for name, value in FULL_NOT_WORKING.items():
        if name != "note":
            assert survey.answers[name] == value, name
    assert survey.note == "全项测试"
    assert (survey.training_trade, survey.training_wish, survey.startup_wish) == (
        "cook",
        True,
        True,
    )
    person = Person.objects.get(pk=started_case.person_id)
    assert (person.ethnicity, person.phone, person.education) == ("畲", "13912345678", "vocational")
    assert str(person.graduated_on) == "2001-07-01"
    # a re-survey's form comes pre-filled with these answers
    client.post(reverse("workflows:case_resurvey", args=[started_case.pk]))
    form = client.get(task_url(open_task(started_case, "resurvey"))).context["form"]
    assert form.initial["training_trade"] == "cook"
    assert form.initial["certificates"] == ["junior", "other"]


def test_a_working_survey_keeps_only_the_employment_section(login, caseworker, started_case):
    client = login(caseworker)
    data = survey_form(
        started_case, "migrant", destination_region="pearl", destination="shenzhen",
        channel="relatives", industry="manufacturing", reasons=["skills"], training_wish="yes",
    )  # fmt: skip
    client.post(task_url(open_task(started_case, "survey")), data)
    answers = started_case.surveys.get().answers
    assert answers["destination"] == "shenzhen" and answers["channel"] == "relatives"
    assert answers["reasons"] == [] and answers["training_wish"] == ""


def test_the_form_follows_the_paper_forms_logic(login, caseworker, started_case):
    client = login(caseworker)
    task = open_task(started_case, "survey")
    cases = [
        survey_form(started_case, training_wish="yes"),  # kind missing
        survey_form(started_case, "migrant", destination_region="yangtze", destination="dongguan"),
        survey_form(started_case, certificates=["none", "junior"]),
        survey_form(started_case, sex="F" if started_case.person.sex == "M" else "M"),
        survey_form(started_case, startup_wish="yes"),
    ]
    for data in cases:
        response = client.post(task_url(task), data)
        assert response.status_code == 200 and response.context["form"].errors, data
    assert not started_case.surveys.exists()


def test_a_draft_survives_a_logout(client, caseworker, started_case):
    client.force_login(caseworker)
    task = open_task(started_case, "survey")
    response = client.post(
        reverse("workflows:survey_draft", args=[task.pk]),
        {"employment_status": "farming", "reasons": ["skills", "age"], "note": "先存草稿"},
    )
    assert response.json()["saved"] is True
    client.logout()
    client.force_login(caseworker)
    form = client.get(task_url(task)).context["form"]
    assert form.initial["note"] == "先存草稿"
    assert form.initial["reasons"] == ["skills", "age"]
    client.post(task_url(task), survey_form(started_case))
    assert not SurveyDraft.objects.exists()


def test_nobody_else_drafts_into_my_task(login, caseworker, colleague, started_case):
    task = open_task(started_case, "survey")
    login(caseworker).post(task_url(task, "claim"))
    response = login(colleague).post(reverse("workflows:survey_draft", args=[task.pk]), {"x": "1"})
    assert response.status_code == 409
    assert not SurveyDraft.objects.exists()


def test_the_case_shows_the_latest_survey_and_what_changed(login, caseworker, started_case):
    client = login(caseworker)
    client.post(task_url(open_task(started_case, "survey")), survey_form(started_case))
    client.post(reverse("workflows:case_resurvey", args=[started_case.pk]))
    client.post(
        task_url(open_task(started_case, "resurvey")),
        survey_form(
            started_case, training_wish="yes", training_kind="skill", training_trade="welder"
        ),
    )
    page = client.get(started_case.get_absolute_url()).content.decode()
    changes = page[page.index('data-testid="survey-changes"') :]
    assert "是否有培训意愿" in changes and "焊工" in changes


def test_the_form_shows_the_phone_masked_and_the_unchanged_mask_keeps_it(
    login, caseworker, zicheng
):
    case = CaseFactory(region=zicheng, phone="13812345678")
    services.case_process_start(case=case)
    client = login(caseworker)
    page = client.get(task_url(open_task(case, "survey")))
    assert page.context["form"].initial["phone"] == "138****5678"
    assert "13812345678" not in page.content.decode()
    response = client.post(
        task_url(open_task(case, "survey")), survey_form(case, phone="138****5678")
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=case.person_id).phone == "13812345678"
    assert case.surveys.get().answers["phone"] == "13812345678"


def test_a_new_phone_replaces_the_stored_one_and_a_half_typed_mask_is_refused(
    login, caseworker, zicheng
):
    case = CaseFactory(region=zicheng, phone="13812345678")
    services.case_process_start(case=case)
    client = login(caseworker)
    task = open_task(case, "survey")
    refused = client.post(task_url(task), survey_form(case, phone="138****5679"))
    assert refused.status_code == 200 and refused.context["form"].errors["phone"]
    assert not case.surveys.exists()
    client.post(task_url(task), survey_form(case, phone="13987654321"))
    assert Person.objects.get(pk=case.person_id).phone == "13987654321"


def test_a_draft_keeps_a_new_phone_masked_and_asks_for_it_again(login, caseworker, started_case):
    client = login(caseworker)
    task = open_task(started_case, "survey")
    client.post(
        reverse("workflows:survey_draft", args=[task.pk]),
        {"phone": "13987654321", "employment_status": "farming"},
    )
    assert SurveyDraft.objects.get().data["phone"] == "139****4321"
    form = client.get(task_url(task)).context["form"]
    assert form.initial["phone"] == "139****4321"
    data = survey_form(started_case, phone=form.initial["phone"])
    response = client.post(task_url(task), data)
    assert "phone" in response.context["form"].errors  # type the new number again
    client.post(task_url(task), survey_form(started_case, phone="13987654321"))
    assert Person.objects.get(pk=started_case.person_id).phone == "13987654321"
