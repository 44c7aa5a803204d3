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


def test_a_future_date_left_in_a_hidden_section_neither_blocks_nor_is_kept(
    login, caseworker, started_case
):
    # the surveyor first chose 外出务工, typed a wrong start date, then chose 在家务农
    client = login(caseworker)
    data = survey_form(
        started_case, "farming", work_started_on="2099-05-01", employer_post="宝山电子厂",
        income_band="3000-4000",
    )  # fmt: skip
    response = client.post(task_url(open_task(started_case, "survey")), data)
    assert response.status_code == 302
    answers = started_case.surveys.get().answers
    assert (answers["work_started_on"], answers["employer_post"], answers["income_band"]) == (
        "",
        "",
        "",
    )


def test_every_field_in_error_is_listed_at_the_top_with_a_link_to_it(
    login, caseworker, started_case
):
    client = login(caseworker)
    data = survey_form(started_case, "migrant", work_started_on="2099-05-01", phone="12345")
    del data["income_band"]
    response = client.post(task_url(open_task(started_case, "survey")), data)
    assert response.status_code == 200
    page = response.content.decode()
    summary = page[
        page.index("data-error-summary") : page.index("</ul>", page.index("data-error-summary"))
    ]
    assert '<a href="#id_phone">联系电话：请填写手机号码' in summary
    assert '<a href="#id_work_started_on">工作时间：' in summary
    assert '<a href="#id_income_band">月工资收入：' in summary
    assert 'id="id_income_band"' in page and 'id="id_work_started_on"' in page
    assert not started_case.surveys.exists()


def test_a_draft_keeps_nothing_of_a_hidden_section(login, caseworker, started_case):
    client = login(caseworker)
    task = open_task(started_case, "survey")
    client.post(
        reverse("workflows:survey_draft", args=[task.pk]),
        {"employment_status": "farming", "work_started_on": "2099-05-01", "reasons": ["age"]},
    )
    assert SurveyDraft.objects.get().data == {"employment_status": "farming", "reasons": ["age"]}
    form = client.get(task_url(task)).context["form"]
    assert "work_started_on" not in form.initial and form.initial["reasons"] == ["age"]


def test_a_draft_kept_before_the_rule_does_not_bring_a_hidden_value_back(
    login, caseworker, started_case
):
    task = open_task(started_case, "survey")
    SurveyDraft.objects.create(
        case=started_case, author=caseworker,
        data={"employment_status": "other", "work_started_on": "2099-05-01"},
    )  # fmt: skip
    form = login(caseworker).get(task_url(task)).context["form"]
    assert form.initial["employment_status"] == "other"
    assert "work_started_on" not in form.initial


def test_a_landline_with_area_code_is_kept_and_a_wrong_number_is_refused(
    login, caseworker, started_case
):
    client = login(caseworker)
    task = open_task(started_case, "survey")
    refused = client.post(task_url(task), survey_form(started_case, phone="762-1234"))
    assert refused.status_code == 200
    assert "请填写手机号码（1开头的11位数字）或带区号的固定电话" in refused.content.decode()
    assert not started_case.surveys.exists()
    client.post(task_url(task), survey_form(started_case, phone="0762-1234567"))
    assert Person.objects.get(pk=started_case.person_id).phone == "0762-1234567"
